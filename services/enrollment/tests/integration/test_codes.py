"""互助保障 参保编码 on the service (real database and broker): a unit uploads its sealed licence, gets an
SMS code and applies; a name that already has a code is refused with that code's contact; the insurer
rejects with a reason, the unit edits and resubmits, the insurer approves → the code and
`enrollment.code.approved`. Without 经办人填报 nothing else goes; with it, the group's units and a unit
name change reviewed by the insurer. Every refusal changes nothing; other accounts see nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from enrollment import demo
from enrollment.domain.mutual_aid.codes import is_valid_code
from enrollment.settings import EnrollmentSettings
from localstack.pytest_plugin import eventually
from runtime.identity import make_uscc
from runtime.outbox import OutboxMessage
from runtime.tokens import Tier
from services.enrollment.tests.conftest import CITY, app_of, at, bearer, enrollment_events, ok

BASE = "/mutual-aid"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"
INSURER = bearer(Tier.INSURER, user="201")
UNION = bearer(Tier.GRASSROOTS, "1.12.14.13", user="101", org_id=13)
ENTERPRISE = bearer(Tier.ENTERPRISE, user="102")
OTHER_UNION = bearer(Tier.GRASSROOTS, "1.12.14.15", user="103", org_id=15)
# The manual's form (申请参保编码)
FORM: dict[str, Any] = {
    "unit_name": "小明公司", "committee": "普陀区", "uscc": make_uscc(31), "nature": "企业", "contact": "章先生",
    "contact_phone": "18712345678", "email": "114@qq.com", "address": "上海市普陀区某某路1号", "postcode": "200333",
    "headcount": 12, "unit_phone": "021-62345678",
}  # fmt: skip
HANDLER = {
    "handler_name": "王经办", "handler_phone": "13900001111", "handler_email": "wang@example.com",
    "uscc": make_uscc(31), "economic_type": "私营企业", "union_first": "普陀区总工会", "union_second": "长征镇总工会",
    "address": "上海市普陀区某某路1号", "industry": "制造业", "headcount": 12,
}  # fmt: skip


@pytest.fixture
def settings(settings: EnrollmentSettings) -> EnrollmentSettings:
    """The local SMS sender, answering with the code (as in development)."""
    return settings.model_copy(update={"sms_show_code": True})


async def attach(client, headers: dict[str, str], name: str = "营业执照.png", content: bytes = PNG) -> str:  # type: ignore[no-untyped-def]
    r = await client.post(f"{BASE}/attachments", params={"file_name": name}, content=content,
                          headers=headers | {"content-type": "image/png"})  # fmt: skip
    return str((await ok(r, 201))["id"])


async def sms_code(client, clock, headers: dict[str, str], phone: str, purpose: str = "code_application") -> str:  # type: ignore[no-untyped-def]
    clock.advance(timedelta(minutes=2))  # one code a minute per number
    sent = await ok(
        await client.post(f"{BASE}/sms-codes", json={"phone": phone, "purpose": purpose}, headers=headers), 201
    )
    assert sent["phone"] == phone[:3] + "*****" + phone[-4:]
    return str(sent["code"])


async def apply(client, clock, headers: dict[str, str], **change: Any) -> Any:  # type: ignore[no-untyped-def]
    body = FORM | change
    body["attachment_ids"] = body.get("attachment_ids") or [await attach(client, headers)]
    body["sms_code"] = body.get("sms_code") or await sms_code(client, clock, headers, body["contact_phone"])
    return await client.post(f"{BASE}/code-applications", json=body, headers=headers)


async def approved_code(client, clock, headers: dict[str, str], **change: Any) -> str:  # type: ignore[no-untyped-def]
    application = await ok(await apply(client, clock, headers, **change), 201)
    done = await ok(await client.post(f"{BASE}/code-applications/{application['id']}/approve", headers=INSURER))
    return str(done["code"])


async def test_a_unit_applies_is_rejected_resubmits_and_gets_its_code(client, clock, kafka):
    """Also: a wrong or spent SMS code, a name that already has a code (with that code's contact), the
    insurer's queue and export, tiers kept to their actions, nothing of it for other accounts."""
    licence = await attach(client, UNION)
    code = await sms_code(client, clock, UNION, FORM["contact_phone"])
    again = {"phone": FORM["contact_phone"], "purpose": "code_application"}
    too_soon = await client.post(f"{BASE}/sms-codes", json=again, headers=UNION)
    assert (too_soon.status_code, too_soon.json()["code"]) == (429, "sms.too_soon")
    body = FORM | {"attachment_ids": [licence]}
    guess = "000000" if code != "000000" else "111111"
    wrong = await client.post(f"{BASE}/code-applications", json=body | {"sms_code": guess}, headers=UNION)
    assert (wrong.status_code, wrong.json()["code"], wrong.json()["attempts_left"]) == (422, "sms.code_wrong", 4)
    missing = await client.post(f"{BASE}/code-applications", json=body | {"sms_code": code, "attachment_ids": []},
                                headers=UNION)  # fmt: skip
    assert (missing.status_code, missing.json()["code"]) == (422, "attachment.required")
    assert (await ok(await client.get(f"{BASE}/code-applications", headers=UNION)))["total"] == 0  # nothing kept

    # 申请中: the unit sees it with its file; nobody else does
    first = await ok(await client.post(f"{BASE}/code-applications", json=body | {"sms_code": code}, headers=UNION), 201)
    assert (first["status"], first["code"], first["contact_phone"], first["unit_phone"]) == (
        "申请中", None, "18712345678", "021-62345678",
    )  # fmt: skip
    assert [a["file_name"] for a in first["attachments"]] == ["营业执照.png"]
    assert [h["action"] for h in first["history"]] == ["提交申请"]
    spent = await client.post(f"{BASE}/code-applications", json=body | {"sms_code": code}, headers=UNION)
    assert (spent.status_code, spent.json()["code"]) == (422, "sms.code_expired")  # single use
    twice = await apply(client, clock, UNION)
    assert (twice.status_code, twice.json()["code"]) == (409, "code_application.pending_exists")
    mine = await ok(await client.get(f"{BASE}/code-applications", headers=UNION))
    assert mine["total"] == 1 and mine["items"][0]["contact_phone"] == "187*****5678"  # lists mask phones
    assert (await ok(await client.get(f"{BASE}/code-applications", headers=ENTERPRISE)))["total"] == 0
    assert (await client.get(f"{BASE}/code-applications/{first['id']}", headers=ENTERPRISE)).status_code == 404
    assert (await client.get(first["attachments"][0]["url"], headers=ENTERPRISE)).status_code == 404
    file = await client.get(first["attachments"][0]["url"], headers=INSURER)
    assert file.content == PNG and file.headers["x-content-type-options"] == "nosniff"
    assert "attachment" in file.headers["content-disposition"]

    # the insurer's queue: filters, paging; only the insurer reviews; a rejection needs its reason
    queue = await ok(await client.get(f"{BASE}/code-applications", params={"status": "申请中", "unit_name": "小明"},
                                      headers=INSURER))  # fmt: skip
    assert [i["id"] for i in queue["items"]] == [first["id"]]
    assert (await ok(await client.get(f"{BASE}/code-applications", params={"status": "审核通过"}, headers=INSURER)))[
        "total"
    ] == 0
    url = f"{BASE}/code-applications/{first['id']}"
    assert (await client.post(f"{url}/approve", headers=UNION)).status_code == 403
    no_reason = await client.post(f"{url}/reject", json={"reason": " "}, headers=INSURER)
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "review.reason_required")
    rejected = await ok(await client.post(f"{url}/reject", json={"reason": "附件未加盖公章"}, headers=INSURER))
    assert (rejected["status"], rejected["reject_reason"], rejected["reviewed_by"]) == (
        "审核不通过",
        "附件未加盖公章",
        "201",
    )
    again = await client.post(f"{url}/reject", json={"reason": "重复"}, headers=INSURER)
    assert (again.status_code, again.json()["code"]) == (409, "review.not_pending")

    # 【编辑】: the unit changes the form and its file, submits again → 申请中; the log keeps the reason
    stamped = await attach(client, UNION, "营业执照（盖章）.pdf", PDF)
    edited = FORM | {"headcount": 15, "attachment_ids": [stamped],
                     "sms_code": await sms_code(client, clock, UNION, FORM["contact_phone"])}  # fmt: skip
    assert (await client.put(url, json=edited, headers=ENTERPRISE)).status_code == 404  # not its application
    resubmitted = await ok(await client.put(url, json=edited, headers=UNION))
    assert (resubmitted["status"], resubmitted["headcount"], resubmitted["reject_reason"]) == ("申请中", 15, None)
    assert [a["file_name"] for a in resubmitted["attachments"]] == ["营业执照（盖章）.pdf"]
    assert [(h["action"], h["note"]) for h in resubmitted["history"]] == [
        ("提交申请", None), ("审核不通过", "附件未加盖公章"), ("重新提交", None),
    ]  # fmt: skip
    not_editable = await client.put(url, json=edited, headers=UNION)
    assert (not_editable.status_code, not_editable.json()["code"]) == (409, "code_application.not_editable")

    # 审核通过: the code, shown on the application; the event
    approved = await ok(await client.post(f"{url}/approve", headers=INSURER))
    code_value = approved["code"]
    assert approved["status"] == "审核通过" and is_valid_code(code_value)
    assert (await client.post(f"{url}/approve", headers=INSURER)).json()["code"] == "review.not_pending"
    codes = await ok(await client.get(f"{BASE}/codes", headers=UNION))
    assert [(c["code"], c["unit_name"], c["handler_complete"]) for c in codes["items"]] == [
        (code_value, "小明公司", False)
    ]
    assert [(u["unit_name"], u["main"]) for u in codes["items"][0]["units"]] == [("小明公司", True)]
    assert (await ok(await client.get(f"{BASE}/codes", headers=ENTERPRISE)))["total"] == 0

    async def approved_events():  # type: ignore[no-untyped-def]
        # codes restart in every test's database while the broker is the session's: this test's own
        found = await enrollment_events(kafka.bootstrap, "enrollment.code.approved", code_value)
        return [e for e in found if e["headcount"] == 15]

    events = await eventually(approved_events, timeout=30)
    assert len(events) == 1
    fields = ("code", "unit_name", "owner_user_id", "owner_tier", "owner_org_id", "headcount")
    assert {k: events[0][k] for k in fields} == {
        "code": code_value, "unit_name": "小明公司", "owner_user_id": "101", "owner_tier": "grassroots",
        "owner_org_id": 13, "headcount": 15,
    }  # fmt: skip

    # "该企业已申请过参保编码": another account, the same name written differently → its contact
    taken = await apply(client, clock, ENTERPRISE, unit_name=" 小明 公司", contact="李四", contact_phone="13700002222")
    assert (taken.status_code, taken.json()["code"]) == (409, "code_application.name_has_code")
    assert taken.json()["title"] == "提交失败！该企业已申请过参保编码。【联系人：章先生，手机号：18712345678】"
    assert (await ok(await client.get(f"{BASE}/code-applications", headers=ENTERPRISE)))["total"] == 0

    export = await client.get(f"{BASE}/code-applications/export", params={"status": "审核通过"}, headers=INSURER)
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("申请编号", "单位名称", "工委名称")
    assert [(r[1], r[6], r[11], r[12]) for r in rows[1:]] == [("小明公司", "187*****5678", "审核通过", code_value)]


