"""缴费管理 through the gateway: the billing service behind it (its own process, real clock) on the org
service's tree (org.v1), a district's batch announced on enrollment.v1 as enrollment sends it. The
district sees its payable (notice PDF, statistics.xlsx, lines, export) and pays it with the manual's
voucher — 2,000 yuan against 1,220 due, a refund of 780 — uploaded as multipart with an Idempotency-Key
(a retry is the same voucher); the insurer (职保会) reviews the file, approves, pays the refund back and
issues the receipt the district asked for; another district sees none of it. Then a service that is
down (503 in Chinese), each action kept to its tier, the upload body limit, the operation log."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from localstack import Postgres, Tansu
from localstack.pytest_plugin import send_event
from runtime.clock import SHANGHAI
from runtime.tokens import Tier
from services.gateway.tests.conftest import (
    PASSWORD,
    Gateway,
    Platform,
    SeedAccount,
    billing_process,
    gateway_settings,
    start_platform,
)
from services.gateway.tests.integration.billing_world import (
    DUE_FEN,
    PAID_FEN,
    PNG,
    PROGRAMME,
    YEAR,
    batch_event,
    key,
    payable_seen,
    refund_to,
    voucher_data,
    voucher_form,
)


@pytest.fixture
async def billing_platform(
    postgres: Postgres, database: str, org_database: str, broker: Tansu, redis_url: str, redis_prefix: str,
    tmp_path: Path,
) -> AsyncIterator[Platform]:  # fmt: skip
    billing_db = await postgres.ensure_database(f"b_{uuid.uuid4().hex[:12]}", fresh=True)
    async with billing_process(billing_db, broker.bootstrap, tmp_path / "billing.log") as url:
        settings = gateway_settings(database, broker, redis_url, redis_prefix, billing_url=url)
        async with start_platform(settings, org_database) as p:
            yield p


async def _world(p: Platform) -> dict[str, Any]:
    root = await p.create_root()
    xuhui = await p.create_org(root, "徐汇区总工会", "区局（产业）工会", "310104000001")
    g1 = await p.create_org(xuhui["id"], "上海建朗信息科技有限公司工会", "单独基层工会", "310104000116")
    huangpu = await p.create_org(root, "黄浦区总工会", "区局（产业）工会", "310101000001")
    assert await p.heard(6)  # 4 created + 2 临时工会
    await p.gateway.seed(
        SeedAccount("shizong", PASSWORD, Tier.CITY, root),
        SeedAccount("xuhui", PASSWORD, Tier.DISTRICT, xuhui["id"]),
        SeedAccount("jianlang", PASSWORD, Tier.GRASSROOTS, g1["id"]),
        SeedAccount("huangpu", PASSWORD, Tier.DISTRICT, huangpu["id"]),
        SeedAccount("zhibao", PASSWORD, Tier.INSURER),
    )
    return {"root": root, "xuhui": xuhui, "g1": g1, "huangpu": huangpu}


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def cells(response: httpx.Response) -> list[Any]:
    assert response.status_code == 200 and response.content[:2] == b"PK", response.text[:300]
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]


async def test_a_payable_paid_over_with_a_refund_and_a_receipt(billing_platform: Platform):  # noqa: PLR0915
    p = billing_platform
    w = await _world(p)
    gw = p.gateway
    city, district, unit, other, insurer = [
        await gw.signed_in(a) for a in ("shizong", "xuhui", "jianlang", "huangpu", "zhibao")
    ]
    event = batch_event(w["xuhui"]["id"], "徐汇区总工会", w["g1"]["id"])
    await send_event(gw.app.state.settings.kafka_bootstrap_servers, event, source="/services/enrollment")
    no = event.batch_no

    # 应缴清单: the district's payable, its files named by the gateway's paths
    payable = await payable_seen(district, no)
    assert (payable["due_fen"], payable["status"], payable["persons"]) == (DUE_FEN, "缴费凭证待上传", 61)
    assert payable["split"] == {"amount_fen": DUE_FEN, "city_fen": 61000, "district_fen": 61000, "grassroots_fen": 0}
    assert payable["notice_url"] == f"/api/billing/payables/{no}/notice"
    assert payable["statistics_url"] == f"/api/billing/payables/{no}/statistics.xlsx"
    listed = await ok(await district.get("/api/billing/payables", params={"status": "缴费凭证待上传", "year": YEAR}))
    assert [(x["batch_no"], x["notice_url"]) for x in listed["items"]] == [(no, payable["notice_url"])]
    notice = await district.get(payable["notice_url"])
    assert notice.status_code == 200 and notice.content[:4] == b"%PDF"
    assert notice.headers["content-type"] == "application/pdf" and "attachment" in notice.headers["content-disposition"]
    assert "上海建朗信息科技有限公司工会" in cells(await district.get(payable["statistics_url"]))
    lines = await ok(await district.get(f"/api/billing/payables/{no}/lines", params={"size": 500}))
    assert lines["total"] == 61 and all("*" in x["id_number"] for x in lines["items"])
    assert no in cells(await district.get("/api/billing/payables/export"))
    assert (await ok(await unit.get("/api/billing/payables")))["total"] == 0  # a grassroots union pays none of it

    # another district sees none of it
    assert (await other.get(f"/api/billing/payables/{no}")).status_code == 404
    assert (await other.get(payable["notice_url"])).status_code == 404
    assert (await ok(await other.get("/api/billing/payables")))["total"] == 0

    # the form's 退款金额自动计算, then the upload: multipart, an Idempotency-Key, a retry is the same voucher
    data = voucher_data([no], PAID_FEN, "徐汇区总工会", refund=refund_to("徐汇区总工会"))
    preview = await ok(await district.post("/api/billing/vouchers/preview", json=data))
    assert (preview["due_fen"], preview["refund_fen"], preview["refund_required"]) == (DUE_FEN, 78000, True)
    under = voucher_data([no], 100000, "徐汇区总工会")
    short = await ok(await district.post("/api/billing/vouchers/preview", json=under))
    assert (short["shortfall_fen"], short["refund_fen"]) == (22000, 0)
    keyless = await district.post("/api/billing/vouchers", files=voucher_form(data))
    assert keyless.status_code == 422 and keyless.json()["code"] == "idempotency.key_required"
    once = key()
    voucher = await ok(await district.post("/api/billing/vouchers", files=voucher_form(data), headers=once), 201)
    again = await ok(await district.post("/api/billing/vouchers", files=voucher_form(data), headers=once), 201)
    vno = voucher["voucher_no"]
    assert again["voucher_no"] == vno and (voucher["state"], voucher["refund_fen"]) == ("审核中", 78000)
    assert voucher["refund"]["account_no"] == "6222 **** **** 2222"
    assert voucher["file"]["url"] == f"/api/billing/vouchers/{vno}/file"
    assert (await ok(await district.get(f"/api/billing/payables/{no}")))["status"] == "审核中"
    assert (await other.get(f"/api/billing/vouchers/{vno}")).status_code == 404

    # 凭证审核: the insurer's queue, the file (a download that is never sniffed or run), approval
    refused = await district.post(f"/api/billing/vouchers/{vno}/approve", headers=key())
    assert refused.status_code == 403 and refused.json()["code"] == "tier.forbidden"
    queue = await ok(await insurer.get("/api/billing/vouchers", params={"state": "审核中", "oldest_first": True}))
    assert [v["voucher_no"] for v in queue["items"]] == [vno]
    image = await insurer.get(voucher["file"]["url"])
    assert image.status_code == 200 and image.content == PNG and image.headers["content-type"] == "image/png"
    assert image.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in image.headers["content-security-policy"]
    assert image.headers["content-disposition"].startswith("attachment")
    approved = await ok(await insurer.post(f"/api/billing/vouchers/{vno}/approve", headers=key()))
    assert (approved["state"], approved["confirmed_batches"]) == ("审核通过", [no]) and approved["refund_no"]
    confirmed = await ok(await district.get(f"/api/billing/payables/{no}"))
    assert (confirmed["state"], confirmed["paid_fen"], confirmed["outstanding_fen"]) == ("已确认", DUE_FEN, 0)

    # 退款管理: 780 yuan, the account number masked for the payer and full for the insurer, paid back once
    rno = approved["refund_no"]
    mine = await ok(await district.get("/api/billing/refunds", params={"state": "待退款"}))
    assert [(r["refund_no"], r["amount_fen"], r["account_no"]) for r in mine["items"]] == [
        (rno, 78000, "6222 **** **** 2222")
    ]
    assert (await ok(await insurer.get(f"/api/billing/refunds/{rno}")))["account_no"] == "6222 0000 1111 2222"
    assert "6222 0000 1111 2222" in cells(await insurer.get("/api/billing/refunds/export"))
    body = {"paid_on": datetime.now(SHANGHAI).date().isoformat(), "reference": "BK-001"}
    assert (await district.post(f"/api/billing/refunds/{rno}/issue", json=body, headers=key())).status_code == 403
    paid = await ok(await insurer.post(f"/api/billing/refunds/{rno}/issue", json=body, headers=key()))
    assert paid["state"] == "已退款"

    # 专用收据: asked by the district (summing to the premium), issued by the insurer, the PDF downloaded
    wrong = {"lines": [{"title": "上海YYYY公司", "amount_fen": 45000}]}
    bad = await district.put(f"/api/billing/payables/{no}/receipts", json=wrong, headers=key())
    assert bad.status_code == 422 and bad.json()["code"] == "receipt.sum_mismatch" and bad.json()["title"]
    lines_in = {"lines": [wrong["lines"][0], {"title": "上海XXX公司", "amount_fen": 77000}]}
    asked = await ok(await district.put(f"/api/billing/payables/{no}/receipts", json=lines_in, headers=key()))
    assert asked["requested_fen"] == DUE_FEN and asked["items"][0]["pdf_url"] is None
    issued = await ok(await insurer.post(f"/api/billing/payables/{no}/receipts/issue", headers=key()))
    receipt = issued["items"][0]
    assert receipt["state"] == "已开具" and receipt["pdf_url"] == f"/api/billing/receipts/{receipt['receipt_no']}/pdf"
    pdf = await district.get(receipt["pdf_url"])
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    listed_receipts = await ok(await district.get("/api/billing/receipts", params={"batch_no": no}))
    assert listed_receipts["total"] == 2 and listed_receipts["items"][0]["pdf_url"].startswith("/api/billing/")

    # 对账 and the city's view of the split
    year = {"programme": PROGRAMME, "year": YEAR}
    balance = await ok(await city.get("/api/billing/reconciliation", params=year))
    row = next(r for r in balance["items"] if r["payer_org_id"] == w["xuhui"]["id"])
    assert (row["due_fen"], row["received_fen"], row["refunded_fen"], row["outstanding_fen"]) == (
        DUE_FEN, PAID_FEN, 78000, 0,
    )  # fmt: skip
    split = await ok(await district.get("/api/billing/reconciliation/split", params=year))
    assert [(r["city_fen"], r["district_fen"]) for r in split["items"]] == [(61000, 61000)]
    assert (await ok(await other.get("/api/billing/reconciliation", params=year)))["items"] == []

    log = (await city.get("/api/audit", params={"size": 200})).json()["items"]
    actions = {e["action"] for e in log}
    assert {"export_payables", "export_payable_statistics", "preview_voucher", "upload_voucher"} <= actions
    assert {"approve_voucher", "export_refunds", "issue_refund", "request_receipts", "issue_receipts"} <= actions
    upload = next(e for e in log if e["action"] == "upload_voucher" and e["status"] == 201)
    assert (upload["account"], upload["action_label"]) == ("xuhui", "上传缴费凭证")
    assert any(e["action"] == "approve_voucher" and e["outcome"] == "denied" for e in log)


async def test_a_returned_voucher_is_corrected_and_uploads_pass_the_1_mb_body_limit(billing_platform: Platform):
    p = billing_platform
    w = await _world(p)
    gw = p.gateway
    district, other, insurer = [await gw.signed_in(a) for a in ("xuhui", "huangpu", "zhibao")]
    event = batch_event(w["xuhui"]["id"], "徐汇区总工会", w["g1"]["id"], persons=2)
    await send_event(gw.app.state.settings.kafka_bootstrap_servers, event, source="/services/enrollment")
    no = (await payable_seen(district, event.batch_no))["batch_no"]

    # a 3 MB voucher image is the billing service's to judge (10 MB there), not the gateway's 1 MB
    big = PNG + bytes(3 * 1024 * 1024)
    data = voucher_data([no], 3000, "徐汇区总工会")
    voucher = await ok(await district.post("/api/billing/vouchers", files=voucher_form(data, big), headers=key()), 201)
    vno = voucher["voucher_no"]
    assert voucher["file"]["size"] == len(big) and voucher["shortfall_fen"] == 1000
    assert (await ok(await district.get(f"/api/billing/payables/{no}")))["status"] == "审核中"
    elsewhere = await other.post("/api/billing/vouchers", files=voucher_form(data, big), headers=key())
    assert elsewhere.status_code == 404 and elsewhere.json()["code"] == "not_found"

    # 审核不通过 with the insurer's reason (职保中心反馈); the payable lacks the whole amount again
    no_reason = await insurer.post(f"/api/billing/vouchers/{vno}/return", json={"reason": " "})
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "voucher.reason_required"
    reason = {"reason": "缴费金额与凭证不符"}
    returned = await ok(await insurer.post(f"/api/billing/vouchers/{vno}/return", json=reason))
    assert (returned["state"], returned["review_reason"]) == ("审核不通过", "缴费金额与凭证不符")
    assert (await ok(await district.get(f"/api/billing/payables/{no}")))["shortfall_fen"] == 4000

    # corrected (PUT, multipart with a new 3 MB file, through the same body limit): 审核中 again
    fixed = voucher_data([no], 4000, "徐汇区总工会")
    corrected = await district.put(f"/api/billing/vouchers/{vno}", files=voucher_form(fixed, big), headers=key())
    body = await ok(corrected)
    assert (body["state"], body["applied_fen"], body["review_reason"]) == ("审核中", 4000, "")
    hidden = await other.put(f"/api/billing/vouchers/{vno}", files=voucher_form(fixed), headers=key())
    assert hidden.status_code == 404
    oversized = await district.post("/api/billing/payables/x/receipts/issue", content=bytes(2 * 1024 * 1024))
    assert oversized.status_code == 413 and oversized.json()["code"] == "request.too_large"


async def test_a_down_billing_service_is_a_503_and_each_action_keeps_to_its_tier(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"), (2, 1, "1.2", "区局（产业）工会"), (3, 2, "1.2.3", "单独基层工会"))
    await gateway.seed(
        SeedAccount("shizong", PASSWORD, Tier.CITY, 1),
        SeedAccount("qu", PASSWORD, Tier.DISTRICT, 2),
        SeedAccount("jiceng", PASSWORD, Tier.GRASSROOTS, 3),
        SeedAccount("zhibao", PASSWORD, Tier.INSURER),
        SeedAccount("admin", PASSWORD, Tier.ADMIN),
    )
    city, district, unit, insurer, admin = [
        await gateway.signed_in(a) for a in ("shizong", "qu", "jiceng", "zhibao", "admin")
    ]
    for client, path in (
        (district, "/api/billing/payables"),
        (insurer, "/api/billing/vouchers"),
        (unit, "/api/billing/payables/CB1/notice"),
        (city, "/api/billing/refunds/export"),
    ):
        down = await client.get(path)
        assert down.status_code == 503 and down.json()["code"] == "service.unavailable", path
        assert down.json()["title"] == "缴费服务暂时不可用"
    refused = [
        (district, "POST", "/api/billing/vouchers/PZ1/approve"),
        (city, "POST", "/api/billing/vouchers/PZ1/return"),
        (unit, "POST", "/api/billing/refunds/TK1/issue"),
        (district, "PUT", "/api/billing/accounts/在职"),
        (district, "POST", "/api/billing/payables/CB1/receipts/issue"),
        (city, "POST", "/api/billing/receipts/ZY1/void"),
        (insurer, "POST", "/api/billing/vouchers"),
        (insurer, "PUT", "/api/billing/vouchers/PZ1"),
        (admin, "POST", "/api/billing/vouchers/preview"),
        (insurer, "PUT", "/api/billing/payables/CB1/receipts"),
    ]
    for client, method, path in refused:
        r = await client.request(method, path)
        assert r.status_code == 403 and r.json()["code"] == "tier.forbidden", (method, path)
    menus = {name: set((await c.get("/api/me")).json()["menus"]) for name, c in
             (("city", city), ("district", district), ("unit", unit), ("insurer", insurer))}  # fmt: skip
    payer = {"billing-payables", "billing-vouchers", "billing-refunds", "billing-receipts", "billing-reconciliation"}
    assert {m for m in menus["district"] if m.startswith("billing-")} == payer
    assert {m for m in menus["unit"] if m.startswith("billing-")} == payer
    assert {m for m in menus["city"] if m.startswith("billing-")} == payer
    assert {m for m in menus["insurer"] if m.startswith("billing-")} == {
        "billing-payables", "billing-review", "billing-refunds", "billing-receipts", "billing-accounts",
        "billing-reconciliation",
    }  # fmt: skip
