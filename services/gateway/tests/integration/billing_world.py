"""缴费管理 for the gateway's tests (the billing service runs as its own process): a batch as enrollment
announces it on enrollment.v1, a voucher upload through the gateway, and the scope matrix's part — who
may call each /api/billing route, district B's money (the enrollment batch with a voucher under review;
a second batch paid with the manual's over-payment, 2,000 yuan against 1,220 due: approved, its refund
of 780 waiting, its receipt issued), probes aiming at it, and the check that it is unchanged afterwards."""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from contracts.enrollment import (
    BatchLine,
    Channel,
    EnrollmentBatchSubmitted,
    EnrollmentType,
    GuaranteeTotal,
    PremiumSplit,
)
from localstack.pytest_plugin import eventually, send_event
from runtime.clock import SHANGHAI
from services.gateway.tests.conftest import Platform

# A PNG by its magic bytes, as the service checks uploads.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17) + b"voucher-image"
PROGRAMME = "member-basic"
YEAR = datetime.now(SHANGHAI).year + 1
DUE_FEN, PAID_FEN = 122000, 200000  # manual 002: 缴费金额 2000.00 against 保费 1220 → 退款金额 780


def batch_event(
    payer_id: int, payer_name: str, unit_id: int, persons: int = 61, premium_fen: int = 2000
) -> EnrollmentBatchSubmitted:
    """A collective batch of one chunk, as enrollment announces it when a district submits it
    (61 × 20 元 = 1,220 元 by default, 10 元 of each borne by the city)."""
    today = datetime.now(SHANGHAI)
    no = f"CB{today:%Y%m%d}{random.randint(0, 10**6):06d}"
    lines = [
        BatchLine(member_id=f"m-{no}-{i}", org_id=unit_id, name=f"参保会员{i}",
                  id_number_masked=f"310***********{i:04d}", channel=Channel.MEMBER_CARD, guarantee_type="A",
                  premium_fen=premium_fen)
        for i in range(persons)
    ]  # fmt: skip
    amount, city = persons * premium_fen, persons * 1000
    return EnrollmentBatchSubmitted(
        batch_no=no, chunk=0, chunks=1, lines_total=persons, payer_org_id=payer_id, payer_org_name=payer_name,
        programme=PROGRAMME, programme_name="上海工会会员专享基本保障", year=YEAR,
        enrollment_type=EnrollmentType.COLLECTIVE,
        guarantee_types=[GuaranteeTotal(code="A", name="A类会员专享基本保障", premium_fen=premium_fen,
                                        persons=persons, amount_fen=amount)],
        persons_member_card=persons, persons_ss_card=0,
        split=PremiumSplit(amount_fen=amount, city_fen=city, district_fen=amount - city, grassroots_fen=0),
        pay_by=(today + timedelta(days=20)).date(), coverage_start=date(YEAR, 1, 1),
        coverage_end=date(YEAR, 12, 31), handler_name="王经办",
        handler_phone_masked="139*****1111", handler_email="wang@example.com", submitted_at=today, lines=lines,
    )  # fmt: skip


def voucher_data(batch_nos: list[str], amount_fen: int, paying_unit: str, **extra: Any) -> dict[str, Any]:
    today = datetime.now(SHANGHAI).date().isoformat()
    return {
        "batch_nos": batch_nos, "paying_unit": paying_unit, "method": "贷记(网银)", "amount_fen": amount_fen,
        "account_category": "会员专享", "transfer_date": today, **extra,
    }  # fmt: skip


def refund_to(account_name: str) -> dict[str, str]:
    return {"account_category": "在职", "account_name": account_name, "account_no": "6222 0000 1111 2222",
            "bank": "上海银行", "method": "划帐"}  # fmt: skip


def voucher_form(data: dict[str, Any], file: bytes | None = PNG) -> dict[str, Any]:
    """The multipart parts of an upload: `data` as JSON text, the voucher image."""
    parts: dict[str, Any] = {"data": (None, json.dumps(data, ensure_ascii=False))}
    return parts | ({"file": ("凭证.png", file, "image/png")} if file is not None else {})


def key() -> dict[str, str]:
    return {"Idempotency-Key": f"k-{uuid.uuid4().hex}"}