async def test_nothing_goes_before_the_handler_then_units_and_a_name_change(client, clock):
    code = await approved_code(client, clock, UNION)
    other = await approved_code(client, clock, ENTERPRISE, unit_name="大华集团有限公司", contact="赵六",
                                contact_phone="13600003333")  # fmt: skip
    units, changes = f"{BASE}/codes/{code}/units", f"{BASE}/codes/{code}/name-changes"
    evidence = await attach(client, UNION, "名称变更核准通知书.pdf", PDF)

    # 经办人填报 first: every other action is refused until it is saved
    for refused in (
        await client.post(units, json={"unit_name": "小明科技分公司"}, headers=UNION),
        await client.post(changes, json={"new_name": "小明科技有限公司", "attachment_ids": [evidence]}, headers=UNION),
    ):
        assert (refused.status_code, refused.json()["code"]) == (409, "handler.incomplete")
        assert "经办人填报" in refused.json()["title"]
    form = await ok(await client.get(f"{BASE}/codes/{code}/handler", headers=UNION))
    assert (form["complete"], form["union_names_required"], form["uscc"], form["headcount"]) == (
        False,
        True,
        FORM["uscc"],
        12,
    )
    handler = f"{BASE}/codes/{code}/handler"
    no_union = await client.put(handler, json=HANDLER | {"union_first": "", "sms_code": "123456"}, headers=UNION)
    assert (no_union.status_code, no_union.json()["code"], no_union.json()["field"]) == (
        422,
        "handler.field_required",
        "union_first",
    )
    unsent = await client.put(handler, json=HANDLER | {"sms_code": "123456"}, headers=UNION)
    assert (unsent.status_code, unsent.json()["code"]) == (422, "sms.code_expired")
    sent = await sms_code(client, clock, UNION, HANDLER["handler_phone"], "handler")
    assert (await client.put(handler, json=HANDLER | {"sms_code": sent}, headers=ENTERPRISE)).status_code == 404
    saved = await ok(await client.put(handler, json=HANDLER | {"sms_code": sent}, headers=UNION))
    assert (saved["complete"], saved["handler_phone"], saved["saved_by"]) == (True, "13900001111", "101")
    assert (await ok(await client.get(f"{BASE}/codes/{other}/handler", headers=ENTERPRISE)))[
        "union_names_required"
    ] is False

    # a group enrols several units under its code; a unit with a code of its own is not one of them
    group = await ok(await client.post(units, json={"unit_name": "小明科技分公司"}, headers=UNION), 201)
    assert [u["unit_name"] for u in group["units"]] == ["小明公司", "小明科技分公司"]
    held = await client.post(units, json={"unit_name": "大华集团有限公司"}, headers=UNION)
    assert (held.status_code, held.json()["code"]) == (409, "code_unit.name_has_code")
    assert "赵六" in held.json()["title"]
    main = group["units"][0]["id"]
    assert (await client.delete(f"{units}/{main}", headers=UNION)).json()["code"] == "code_unit.main"
    branch = group["units"][1]["id"]
    assert [u["unit_name"] for u in (await ok(await client.delete(f"{units}/{branch}", headers=UNION)))["units"]] == [
        "小明公司"
    ]

    # 单位名称变更: evidence, a new name nobody holds, one at a time; the insurer decides
    for body, expected in (
        ({"new_name": "小明科技有限公司", "attachment_ids": []}, (422, "attachment.required")),
        ({"new_name": "小明 公司", "attachment_ids": [evidence]}, (422, "name_change.same_name")),
        ({"new_name": "大华集团有限公司", "attachment_ids": [evidence]}, (409, "name_change.name_has_code")),
    ):
        r = await client.post(changes, json=body, headers=UNION)
        assert (r.status_code, r.json()["code"]) == expected, body
    change = await ok(await client.post(changes, json={"new_name": "小明科技有限公司", "note": "工商更名",
                                                       "attachment_ids": [evidence]}, headers=UNION), 201)  # fmt: skip
    assert (change["status"], change["old_name"], [a["file_name"] for a in change["attachments"]]) == (
        "申请中", "小明公司", ["名称变更核准通知书.pdf"],
    )  # fmt: skip
    another = {"new_name": "小明二号公司", "attachment_ids": [await attach(client, UNION)]}
    second = await client.post(changes, json=another, headers=UNION)
    assert (second.status_code, second.json()["code"]) == (409, "name_change.pending_exists")
    assert (await ok(await client.get(f"{BASE}/codes/{code}", headers=UNION)))["pending_name_change"] == change["id"]
    assert (await ok(await client.get(f"{BASE}/name-changes", headers=ENTERPRISE)))["total"] == 0
    queue = await ok(await client.get(f"{BASE}/name-changes", params={"status": "申请中"}, headers=INSURER))
    assert [c["id"] for c in queue["items"]] == [change["id"]]
    review = f"{BASE}/name-changes/{change['id']}"
    assert (await client.post(f"{review}/approve", headers=UNION)).status_code == 403
    rejected = await ok(await client.post(f"{review}/reject", json={"reason": "证明材料不清晰"}, headers=INSURER))
    assert (rejected["status"], rejected["reject_reason"]) == ("审核不通过", "证明材料不清晰")
    assert (await ok(await client.get(f"{BASE}/codes/{code}", headers=UNION)))["unit_name"] == "小明公司"

    clearer = await attach(client, UNION, "名称变更核准通知书（清晰）.pdf", PDF)
    retry = await ok(await client.post(changes, json={"new_name": "小明科技有限公司", "attachment_ids": [clearer]},
                                       headers=UNION), 201)  # fmt: skip
    approved = await ok(await client.post(f"{BASE}/name-changes/{retry['id']}/approve", headers=INSURER))
    assert approved["status"] == "审核通过" and approved["reviewed_by"] == "201"
    renamed = await ok(await client.get(f"{BASE}/codes/{code}", headers=UNION))
    assert (renamed["unit_name"], [u["unit_name"] for u in renamed["units"]]) == (
        "小明科技有限公司",
        ["小明科技有限公司"],
    )
    assert (await client.get(f"{BASE}/codes/{code}", headers=OTHER_UNION)).status_code == 404
    assert (await ok(await client.get(f"{BASE}/codes/{code}", headers=INSURER)))["code"] == code

    # the new name is held now (with the code's contact), the old one is free again
    taken = await apply(client, clock, OTHER_UNION, unit_name="小明科技有限公司", contact_phone="13500004444")
    assert (taken.status_code, taken.json()["code"]) == (409, "code_application.name_has_code")
    assert (await apply(client, clock, OTHER_UNION, contact_phone="13500004444")).status_code == 201
    export = await client.get(f"{BASE}/name-changes/export", headers=INSURER)
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [(r[2], r[3], r[5]) for r in rows[1:]] == [
        ("小明公司", "小明科技有限公司", "审核通过"), ("小明公司", "小明科技有限公司", "审核不通过"),
    ]  # fmt: skip


