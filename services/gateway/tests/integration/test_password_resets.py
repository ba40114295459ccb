"""找回密码（未建会单位）: a registered unit applies with its registered contact and phone, the
platform admin approves (a temporary password the unit must change) or rejects with a reason."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import load_workbook
from sqlmodel import col, func, select

from gateway.models import AuditEntry, PasswordReset
from runtime.identity import make_uscc
from runtime.tokens import Tier
from services.gateway.tests.conftest import PASSWORD, Gateway, Platform, SeedAccount

USCC = make_uscc(4343)
OLD_PASSWORD = "Qiye@2024"
CONTACT, PHONE = "赵六", "13912345678"


async def register(gw: Gateway, uscc: str = USCC) -> dict[str, Any]:
    captcha_id, code = await gw.captcha()
    body = {
        "uscc": uscc,
        "name": "上海某某贸易有限公司",
        "contact": CONTACT,
        "phone": PHONE,
        "password": OLD_PASSWORD,
        "captcha_id": captcha_id,
        "captcha_code": code,
    }
    r = await gw.client.post("/api/registrations", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def registered_unit(platform: Platform, uscc: str = USCC) -> httpx.AsyncClient:
    """An approved self-registered unit; returns the admin's client."""
    gw = platform.gateway
    await gw.seed(SeedAccount("admin", PASSWORD, Tier.ADMIN))
    registration = await register(gw, uscc)
    admin = await gw.signed_in("admin")
    approved = await admin.post(f"/api/registrations/{registration['id']}/approve")
    assert approved.status_code == 200, approved.text
    return admin


async def apply(gw: Gateway, **fields: Any) -> httpx.Response:
    captcha_id, code = await gw.captcha()
    body = {"uscc": USCC, "contact": CONTACT, "phone": PHONE, "captcha_id": captcha_id, "captcha_code": code}
    return await gw.client.post("/api/password-resets", json=body | fields)


async def stored(gw: Gateway) -> int:
    async with gw.app.state.sessions() as s:
        return (await s.exec(select(func.count()).select_from(PasswordReset))).one()


async def test_the_admin_approves_and_the_unit_must_change_the_temporary_password(platform: Platform):
    gw = platform.gateway
    admin = await registered_unit(platform)
    unit = await gw.signed_in(USCC, OLD_PASSWORD)  # a session someone may still hold

    applied = await apply(gw, uscc=USCC.lower(), contact=" 赵 六 ", reason="经办人离职，密码遗失")
    assert applied.status_code == 201, applied.text
    assert applied.json() == {"id": applied.json()["id"], "status": "pending"}
    reset_id = applied.json()["id"]

    listed = (await admin.get("/api/password-resets", params={"status": "pending"})).json()
    assert listed["total"] == 1
    item = listed["items"][0]
    assert (item["account"], item["uscc"], item["name"], item["contact"], item["phone"]) == (
        USCC,
        USCC,
        "上海某某贸易有限公司",
        "赵 六",
        "139*****5678",
    )
    assert item["reason"] == "经办人离职，密码遗失" and item["reviewed_by"] is None
    assert (await admin.get("/api/password-resets", params={"uscc": USCC.lower()})).json()["total"] == 1
    assert (await admin.get("/api/password-resets", params={"name": "某某贸易"})).json()["total"] == 1
    assert (await admin.get("/api/password-resets", params={"status": "approved"})).json()["total"] == 0

    approved = await admin.post(f"/api/password-resets/{reset_id}/approve")
    assert approved.status_code == 200, approved.text
    body = approved.json()
    temporary = body["temporary_password"]
    assert len(temporary) == 12 and temporary != OLD_PASSWORD
    assert (body["status"], body["reviewed_by"], body["phone"]) == ("approved", "admin", "139*****5678")
    assert body["reviewed_at"] is not None
    again = await admin.post(f"/api/password-resets/{reset_id}/approve")
    assert again.status_code == 409 and again.json()["code"] == "password_reset.not_pending"
    shown = (await admin.get("/api/password-resets")).json()["items"][0]
    assert "temporary_password" not in shown and shown["reviewed_by"] == "admin" and shown["reviewed_at"]

    ended = await unit.get("/api/me")
    assert ended.status_code == 401 and ended.json()["code"] == "session.expired"
    assert (await gw.login(USCC, OLD_PASSWORD)).json()["code"] == "auth.bad_credentials"
    fresh = gw.new_client()
    me = await gw.login(USCC, temporary, fresh)
    assert me.status_code == 200 and me.json()["must_change_password"] is True
    blocked = await fresh.get("/api/workbench")
    assert blocked.status_code == 403 and blocked.json()["code"] == "password.change_required"
    changed = await fresh.post("/api/auth/password", json={"old_password": temporary, "new_password": "Xin@2024pw"})
    assert changed.status_code == 204, changed.text
    assert (await fresh.get("/api/workbench")).status_code == 200
    assert (await gw.login(USCC, "Xin@2024pw")).status_code == 200

    async with gw.app.state.sessions() as s:
        actions = ["apply_password_reset", "approve_password_reset"]
        entries = (await s.exec(select(AuditEntry).where(col(AuditEntry.action).in_(actions)))).all()
    logged = {(e.action, e.account, e.outcome) for e in entries}
    assert logged == {
        ("apply_password_reset", USCC, "success"),
        ("approve_password_reset", "admin", "success"),
        ("approve_password_reset", "admin", "failure"),  # the second approval
    }
    approval = next(e for e in entries if e.action == "approve_password_reset" and e.outcome == "success")
    assert f"password_reset_id={reset_id}" in approval.target_ids
    assert all(temporary not in " ".join(e.target_ids) for e in entries)


