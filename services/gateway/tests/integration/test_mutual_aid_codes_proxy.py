"""互助保障 参保编码 through the gateway, with the enrollment service behind it (its own process; the
local SMS sender answers with the code): a grassroots union uploads a 3 MB licence (past the gateway's
1 MB limit), applies, is rejected with a reason, resubmits and gets its code from the insurer; an
enterprise applying for the same name is refused with the code's contact (problem+json unchanged);
经办人填报 opens the name change, which the insurer approves. Tiers are kept to their actions, attachment
URLs are the gateway's, and the operation log has the changes and the export."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from localstack import Postgres, Tansu
from runtime.identity import make_uscc
from runtime.tokens import Tier
from services.gateway.tests.conftest import (
    PASSWORD,
    Gateway,
    SeedAccount,
    enrollment_process,
    gateway_settings,
    start_gateway,
)

API = "/api/mutual-aid"
PNG = b"\x89PNG\r\n\x1a\n"
FORM: dict[str, Any] = {
    "unit_name": "上海小明科技有限公司", "committee": "普陀区", "uscc": make_uscc(41), "nature": "企业",
    "contact": "章先生", "contact_phone": "18712345678", "email": "114@qq.com", "address": "上海市普陀区某某路1号",
    "postcode": "200333", "headcount": 12,
}  # fmt: skip
HANDLER = {
    "handler_name": "王经办", "handler_phone": "13900001111", "handler_email": "wang@example.com",
    "uscc": make_uscc(41), "economic_type": "私营企业", "union_first": "普陀区总工会", "union_second": "长征镇总工会",
    "address": "上海市普陀区某某路1号", "industry": "制造业", "headcount": 12,
}  # fmt: skip


@pytest.fixture
async def codes_gateway(
    postgres: Postgres, database: str, broker: Tansu, redis_url: str, redis_prefix: str, tmp_path: Path
) -> AsyncIterator[Gateway]:
    enrollment_db = await postgres.ensure_database(f"e_{uuid.uuid4().hex[:12]}", fresh=True)
    log = tmp_path / "enrollment.log"
    async with (
        enrollment_process(enrollment_db, broker.bootstrap, log) as url,
        start_gateway(gateway_settings(database, broker, redis_url, redis_prefix, enrollment_url=url)) as gw,
    ):
        await gw.place((1, None, "1", "市总工会"), (2, 1, "1.2", "区局（产业）工会"), (3, 2, "1.2.3", "单独基层工会"))
        await gw.seed(
            SeedAccount("shizong", PASSWORD, Tier.CITY, 1),
            SeedAccount("qu", PASSWORD, Tier.DISTRICT, 2),
            SeedAccount("jiceng", PASSWORD, Tier.GRASSROOTS, 3),
            SeedAccount("qiye", PASSWORD, Tier.ENTERPRISE, name="某未建会企业", enterprise_id=9),
            SeedAccount("zhibao", PASSWORD, Tier.INSURER),
        )
        yield gw


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def sms(client: httpx.AsyncClient, phone: str, purpose: str = "code_application") -> str:
    sent = await ok(await client.post(f"{API}/sms-codes", json={"phone": phone, "purpose": purpose}), 201)
    assert sent["phone"] == phone[:3] + "*****" + phone[-4:] and len(sent["code"]) == 6
    return str(sent["code"])


async def upload(client: httpx.AsyncClient, name: str, content: bytes) -> dict[str, Any]:
    kind = "application/pdf" if name.endswith(".pdf") else "image/png"
    r = await client.post(
        f"{API}/attachments", params={"file_name": name}, content=content, headers={"content-type": kind}
    )
    return await ok(r, 201)  # type: ignore[no-any-return]


async def test_a_code_applied_for_reviewed_and_renamed_through_the_gateway(codes_gateway: Gateway):  # noqa: PLR0915
    gw = codes_gateway
    unit, enterprise, insurer, district, city = [
        await gw.signed_in(a) for a in ("jiceng", "qiye", "zhibao", "qu", "shizong")
    ]

    # a 3 MB licence scan is the service's to judge (10 MB there), not the gateway's 1 MB
    licence = await upload(unit, "营业执照.png", PNG + bytes(3 * 1024 * 1024))
    assert licence["size"] == 3 * 1024 * 1024 + len(PNG) and licence["url"] == f"{API}/attachments/{licence['id']}"
    text = await unit.post(f"{API}/attachments", params={"file_name": "说明.png"}, content=b"hello")
    assert (text.status_code, text.json()["code"]) == (415, "attachment.file_type")
    body = FORM | {"attachment_ids": [licence["id"]], "sms_code": await sms(unit, FORM["contact_phone"])}
    assert (await district.post(f"{API}/code-applications", json=body)).json()["code"] == "tier.forbidden"
    applied = await ok(await unit.post(f"{API}/code-applications", json=body), 201)
    assert (applied["status"], applied["attachments"][0]["url"]) == ("申请中", licence["url"])

    # the insurer's queue; only the insurer reviews; the reason reaches the unit
    queue = await ok(await insurer.get(f"{API}/code-applications", params={"status": "申请中"}))
    assert [i["id"] for i in queue["items"]] == [applied["id"]] and queue["items"][0]["contact_phone"] == "187*****5678"
    assert (await city.get(f"{API}/code-applications")).json()["code"] == "tier.forbidden"
    url = f"{API}/code-applications/{applied['id']}"
    assert (await unit.post(f"{url}/approve")).json()["code"] == "tier.forbidden"
    rejected = await ok(await insurer.post(f"{url}/reject", json={"reason": "附件未加盖公章"}))
    assert (rejected["status"], rejected["reviewed_by_name"]) == ("审核不通过", "zhibao")
    scan = await insurer.get(licence["url"])
    assert (
        scan.status_code == 200 and scan.content.startswith(PNG) and scan.headers["x-content-type-options"] == "nosniff"
    )
    assert (await enterprise.get(licence["url"])).status_code == 404

    # 【编辑】 and submit again with a sealed PDF; 审核通过 → the code
    sealed = await upload(unit, "营业执照（盖章）.pdf", b"%PDF-1.4\n%%EOF")
    # the contact changed too: the SMS code goes to the new number
    again = FORM | {"contact_phone": "18712345679", "attachment_ids": [sealed["id"]]}
    again["sms_code"] = await sms(unit, "18712345679")
    resubmitted = await ok(await unit.put(url, json=again))
    assert [h["action"] for h in resubmitted["history"]] == ["提交申请", "审核不通过", "重新提交"]
    approved = await ok(await insurer.post(f"{url}/approve"))
    code = approved["code"]
    assert approved["status"] == "审核通过" and len(code) == 6
    assert [c["code"] for c in (await ok(await unit.get(f"{API}/codes")))["items"]] == [code]
    assert (await ok(await enterprise.get(f"{API}/codes")))["total"] == 0

    # "提交失败!该企业已申请过参保编码" — with the code's contact, the service's problem+json as it is
    theirs = await upload(enterprise, "执照.png", PNG)
    taken = await enterprise.post(f"{API}/code-applications", json=FORM | {
        "contact": "李四", "contact_phone": "13700002222", "attachment_ids": [theirs["id"]],
        "sms_code": await sms(enterprise, "13700002222"),
    })  # fmt: skip
    assert taken.status_code == 409 and taken.headers["content-type"].startswith("application/problem+json")
    assert taken.json()["title"] == "提交失败！该企业已申请过参保编码。【联系人：章先生，手机号：18712345679】"

    # 经办人填报 first; then 单位名称变更, reviewed by the insurer
    evidence = await upload(unit, "名称变更核准通知书.pdf", b"%PDF-1.4\n%%EOF")
    change = {"new_name": "上海小明信息科技有限公司", "attachment_ids": [evidence["id"]]}
    blocked = await unit.post(f"{API}/codes/{code}/name-changes", json=change)
    assert (blocked.status_code, blocked.json()["code"]) == (409, "handler.incomplete")
    handler = HANDLER | {"sms_code": await sms(unit, HANDLER["handler_phone"], "handler")}
    assert (await ok(await unit.put(f"{API}/codes/{code}/handler", json=handler)))["complete"] is True
    applied_change = await ok(await unit.post(f"{API}/codes/{code}/name-changes", json=change), 201)
    assert applied_change["attachments"][0]["url"] == evidence["url"]
    changes = await ok(await insurer.get(f"{API}/name-changes", params={"status": "申请中"}))
    assert [c["id"] for c in changes["items"]] == [applied_change["id"]]
    done = await ok(await insurer.post(f"{API}/name-changes/{applied_change['id']}/approve"))
    assert done["status"] == "审核通过"
    assert (await ok(await unit.get(f"{API}/codes/{code}")))["unit_name"] == "上海小明信息科技有限公司"

    export = await insurer.get(f"{API}/code-applications/export")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [(r[1], r[11], r[12]) for r in rows[1:]] == [("上海小明科技有限公司", "审核通过", code)]
    admin_log = (await city.get("/api/audit", params={"size": 200})).json()["items"]
    actions = {(e["action"], e["outcome"]) for e in admin_log}
    assert {("apply_for_code", "success"), ("approve_code_application", "success"),
            ("export_code_applications", "success"), ("approve_code_application", "denied")} <= actions  # fmt: skip


async def test_a_down_enrollment_service_is_a_503_for_the_code_screens(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"), (3, 1, "1.3", "单独基层工会"))
    await gateway.seed(
        SeedAccount("jiceng", PASSWORD, Tier.GRASSROOTS, 3), SeedAccount("zhibao", PASSWORD, Tier.INSURER)
    )
    unit, insurer = await gateway.signed_in("jiceng"), await gateway.signed_in("zhibao")
    for client, path in ((unit, f"{API}/code-applications"), (insurer, f"{API}/name-changes")):
        down = await client.get(path)
        assert (down.status_code, down.json()["code"], down.json()["title"]) == (
            503, "service.unavailable", "参保服务暂时不可用",
        )  # fmt: skip
    menus = set((await unit.get("/api/me")).json()["menus"])
    assert {"mutual-aid-code-applications", "mutual-aid-handler", "mutual-aid-name-changes"} <= menus
    assert {"mutual-aid-code-review", "mutual-aid-name-change-review"} <= set(
        (await insurer.get("/api/me")).json()["menus"]
    )
