"""互助保障 参保编码 for the scope matrix: who may call each /api/mutual-aid code route, district B's unit
(b-jc) with an approved code (its handler saved, a second unit, a name change awaiting review) and a
rejected application, probes aiming at them, and the check that they are unchanged afterwards.

Units act on what their own account applied for: district A's union and enterprise get 404 for B's
application, code, handler, units and name change, and lists without them. Sending an SMS code,
uploading a file and applying act on the caller's own account only, with no id of B to aim at: the
probes are refused by the service (a bad number, a file that is no image, an SMS code never sent)."""

from __future__ import annotations

from typing import Any

import httpx

from runtime.identity import make_uscc
from services.gateway.tests.conftest import Platform

API = "/api/mutual-aid"
UNITS = {"grassroots", "enterprise"}
REVIEWERS = {"insurer", "admin"}
# The policy, written down once more independently of gateway.domain.access.
CODES_AUDIENCE: dict[str, set[str]] = {
    **dict.fromkeys(
        [
            *("send_sms_code", "upload_attachment", "apply_for_code", "resubmit_code_application"),
            *("save_code_handler", "add_code_unit", "remove_code_unit", "apply_for_name_change"),
        ],
        UNITS,
    ),
    **dict.fromkeys(
        ["approve_code_application", "reject_code_application", "approve_name_change", "reject_name_change"],
        REVIEWERS,
    ),
    **dict.fromkeys(
        [
            *("download_attachment", "search_code_applications", "export_code_applications"),
            *("get_code_application", "search_codes", "get_enrollment_code", "get_code_handler"),
            *("search_name_changes", "export_name_changes", "get_name_change"),
        ],
        UNITS | REVIEWERS,
    ),
}
OWN_ACCOUNT = {
    "send_sms_code": "phone.format",
    "upload_attachment": "attachment.file_type",
    "apply_for_code": "sms.code_expired",
}
PNG = b"\x89PNG\r\n\x1a\n"


def form(name: str, phone: str, **more: Any) -> dict[str, Any]:
    return {
        "unit_name": name, "committee": "黄浦区", "uscc": make_uscc(4242), "nature": "企业", "contact": "乙区联系人",
        "contact_phone": phone, "email": "b@example.com", "address": "上海市黄浦区某某路88号", "postcode": "200001",
        "headcount": 30, **more,
    }  # fmt: skip


HANDLER = {
    "handler_name": "乙区经办", "handler_phone": "13900007777", "handler_email": "b@example.com",
    "uscc": make_uscc(4242), "economic_type": "私营企业", "union_first": "乙区总工会", "union_second": "乙区二级工会",
    "address": "上海市黄浦区某某路88号", "industry": "制造业", "headcount": 30,
}  # fmt: skip


def codes_refusal_expected(name: str, r: httpx.Response) -> bool:
    """A probe acting on the caller's own account, refused by the service as planned."""
    return name in OWN_ACCOUNT and r.status_code in (415, 422) and r.json().get("code") == OWN_ACCOUNT[name]


