"""互助保障 参保批次 through the gateway, with the enrollment service behind it (its own process, the real
clock: the current year's 即时参保 is open): a grassroots union with its code opens an instant batch,
uploads the roster as the .xlsx body (a bad row reported by row), edits its non-ID row, runs 清册校验 (a
new unit: the declaration is needed), uploads a 3 MB declaration (past the gateway's 1 MB limit) and
submits; the insurer rejects with a reason and approves; the premium is split into people with and
without social security; the batch is withdrawn with a reason and deleted. Refusals are the service's
problem+json unchanged, tiers are kept to their actions, the attachment URL is the gateway's and the
operation log names the people."""

from __future__ import annotations

import httpx

from services.gateway.tests.conftest import Gateway
from services.gateway.tests.integration.mutual_aid_batches_world import (
    API,
    PNG,
    XLSX,
    configure_years,
    ok,
    person_id,
    roster_file,
    rows,
    upload_roster,
    validate_roster,
)
from services.gateway.tests.integration.test_mutual_aid_codes_proxy import (  # noqa: F401 (the fixture)
    FORM,
    HANDLER,
    codes_gateway,
    sms,
    upload,
)

UNIT_NAME = FORM["unit_name"]


async def _code(unit: httpx.AsyncClient, insurer: httpx.AsyncClient) -> str:
    """参保编码申请 → 审核通过 → 经办人填报, through the gateway."""
    licence = await upload(unit, "营业执照.png", PNG)
    body = FORM | {"attachment_ids": [licence["id"]], "sms_code": await sms(unit, FORM["contact_phone"])}
    applied = await ok(await unit.post(f"{API}/code-applications", json=body), 201)
    code = (await ok(await insurer.post(f"{API}/code-applications/{applied['id']}/approve")))["code"]
    handler = HANDLER | {"sms_code": await sms(unit, HANDLER["handler_phone"], "handler")}
    await ok(await unit.put(f"{API}/codes/{code}/handler", json=handler))
    return str(code)


