"""企业注册 → 审核: an approved unit exists in the org service and logs in as an enterprise."""

from __future__ import annotations

from gateway.models import EnterpriseNode
from runtime.identity import make_uscc
from runtime.tokens import Tier
from services.gateway.tests.conftest import PASSWORD, SYSTEM_HEADERS, Gateway, Platform, SeedAccount, eventually

USCC = make_uscc(4242)


async def apply(gateway: Gateway, **fields):  # type: ignore[no-untyped-def]
    captcha_id, code = await gateway.captcha()
    body = {
        "uscc": USCC,
        "name": "上海某某贸易有限公司",
        "contact": "赵六",
        "phone": "13912345678",
        "password": "Qiye@2024",
        "captcha_id": captcha_id,
        "captcha_code": code,
    }
    return await gateway.client.post("/api/registrations", json=body | fields)


async def test_a_registration_is_pending_until_the_admin_approves_it(platform: Platform):
    gw = platform.gateway
    await gw.seed(SeedAccount("admin", PASSWORD, Tier.ADMIN))
    created = await apply(gw)
    assert created.status_code == 201, created.text
    assert created.json() == {"id": created.json()["id"], "status": "pending", "account": USCC}
    pending = await gw.login(USCC, "Qiye@2024")
    assert pending.status_code == 403 and pending.json()["code"] == "auth.account_pending"
    duplicate = await apply(gw)
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "registration.duplicate"

    admin = await gw.signed_in("admin")
    listed = (await admin.get("/api/registrations", params={"status": "pending"})).json()
    assert listed["total"] == 1 and listed["items"][0]["phone"] == "139*****5678"
    approved = await admin.post(f"/api/registrations/{created.json()['id']}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["reviewed_by"] == "admin"
    again = await admin.post(f"/api/registrations/{created.json()['id']}/approve")
    assert again.status_code == 409 and again.json()["code"] == "registration.not_pending"

    at_org = (await platform.org.get("/enterprises", params={"uscc": USCC}, headers=SYSTEM_HEADERS)).json()
    assert at_org["total"] == 1 and at_org["items"][0]["id"] == approved.json()["enterprise_id"]
    me = (await gw.login(USCC, "Qiye@2024")).json()
    # 未建会单位: the workbench, 缴费管理 (as a payer) and 互助保障's unit screens (参保编码申请, 经办人信息,
    # 单位名称变更), 退休住院计划
    payer = ["billing-payables", "billing-vouchers", "billing-refunds", "billing-receipts", "billing-reconciliation"]
    unit_menus = ["mutual-aid-code-applications", "mutual-aid-handler", "mutual-aid-name-changes"]
    assert (me["tier"], me["menus"], me["org_id"]) == (
        "enterprise",
        ["workbench", *payer, *unit_menus, "mutual-aid-batches", "retiree-enrol", "retiree-batches"],
        None,
    )  # fmt: skip

    async def heard():  # type: ignore[no-untyped-def]
        async with gw.app.state.sessions() as s:
            return await s.get(EnterpriseNode, approved.json()["enterprise_id"])

    node = await eventually(heard)
    assert node is not None and node.uscc == USCC  # org.enterprise.registered came back over org.v1
    enterprise = gw.new_client()
    await gw.login(USCC, "Qiye@2024", enterprise)
    bench = (await enterprise.get("/api/workbench")).json()
    assert bench["org"]["name"] == "上海某某贸易有限公司" and bench["panels"] == {}


async def test_a_rejected_unit_learns_why_and_may_apply_again(platform: Platform):
    gw = platform.gateway
    await gw.seed(SeedAccount("admin", PASSWORD, Tier.ADMIN))
    first = (await apply(gw)).json()
    admin = await gw.signed_in("admin")
    rejected = await admin.post(f"/api/registrations/{first['id']}/reject", json={"reason": "单位名称与执照不符"})
    assert rejected.json()["status"] == "rejected" and rejected.json()["reason"] == "单位名称与执照不符"
    refused = await gw.login(USCC, "Qiye@2024")
    assert refused.json()["code"] == "auth.registration_rejected" and "单位名称与执照不符" in refused.json()["title"]
    second = await apply(gw, name="上海某某贸易有限公司（更正）")
    assert second.status_code == 201 and second.json()["id"] != first["id"]
    assert (await gw.login(USCC, "Qiye@2024")).json()["code"] == "auth.account_pending"
    at_org = (await platform.org.get("/enterprises", params={"uscc": USCC}, headers=SYSTEM_HEADERS)).json()
    assert at_org["total"] == 0, "nothing reaches the org service before approval"


async def test_bad_registrations_say_which_field_and_store_nothing(gateway: Gateway):
    cases = {
        "uscc.check_digit": {"uscc": USCC[:-1] + ("0" if USCC[-1] != "0" else "1")},
        "uscc.format": {"uscc": "123"},
        "phone.format": {"phone": "1234"},
        "password.policy": {"password": "short"},
        "auth.captcha_wrong": {"captcha_code": "????"},
    }
    for code, fields in cases.items():
        r = await apply(gateway, **fields)
        assert r.json()["code"] == code, (code, r.text)
        assert r.status_code in (400, 422)
    async with gateway.app.state.sessions() as s:
        from sqlmodel import func, select

        from gateway.models import Account, Registration

        assert (await s.exec(select(func.count()).select_from(Registration))).one() == 0
        assert (await s.exec(select(func.count()).select_from(Account))).one() == 0


async def test_only_the_admin_reviews(platform: Platform):
    gw = platform.gateway
    root = await platform.create_root()
    await gw.seed(SeedAccount("shizong", PASSWORD, Tier.CITY, root))
    registration = (await apply(gw)).json()
    city = await gw.signed_in("shizong")
    assert (await city.get("/api/registrations")).json()["total"] == 1
    refused = await city.post(f"/api/registrations/{registration['id']}/approve")
    assert refused.status_code == 403 and refused.json()["code"] == "tier.forbidden"