async def payable_seen(client: httpx.AsyncClient, batch_no: str, timeout: float = 120) -> dict[str, Any]:
    """The payable once billing has made it (from enrollment.v1) and knows its payer (from org.v1)."""

    async def seen() -> dict | None:
        r = await client.get(f"/api/billing/payables/{batch_no}")
        return r.json() if r.status_code == 200 else None

    payable = await eventually(seen, timeout=timeout)
    assert payable, f"billing never showed the payable {batch_no} behind the gateway"
    return payable  # type: ignore[no-any-return]


EVERYONE_BUT_SYSTEM = {"city", "district", "secondary", "grassroots", "enterprise", "insurer", "admin"}
PAYERS = {"city", "district", "secondary", "grassroots", "enterprise"}
INSURERS = {"insurer", "admin"}
# The policy, written down once more independently of gateway.domain.access.
BILLING_AUDIENCE: dict[str, set[str]] = {
    **dict.fromkeys(
        [
            *("list_payables", "export_payables", "get_payable", "download_payable_notice"),
            *("export_payable_statistics", "list_payable_lines", "list_receiving_accounts", "list_programme_accounts"),
            *("search_vouchers", "export_vouchers", "get_voucher", "download_voucher_file"),
            *("download_voucher_refund_file", "search_refunds", "export_refunds", "get_refund"),
            *("get_payable_receipts", "search_receipts", "export_receipts", "download_receipt"),
            *("get_reconciliation", "export_reconciliation", "get_premium_split", "export_premium_split"),
        ],
        EVERYONE_BUT_SYSTEM,
    ),
    **dict.fromkeys(["preview_voucher", "upload_voucher", "correct_voucher", "request_receipts"], PAYERS),
    **dict.fromkeys(
        [
            *("reissue_payable_notice", "put_receiving_account", "put_programme_account", "approve_voucher"),
            *("return_voucher", "issue_refund", "issue_receipts", "void_receipt"),
        ],
        INSURERS,
    ),
}