async def test_an_instant_batch_through_the_gateway(codes_gateway: Gateway):  # noqa: F811, PLR0915
    gw = codes_gateway
    unit, enterprise, insurer, district, city = [
        await gw.signed_in(a) for a in ("jiceng", "qiye", "zhibao", "qu", "shizong")
    ]
    enrollment_url = str(gw.app.state.settings.enrollment_url)
    years = await configure_years(enrollment_url)
    code = await _code(unit, insurer)
    assert {"mutual-aid-batches"} <= set((await ok(await unit.get("/api/me")))["menus"])
    assert {"mutual-aid-batches", "mutual-aid-batch-review"} <= set((await ok(await insurer.get("/api/me")))["menus"])
    open_now = await ok(await unit.get(f"{API}/years/open"))
    assert {"year": years[0], "enrollment_type": "即时参保"} in open_now

    # 即时参保办理 → 确定操作: units only; the service's refusals as they are
    body = {"enrollment_type": "即时参保", "code": code, "unit_name": UNIT_NAME}
    assert (await district.post(f"{API}/batches", json=body)).json()["code"] == "tier.forbidden"
    wrong = await unit.post(f"{API}/batches", json=body | {"unit_name": "不存在的单位"})
    assert wrong.status_code == 409 and wrong.headers["content-type"].startswith("application/problem+json")
    batch = await ok(await unit.post(f"{API}/batches", json=body), 201)
    no = batch["batch_no"]
    assert (batch["status"], batch["year"], batch["handler_name"]) == ("清册待校验", years[0], "王经办")
    assert batch["actions"] == ["check_failed", "submit", "submit_for_review", "delete"]

    # 上传本地参保名单文件: the .xlsx itself; the bad ID number reported by its row
    template = await unit.get(f"{API}/roster-template")
    assert template.status_code == 200 and template.headers["content-type"].startswith(XLSX)
    bad = person_id(9)[:-1] + ("0" if person_id(9)[-1] != "0" else "1")
    job = await upload_roster(unit, no, roster_file(
        ("赵一", "身份证", person_id(21), "", "", "", "是"),
        ("钱二", "身份证", person_id(22, male=False), "", "", "13800001111", "是"),
        ("孙三", "非身份证", "P98765432", "1992-03-04", "女", "", "否"),
        ("张贺", "身份证", bad, "", "", "", "是"),
    ))  # fmt: skip
    assert (job["state"], job["summary"]) == (
        "已完成", "数据读取：4人，成功导入：3条信息（新增加3人，修改0人），导入失败：1条信息",
    )  # fmt: skip
    rejected = await ok(await unit.get(f"{API}/imports/{job['id']}/rejections"))
    assert [(r["row_no"], r["column"], r["name"]) for r in rejected["items"]] == [(5, "证件号码", "张贺")]
    listed = {r["name"]: r for r in await rows(unit, no)}
    assert listed["钱二"]["id_number"] == person_id(22, male=False)[:3] + "*" * 11 + person_id(22, male=False)[-4:]
    not_editable = await unit.patch(f"{API}/batches/{no}/rows/{listed['赵一']['id']}", json={"phone": "13911112222"})
    assert (not_editable.status_code, not_editable.json()["code"]) == (409, "roster.row_not_editable")
    edited = await unit.patch(f"{API}/batches/{no}/rows/{listed['孙三']['id']}", json={"phone": "13911112222"})
    assert edited.status_code == 204
    assert (await enterprise.get(f"{API}/batches/{no}")).status_code == 404
    assert (await ok(await enterprise.get(f"{API}/batches")))["total"] == 0
    none_yet = await unit.post(f"{API}/batches/{no}/rows/from-last-year")
    assert (none_yet.status_code, none_yet.json()["code"]) == (409, "roster.no_last_year")

    # 清册校验: a unit new to the programme uploads its declaration — 3 MB, the service's limit, not the gateway's
    assert await ok(await unit.get(f"{API}/batches/{no}/validation")) is None  # never checked
    check = await validate_roster(unit, no)
    assert (check["outcome"], check["new_unit"], check["insured"]) == ("需上传附件", True, 3)
    job = await ok(await unit.get(f"{API}/batches/{no}/validation"))
    assert (job["state"], job["rows_checked"], job["progress"]) == ("已完成", 3, 100)
    assert job["requested_by_name"] == "jiceng"  # the gateway names who asked
    assert (await enterprise.get(f"{API}/checks/{job['id']}")).status_code == 404
    submit, accepted = f"{API}/batches/{no}/submission", {"commitment_accepted": True, "people_confirmed": True}
    missing = await unit.post(submit, json=accepted)
    assert (missing.status_code, missing.json()["code"]) == (409, "roster.evidence_required")
    scan = PNG + bytes(3 * 1024 * 1024)
    declaration = await ok(await unit.post(
        f"{API}/batches/{no}/attachments", params={"kind": "社保缴费申报表", "file_name": "申报表.png"}, content=scan,
        headers={"content-type": "image/png"}), 201)  # fmt: skip
    assert declaration["url"] == f"{API}/batches/{no}/attachments/{declaration['id']}/file"
    assert declaration["size"] == len(scan)
    submitted = await ok(await unit.post(submit, json=accepted))
    assert submitted["status"] == "职保会待审核"

    # 职保会审核: the insurer's queue and the file; 不通过 with its reason, then 通过
    queue = await ok(await insurer.get(f"{API}/review"))
    assert [b["batch_no"] for b in queue["items"]] == [no]
    assert (await city.get(f"{API}/review")).json()["code"] == "tier.forbidden"
    file = await insurer.get(declaration["url"])
    assert file.content == scan and file.headers["x-content-type-options"] == "nosniff"
    assert (await unit.post(f"{API}/batches/{no}/approve")).json()["code"] == "tier.forbidden"
    rejected_batch = await ok(await insurer.post(f"{API}/batches/{no}/reject", json={"reason": "申报表未加盖公章"}))
    assert rejected_batch["status"] == "职保会审核不通过"
    await ok(await unit.post(submit, json=accepted))
    assert (await ok(await insurer.post(f"{API}/batches/{no}/approve")))["status"] == "职保会审核通过"

    # 保障项目选择: 生成保费信息 split into 有社保 / 无社保 (A0 only for people with social security)
    items = ["A0", "B0", "C0"]
    preview = await ok(await unit.get(f"{API}/batches/{no}/premium", params={"items": items}))
    if preview["half_year"]:  # 即时参保 starting January – June: 半年缴费标准, no A0 B0 C0 discount
        assert [(r["label"], r["ss_fen"], r["non_ss_fen"]) for r in preview["rows"]] == [
            ("A0", 12000, 0), ("B0", 5500, 2750), ("C0", 1500, 750),
        ]  # fmt: skip
        expected = 22500
    else:  # A0 B0 C0 together 180 instead of 190 for the two with social security; B0 + C0 for the third
        assert [(r["label"], r["ss_fen"], r["non_ss_fen"]) for r in preview["rows"]] == [
            ("A0 B0 C0", 36000, 0), ("B0", 0, 5500), ("C0", 0, 1500),
        ]  # fmt: skip
        expected = 43000
    assert (preview["ss_persons"], preview["non_ss_persons"], preview["total_fen"]) == (2, 1, expected)
    refused = await unit.get(f"{API}/batches/{no}/premium", params={"items": ["A3"]})
    assert (refused.status_code, refused.json()["code"]) == (422, "items.basic_required")
    confirmed = await ok(await unit.post(f"{API}/batches/{no}/premium", json={"items": items}))
    assert (confirmed["status"], confirmed["amount_fen"], confirmed["payable_no"]) == ("缴费凭证待上传", expected, no)

    # 批次撤回 with the reason → 清册待校验; then 批次删除
    no_reason = await unit.post(f"{API}/batches/{no}/withdraw", json={"reason": " "})
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "batch.reason_required")
    back = await ok(await unit.post(f"{API}/batches/{no}/withdraw", json={"reason": "漏选保障项目"}))
    assert (back["status"], back["items"]) == ("清册待校验", [])

    # the operation log names who did each step (the gateway knows the accounts)
    ops = await ok(await unit.get(f"{API}/batches/{no}/operations"))
    assert [(o["label"], o["reason"], o["actor_name"]) for o in ops if o["reason"]] == [
        ("职保会审核", "申报表未加盖公章", "zhibao"), ("批次撤回", "漏选保障项目", "jiceng"),
    ]  # fmt: skip
    assert {o["actor_name"] for o in ops} == {"jiceng", "zhibao"}
    assert (await city.get(f"{API}/batches/{no}")).status_code == 200
    assert (await city.delete(f"{API}/batches/{no}")).json()["code"] == "tier.forbidden"
    assert (await unit.delete(f"{API}/batches/{no}")).status_code == 204
    assert (await unit.get(f"{API}/batches/{no}")).status_code == 404
    audit = (await city.get("/api/audit", params={"size": 200})).json()["items"]
    actions = {(e["action"], e["outcome"]) for e in audit}
    assert {("upload_roster", "success"), ("reject_mutual_aid_batch", "success"),
            ("delete_mutual_aid_batch", "success"), ("approve_mutual_aid_batch", "denied")} <= actions  # fmt: skip