async def test_refusals_say_why_and_store_nothing(platform: Platform):
    gw = platform.gateway
    await registered_unit(platform)
    pending_uscc = make_uscc(4344)
    await register(gw, pending_uscc)  # registered, not yet approved
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"uscc": make_uscc(9999)}, 404, "password_reset.unknown_account"),
        ({"contact": "钱七"}, 400, "password_reset.mismatch"),
        ({"phone": "13900000000"}, 400, "password_reset.mismatch"),
        ({"uscc": pending_uscc, "phone": "13900000000"}, 400, "password_reset.mismatch"),
        ({"uscc": pending_uscc}, 409, "password_reset.account_status"),
        ({"uscc": "123"}, 422, "uscc.format"),
        ({"phone": "1234"}, 422, "phone.format"),
        ({"captcha_code": "????"}, 400, "auth.captcha_wrong"),
    ]
    for fields, status, code in cases:
        r = await apply(gw, **fields)
        assert (r.status_code, r.json()["code"]) == (status, code), (fields, r.text)
        assert r.json()["title"]
    assert await stored(gw) == 0
    seeded_uscc = make_uscc(4346)  # an enterprise account that did not come from 企业注册: nothing to match
    await gw.seed(SeedAccount(seeded_uscc, PASSWORD, Tier.ENTERPRISE, name="种子企业"))
    assert (await apply(gw, uscc=seeded_uscc)).json()["code"] == "password_reset.mismatch"

    assert (await apply(gw)).status_code == 201
    duplicate = await apply(gw)
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "password_reset.duplicate"
    mismatched = await apply(gw, contact="钱七")  # an open application is told only to a match
    assert mismatched.json()["code"] == "password_reset.mismatch"
    assert await stored(gw) == 1