async def test_attachments_are_checked_like_vouchers_and_sms_codes_are_rate_limited(client, clock):
    for name, content, status, code in (
        ("空.png", b"", 422, "attachment.file_empty"),
        ("说明.txt", b"hello", 415, "attachment.file_type"),
        ("改名.pdf", PNG, 415, "attachment.file_type"),
    ):
        r = await client.post(f"{BASE}/attachments", params={"file_name": name}, content=content, headers=UNION)
        assert (r.status_code, r.json()["code"]) == (status, code), name
    large = await client.post(f"{BASE}/attachments", params={"file_name": "大.png"},
                              content=PNG + b"\x00" * (10 * 1024 * 1024), headers=UNION)  # fmt: skip
    assert (large.status_code, large.json()["code"]) == (413, "attachment.file_too_large")
    refused = await client.post(f"{BASE}/attachments", params={"file_name": "a.png"}, content=PNG, headers=INSURER)
    assert refused.status_code == 403  # units upload; the insurer reviews
    bad_phone = await client.post(f"{BASE}/sms-codes", json={"phone": "12345", "purpose": "handler"}, headers=UNION)
    assert (bad_phone.status_code, bad_phone.json()["code"]) == (422, "phone.format")
    for _ in range(10):
        await sms_code(client, clock, UNION, "13800005555")
    clock.advance(timedelta(minutes=2))
    capped = await client.post(f"{BASE}/sms-codes", json={"phone": "13800005555", "purpose": "handler"}, headers=UNION)
    assert (capped.status_code, capped.json()["code"]) == (429, "sms.daily_limit")
    # someone else's file cannot be attached
    theirs = await attach(client, ENTERPRISE)
    stolen = await apply(client, clock, UNION, attachment_ids=[theirs])
    assert (stolen.status_code, stolen.json()["code"]) == (422, "attachment.not_found")