def billing_probes(i: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Requests that aim at district B's money from wherever the caller is."""
    enrolled, paid = {"batch_no": i["b_batch"]}, {"batch_no": i["b_paid_batch"]}
    waiting, approved = {"voucher_no": i["b_voucher"]}, {"voucher_no": i["b_paid_voucher"]}
    refund, receipt = {"refund_no": i["b_refund"]}, {"receipt_no": i["b_receipt"]}
    year = {"programme": PROGRAMME, "year": YEAR}
    form = voucher_form(voucher_data([i["b_batch"]], 2600, "探测单位"))
    return {
        "list_payables": [{}, {"params": {"payer_org_id": i["b"]}}, {"params": {"batch_no": i["b_batch"]}}],
        "export_payables": [{}, {"params": {"payer_org_id": i["b"]}}],
        "get_payable": [{"path": enrolled}, {"path": paid}],
        "download_payable_notice": [{"path": paid}],
        "reissue_payable_notice": [{"path": paid}],
        "export_payable_statistics": [{"path": enrolled}],
        "list_payable_lines": [{"path": paid}],
        "list_receiving_accounts": [{}],
        "put_receiving_account": [
            {"path": {"category": "会员专享"}, "json": {"payee_name": "探测", "account_no": "1", "bank": "探测"}}
        ],
        "list_programme_accounts": [{}],
        "put_programme_account": [{"path": {"programme": PROGRAMME}, "json": {"category": "在职"}}],
        "preview_voucher": [{"json": voucher_data([i["b_batch"]], 2600, "探测单位")}],
        "upload_voucher": [{"files": form, "headers": key()}],
        "search_vouchers": [{}, {"params": {"batch_no": i["b_batch"]}}, {"params": {"paying_unit": "乙区"}}],
        "export_vouchers": [{}],
        "get_voucher": [{"path": waiting}, {"path": approved}],
        "correct_voucher": [{"path": waiting, "files": form, "headers": key()}],
        "download_voucher_file": [{"path": waiting}],
        "download_voucher_refund_file": [{"path": approved}],
        "approve_voucher": [{"path": waiting, "headers": key()}],
        "return_voucher": [{"path": waiting, "json": {"reason": "探测"}}],
        "search_refunds": [{}, {"params": {"voucher_no": i["b_paid_voucher"]}}],
        "export_refunds": [{}],
        "get_refund": [{"path": refund}],
        "issue_refund": [
            {"path": refund, "json": {"paid_on": datetime.now(SHANGHAI).date().isoformat()}, "headers": key()}
        ],
        "get_payable_receipts": [{"path": paid}],
        "request_receipts": [
            {"path": paid, "json": {"lines": [{"title": "探测", "amount_fen": DUE_FEN}]}, "headers": key()}
        ],
        "issue_receipts": [{"path": paid, "headers": key()}],
        "search_receipts": [{}, {"params": {"batch_no": i["b_paid_batch"]}}, {"params": {"title": "乙区"}}],
        "export_receipts": [{}],
        "download_receipt": [{"path": receipt}],
        "void_receipt": [{"path": receipt, "json": {"reason": "探测"}, "headers": key()}],
        "get_reconciliation": [{"params": year}],
        "export_reconciliation": [{"params": year}],
        "get_premium_split": [{"params": year}],
        "export_premium_split": [{"params": year}],
    }


async def billing_of_b(p: Platform, ids: dict[str, Any]) -> None:
    """District B's enrollment batch reaches billing (enrollment.v1) and gets a voucher of the exact
    amount, left under review; a second batch of B's is paid with 2,000 yuan against 1,220 — approved
    by the insurer (a refund of 780 waits), its receipt asked for and issued."""
    gw = p.gateway
    district, insurer = await gw.signed_in("b-qu"), await gw.signed_in("zhibao")
    enrolled = await payable_seen(district, ids["b_batch"])
    exact = voucher_data([ids["b_batch"]], enrolled["due_fen"], "乙区总工会")
    waiting = await district.post("/api/billing/vouchers", files=voucher_form(exact), headers=key())
    assert waiting.status_code == 201, waiting.text
    event = batch_event(ids["b"], "乙区总工会", ids["b_gr"])
    await send_event(gw.app.state.settings.kafka_bootstrap_servers, event, source="/services/enrollment")
    await payable_seen(district, event.batch_no)
    over = voucher_data([event.batch_no], PAID_FEN, "乙区总工会", refund=refund_to("乙区总工会"))
    paid = await district.post("/api/billing/vouchers", files=voucher_form(over), headers=key())
    assert paid.status_code == 201, paid.text
    approved = await insurer.post(f"/api/billing/vouchers/{paid.json()['voucher_no']}/approve", headers=key())
    assert approved.status_code == 200 and approved.json()["refund_no"], approved.text
    lines = {"lines": [{"title": "乙区总工会", "amount_fen": DUE_FEN}]}
    asked = await district.put(f"/api/billing/payables/{event.batch_no}/receipts", json=lines, headers=key())
    assert asked.status_code == 200, asked.text
    issued = await insurer.post(f"/api/billing/payables/{event.batch_no}/receipts/issue", headers=key())
    assert issued.status_code == 200, issued.text
    ids |= {"b_voucher": waiting.json()["voucher_no"], "b_paid_batch": event.batch_no}
    ids |= {"b_paid_voucher": paid.json()["voucher_no"], "b_refund": approved.json()["refund_no"]}
    ids["b_receipt"] = issued.json()["items"][0]["receipt_no"]


async def b_billing_is_unchanged(admin: httpx.AsyncClient, ids: dict[str, Any]) -> None:
    enrolled = (await admin.get(f"/api/billing/payables/{ids['b_batch']}")).json()
    assert (enrolled["status"], enrolled["paid_fen"]) == ("审核中", 0)
    paid = (await admin.get(f"/api/billing/payables/{ids['b_paid_batch']}")).json()
    assert (paid["state"], paid["paid_fen"], paid["notice_version"]) == ("已确认", DUE_FEN, 1)
    waiting = (await admin.get(f"/api/billing/vouchers/{ids['b_voucher']}")).json()
    assert (waiting["state"], waiting["version"], waiting["paying_unit"]) == ("审核中", 1, "乙区总工会")
    refund = (await admin.get(f"/api/billing/refunds/{ids['b_refund']}")).json()
    assert (refund["state"], refund["amount_fen"]) == ("待退款", PAID_FEN - DUE_FEN)
    receipts = (await admin.get(f"/api/billing/payables/{ids['b_paid_batch']}/receipts")).json()
    assert [(r["receipt_no"], r["state"], r["title"]) for r in receipts["items"]] == [
        (ids["b_receipt"], "已开具", "乙区总工会")
    ]
    vouchers = (await admin.get("/api/billing/vouchers", params={"payer_org_id": ids["b"]})).json()
    assert vouchers["total"] == 2
    accounts = (await admin.get("/api/billing/accounts")).json()
    assert all(a["payee_name"] != "探测" for a in accounts)
    categories = {a["programme"]: a["category"] for a in (await admin.get("/api/billing/programme-accounts")).json()}
    assert categories.get(PROGRAMME, "会员专享") == "会员专享"