def codes_probes(i: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Requests that aim at district B's code and applications from wherever the caller is."""
    code, app, rejected, change = i["b_code"], i["b_application"], i["b_rejected"], i["b_name_change"]
    of_code = {"path": {"code": code}}
    b_form = form("乙区探测单位", "13900008888", attachment_ids=[i["b_attachment"]], sms_code="000000")
    return {
        "send_sms_code": [{"json": {"phone": "12345", "purpose": "handler"}}],
        "upload_attachment": [{"params": {"file_name": "乙区.png"}, "json": {"not": "an image"}}],
        "download_attachment": [{"path": {"attachment_id": i["b_attachment"]}}],
        "apply_for_code": [{"json": b_form}],
        "search_code_applications": [{}, {"params": {"unit_name": "乙区"}}, {"params": {"code": code}}],
        "export_code_applications": [{}, {"params": {"unit_name": "乙区"}}],
        "get_code_application": [{"path": {"application_id": app}}, {"path": {"application_id": rejected}}],
        "resubmit_code_application": [{"path": {"application_id": rejected}, "json": b_form}],
        "approve_code_application": [{"path": {"application_id": rejected}}],
        "reject_code_application": [{"path": {"application_id": app}, "json": {"reason": "探测"}}],
        "search_codes": [{}, {"params": {"code": code}}, {"params": {"unit_name": "乙区"}}],
        "get_enrollment_code": [of_code],
        "get_code_handler": [of_code],
        "save_code_handler": [of_code | {"json": HANDLER | {"handler_name": "探测", "sms_code": "000000"}}],
        "add_code_unit": [of_code | {"json": {"unit_name": "乙区探测分公司"}}],
        "remove_code_unit": [{"path": {"code": code, "unit_id": i["b_unit"]}}],
        "apply_for_name_change": [of_code | {"json": {"new_name": "乙区被篡改的名称", "attachment_ids": []}}],
        "search_name_changes": [{}, {"params": {"code": code}}, {"params": {"unit_name": "乙区"}}],
        "export_name_changes": [{}],
        "get_name_change": [{"path": {"change_id": change}}],
        "approve_name_change": [{"path": {"change_id": change}}],
        "reject_name_change": [{"path": {"change_id": change}, "json": {"reason": "探测"}}],
    }


async def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _sms(unit: httpx.AsyncClient, phone: str, purpose: str = "code_application") -> str:
    sent = await _ok(await unit.post(f"{API}/sms-codes", json={"phone": phone, "purpose": purpose}), 201)
    return str(sent["code"])


async def _upload(unit: httpx.AsyncClient, name: str) -> str:
    r = await unit.post(
        f"{API}/attachments", params={"file_name": name}, content=PNG, headers={"content-type": "image/png"}
    )
    return str((await _ok(r, 201))["id"])


async def codes_of_b(p: Platform, ids: dict[str, Any]) -> None:
    """District B's union applies and gets its code (handler saved, a second unit, a name change
    awaiting review); a second application of it was rejected."""
    gw = p.gateway
    unit, insurer = await gw.signed_in("b-jc"), await gw.signed_in("zhibao")
    ids["b_attachment"] = await _upload(unit, "乙区营业执照.png")
    body = form("乙区互助保障单位", "13900005555", attachment_ids=[ids["b_attachment"]])
    applied = await _ok(
        await unit.post(f"{API}/code-applications", json=body | {"sms_code": await _sms(unit, "13900005555")}), 201
    )
    ids["b_application"] = applied["id"]
    ids["b_code"] = (await _ok(await insurer.post(f"{API}/code-applications/{applied['id']}/approve")))["code"]
    second = form("乙区第二单位", "13900006666", attachment_ids=[await _upload(unit, "乙区第二.png")])
    other = await _ok(
        await unit.post(f"{API}/code-applications", json=second | {"sms_code": await _sms(unit, "13900006666")}), 201
    )
    ids["b_rejected"] = other["id"]
    await _ok(await insurer.post(f"{API}/code-applications/{other['id']}/reject", json={"reason": "乙区附件不清晰"}))
    code = ids["b_code"]
    handler = HANDLER | {"sms_code": await _sms(unit, HANDLER["handler_phone"], "handler")}
    await _ok(await unit.put(f"{API}/codes/{code}/handler", json=handler))
    units = await _ok(await unit.post(f"{API}/codes/{code}/units", json={"unit_name": "乙区分公司"}), 201)
    ids["b_unit"] = units["units"][1]["id"]
    change = {"new_name": "乙区更名后单位", "attachment_ids": [await _upload(unit, "乙区更名通知书.png")]}
    ids["b_name_change"] = (await _ok(await unit.post(f"{API}/codes/{code}/name-changes", json=change), 201))["id"]


async def b_codes_are_unchanged(admin: httpx.AsyncClient, ids: dict[str, Any]) -> None:
    code = ids["b_code"]
    app = await _ok(await admin.get(f"{API}/code-applications/{ids['b_application']}"))
    assert (app["status"], app["code"], app["unit_name"]) == ("审核通过", code, "乙区互助保障单位")
    rejected = await _ok(await admin.get(f"{API}/code-applications/{ids['b_rejected']}"))
    assert (rejected["status"], rejected["reject_reason"], rejected["unit_name"]) == (
        "审核不通过",
        "乙区附件不清晰",
        "乙区第二单位",
    )
    held = await _ok(await admin.get(f"{API}/codes/{code}"))
    assert (held["unit_name"], held["handler_complete"], held["pending_name_change"]) == (
        "乙区互助保障单位", True, ids["b_name_change"],
    )  # fmt: skip
    assert [u["unit_name"] for u in held["units"]] == ["乙区互助保障单位", "乙区分公司"]
    assert (await _ok(await admin.get(f"{API}/codes/{code}/handler")))["handler_name"] == "乙区经办"
    change = await _ok(await admin.get(f"{API}/name-changes/{ids['b_name_change']}"))
    assert (change["status"], change["new_name"]) == ("申请中", "乙区更名后单位")
    assert (await _ok(await admin.get(f"{API}/code-applications", params={"unit_name": "乙区探测"})))["total"] == 0