# --- 退休住院计划 新参保编码申请 (manual 003 四): the same applications, for the plan ---------------------------

RETIREE_YEAR = 2025
# The manual 003 form: 单位名称*, 统一社会信用代码*, 经办人姓名*, 经办人手机*, 经办人邮箱*, 所属区局工会*, 经济类型*,
# 单位地址*, 邮政编码*, 负责人, 单位电话
RETIREE_FORM: dict[str, Any] = {
    "plan": "retiree", "unit_name": "小明公司", "uscc": make_uscc(31), "contact": "王经办",
    "contact_phone": "13900001111", "email": "handler@example.com", "committee": "普陀区总工会",
    "nature": "私营企业", "address": "上海市普陀区某某路1号", "postcode": "200333", "leader": "章先生",
    "unit_phone": "021-62345678",
}  # fmt: skip


async def test_a_unit_without_a_retiree_code_applies_and_its_approval_creates_the_unit(client, clock):
    """The retiree plan through the same applications: the plan's own form and name rule (a mutual-aid code
    does not stand in the way, a unit of the plan does), rejection creating nothing, resubmission for the
    same plan, approval creating the unit — owned by the applicant, 单位信息 as applied, a code of the
    plan's sequence, nothing announced — which then opens a batch with it."""
    clock.set(at(RETIREE_YEAR, 5, 20, 10))
    await demo.configure_retiree(client, CITY, RETIREE_YEAR)
    units = {"units": [{"code": "123000000", "unit_name": "上海某某机械厂", "uscc": make_uscc(1)}]}
    await ok(await client.put("/retiree/units", json=units, headers=INSURER))  # last year's unit
    mutual_aid_code = await approved_code(client, clock, UNION)  # 小明公司 has a mutual-aid code already

    # the retiree form: USCC and the 经办人 required, said in its own words
    for change, field, title in (
        ({"uscc": ""}, "uscc", "请填写统一社会信用代码"),
        ({"contact": ""}, "contact", "请填写经办人姓名"),
        ({"committee": ""}, "committee", "请填写所属区局工会"),
    ):
        r = await client.post(f"{BASE}/code-applications", json=RETIREE_FORM | change | {"sms_code": "123456"},
                              headers=UNION)  # fmt: skip
        assert (r.status_code, r.json()["code"], r.json()["field"], r.json()["title"]) == (
            422, "code_application.field_required", field, title,
        )  # fmt: skip
    # a unit of the plan holds a name: its code (no handler on file yet), or its handler
    held = await apply(
        client, clock, ENTERPRISE, **RETIREE_FORM | {"unit_name": "上海某某机械厂", "uscc": make_uscc(2)}
    )
    assert (held.status_code, held.json()["code"], held.json()["enrollment_code"]) == (
        409, "code_application.name_has_code", "123000000",
    )  # fmt: skip
    by_uscc = await apply(
        client, clock, ENTERPRISE, **RETIREE_FORM | {"unit_name": "上海某某机械公司", "uscc": make_uscc(1)}
    )
    assert (by_uscc.status_code, by_uscc.json()["code"]) == (409, "code_application.name_has_code")

    # 申请中: the mutual-aid code is no obstacle; the lists tell the plans apart
    first = await ok(await apply(client, clock, UNION, **RETIREE_FORM), 201)
    assert (first["plan"], first["status"], first["code"], first["headcount"], first["contact"]) == (
        "retiree", "申请中", None, 0, "王经办",
    )  # fmt: skip
    twice = await apply(client, clock, UNION, **RETIREE_FORM)
    assert (twice.status_code, twice.json()["code"]) == (409, "code_application.pending_exists")
    for plan, expected in (("retiree", [first["id"]]), ("mutual_aid", [1])):
        listed = await ok(await client.get(f"{BASE}/code-applications", params={"plan": plan}, headers=INSURER))
        assert [(i["id"], i["plan"]) for i in listed["items"]] == [(i, plan) for i in expected]

    # 审核不通过 creates nothing; 【编辑】 resubmits for the same plan only
    url = f"{BASE}/code-applications/{first['id']}"
    await ok(await client.post(f"{url}/reject", json={"reason": "附件未加盖公章"}, headers=INSURER))
    assert (await ok(await client.get("/retiree/units", params={"unit_name": "小明公司"}, headers=INSURER)))[
        "total"
    ] == 0
    sent = await sms_code(client, clock, UNION, RETIREE_FORM["contact_phone"])
    edited = RETIREE_FORM | {"address": "上海市普陀区某某路2号", "attachment_ids": [await attach(client, UNION)],
                             "sms_code": sent}  # fmt: skip
    switched = await client.put(url, json=edited | {"plan": "mutual_aid", "headcount": 12}, headers=UNION)
    assert (switched.status_code, switched.json()["code"]) == (409, "code_application.plan_fixed")
    resubmitted = await ok(await client.put(url, json=edited, headers=UNION))
    assert (resubmitted["plan"], resubmitted["status"], resubmitted["address"]) == (
        "retiree", "申请中", "上海市普陀区某某路2号",
    )  # fmt: skip

    # 审核通过: the unit with a code of the plan's sequence, owned by the applicant, its info as applied
    approved = await ok(await client.post(f"{url}/approve", headers=INSURER))
    code = approved["code"]
    assert approved["status"] == "审核通过" and code == "130000001" and code != mutual_aid_code
    assert [(h["action"], h["note"]) for h in approved["history"]][-1] == ("审核通过", "参保编码 130000001")
    unit = await ok(await client.get(f"/retiree/units/{code}", headers=UNION))
    assert {k: unit[k] for k in ("unit_name", "uscc", "owner_user_id", "owner_tier", "info_complete")} == {
        "unit_name": "小明公司", "uscc": make_uscc(31), "owner_user_id": "101", "owner_tier": "grassroots",
        "info_complete": True,
    }  # fmt: skip
    assert (unit["address"], unit["postcode"], unit["district"], unit["economic_type"]) == (
        "上海市普陀区某某路2号", "200333", "普陀区总工会", "私营企业",
    )  # fmt: skip
    assert (unit["handler_name"], unit["handler_phone"], unit["handler_email"]) == (
        "王经办", "139*****1111", "handler@example.com",
    )  # fmt: skip
    assert (await client.get(f"/retiree/units/{code}", headers=ENTERPRISE)).status_code == 404
    async with app_of(client).state.sessions() as session:
        announced = await session.exec(select(OutboxMessage.ce_type).where(OutboxMessage.key == code))
        assert announced.all() == []  # no tuixiu account: the unit is the applicant's (nor a mutual-aid code)

    # next year the insurer's list of last year's units has it: still the applicant's, still not announced
    units = {"units": [{"code": code, "unit_name": "小明公司", "uscc": make_uscc(31)}]}
    loaded = await ok(await client.put("/retiree/units", json=units, headers=INSURER))
    assert (loaded["registered"], loaded["updated"], loaded["unchanged"]) == (0, 0, 1)
    async with app_of(client).state.sessions() as session:
        announced = await session.exec(select(OutboxMessage.ce_type).where(OutboxMessage.key == code))
        assert announced.all() == []
    assert (await ok(await client.get(f"/retiree/units/{code}", headers=UNION)))["owner_user_id"] == "101"

    # the unit opens a batch of the plan with its new code
    batch = {"enrollment_type": "集中参保", "code": code, "unit_name": "小明公司"}
    opened = await ok(await client.post("/retiree/batches", json=batch, headers=UNION), 201)
    assert (opened["code"], opened["status"]) == (code, "名单待导入")

    # the name is the plan's now: another account is told whom to call
    taken = await apply(client, clock, OTHER_UNION, **RETIREE_FORM | {"unit_name": "小明 公司", "uscc": make_uscc(32),
                                                                       "contact_phone": "13500004444"})  # fmt: skip
    assert (taken.status_code, taken.json()["code"]) == (409, "code_application.name_has_code")
    assert taken.json()["title"] == "提交失败！该企业已申请过参保编码。【联系人：王经办，手机号：13900001111】"