async def test_a_rejected_application_keeps_the_password_and_may_be_made_again(platform: Platform):
    gw = platform.gateway
    admin = await registered_unit(platform)
    first = (await apply(gw, reason="忘记密码")).json()
    no_reason = await admin.post(f"/api/password-resets/{first['id']}/reject", json={"reason": ""})
    assert no_reason.status_code == 422
    rejected = await admin.post(f"/api/password-resets/{first['id']}/reject", json={"reason": "电话核实非本单位申请"})
    assert rejected.status_code == 200, rejected.text
    body = rejected.json()
    assert (body["status"], body["rejection_reason"], body["reviewed_by"]) == (
        "rejected",
        "电话核实非本单位申请",
        "admin",
    )
    assert body["reason"] == "忘记密码" and body["reviewed_at"]
    assert (await admin.post(f"/api/password-resets/{first['id']}/approve")).status_code == 409
    assert (await gw.login(USCC, OLD_PASSWORD)).status_code == 200  # nothing changed

    second = await apply(gw)
    assert second.status_code == 201 and second.json()["id"] != first["id"]
    listed = (await admin.get("/api/password-resets")).json()
    assert [i["status"] for i in listed["items"]] == ["pending", "rejected"]


async def test_a_disabled_account_is_not_reset(platform: Platform):
    gw = platform.gateway
    admin = await registered_unit(platform)
    application = (await apply(gw)).json()
    account_id = (await admin.get("/api/accounts", params={"account": USCC})).json()["items"][0]["id"]
    assert (await admin.post(f"/api/accounts/{account_id}/disable")).status_code == 200
    refused = await admin.post(f"/api/password-resets/{application['id']}/approve")
    assert refused.status_code == 409 and refused.json()["code"] == "password_reset.account_status"
    assert "已停用" in refused.json()["title"]
    assert (await admin.post(f"/api/password-resets/{application['id']}/reject", json={"reason": "已停用"})).json()[
        "status"
    ] == "rejected"
    again = await apply(gw)  # after the contact and phone matched, the status is told
    assert again.status_code == 409 and again.json()["code"] == "password_reset.account_status"


async def test_only_the_admin_sees_and_reviews_and_the_export_masks_phones(platform: Platform):
    gw = platform.gateway
    root = await platform.create_root()
    admin = await registered_unit(platform)
    await gw.seed(SeedAccount("shizong", PASSWORD, Tier.CITY, root))
    application = (await apply(gw)).json()
    city = await gw.signed_in("shizong")
    assert "password-resets" not in (await city.get("/api/me")).json()["menus"]
    assert "password-resets" in (await admin.get("/api/me")).json()["menus"]
    enterprise = await gw.signed_in(USCC, OLD_PASSWORD)
    for client in (city, enterprise):
        for method, path, body in [
            ("GET", "/api/password-resets", None),
            ("GET", "/api/password-resets/export", None),
            ("POST", f"/api/password-resets/{application['id']}/approve", None),
            ("POST", f"/api/password-resets/{application['id']}/reject", {"reason": "越权"}),
        ]:
            r = await client.request(method, path, json=body)
            assert r.status_code == 403 and r.json()["code"] == "tier.forbidden", (path, r.text)
    assert (await admin.get("/api/password-resets", params={"status": "pending"})).json()["total"] == 1

    exported = await admin.get("/api/password-resets/export", params={"status": "pending"})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("单位名称", "统一社会信用代码", "联系人", "联系电话")
    assert rows[1][1:4] == (USCC, CONTACT, "139*****5678") and rows[1][5] == "待审核"
    assert PHONE not in str(rows)


async def test_applications_are_rate_limited_per_uscc(database, broker, redis_url, redis_prefix):
    from services.gateway.tests.conftest import gateway_settings, start_gateway

    settings = gateway_settings(database, broker, redis_url, redis_prefix, password_reset_rate_per_account=2)
    async with start_gateway(settings) as gw:
        codes = [(await apply(gw)).json()["code"] for _ in range(2)]
        assert codes == ["password_reset.unknown_account"] * 2
        limited = await apply(gw)
        assert limited.status_code == 429 and limited.json()["code"] == "auth.rate_limited"
        other = await apply(gw, uscc=make_uscc(4345))
        assert other.json()["code"] == "password_reset.unknown_account"
