"""账号管理 and 修改密码: the upper union looks after the accounts below it, nothing else."""

from __future__ import annotations

from runtime.tokens import Tier
from services.gateway.tests.conftest import PASSWORD, Gateway, SeedAccount

# city 1 → district 2 (→ grassroots 4, → branch 6 under 4) and district 3 (→ grassroots 5)
TREE = (
    (1, None, "1", "市总工会"),
    (2, 1, "1.2", "区局（产业）工会"),
    (3, 1, "1.3", "区局（产业）工会"),
    (4, 2, "1.2.4", "单独基层工会"),
    (5, 3, "1.3.5", "单独基层工会"),
    (6, 4, "1.2.4.6", "分工会/工会小组"),
)


async def _world(gateway: Gateway) -> dict[str, int]:
    await gateway.place(*TREE)
    specs = [
        SeedAccount("shizong", PASSWORD, Tier.CITY, 1),
        SeedAccount("qu-a", PASSWORD, Tier.DISTRICT, 2),
        SeedAccount("qu-a2", PASSWORD, Tier.DISTRICT, 2),
        SeedAccount("qu-b", PASSWORD, Tier.DISTRICT, 3),
        SeedAccount("jc-a", PASSWORD, Tier.GRASSROOTS, 4),
        SeedAccount("jc-b", PASSWORD, Tier.GRASSROOTS, 5),
        SeedAccount("admin", PASSWORD, Tier.ADMIN),
    ]
    ids = await gateway.seed(*specs)
    return {s.account: i for s, i in zip(specs, ids, strict=True)}


async def test_a_new_account_must_change_its_temporary_password_first(gateway: Gateway):
    await _world(gateway)
    qu_a = await gateway.signed_in("qu-a")
    created = await qu_a.post(
        "/api/accounts", json={"account": "jc-a-2", "name": "张三", "tier": "grassroots", "org_id": 4}
    )
    assert created.status_code == 201, created.text
    temporary = created.json()["temporary_password"]
    assert created.json()["org_name"] == "组织4" and created.json()["must_change_password"] is True

    clerk = gateway.new_client()
    me = (await gateway.login("jc-a-2", temporary, clerk)).json()
    assert me["must_change_password"] is True
    blocked = await clerk.get("/api/workbench")
    assert blocked.status_code == 403 and blocked.json()["code"] == "password.change_required"
    assert (await clerk.get("/api/me")).status_code == 200

    wrong_old = await clerk.post("/api/auth/password", json={"old_password": "nope", "new_password": "New@2024pw"})
    assert wrong_old.status_code == 400 and wrong_old.json()["code"] == "password.wrong"
    weak = await clerk.post("/api/auth/password", json={"old_password": temporary, "new_password": "abcdefgh"})
    assert weak.status_code == 422 and weak.json()["code"] == "password.policy"
    assert weak.json()["rules"] == ["必须包含数字", "必须包含特殊字符（如 !@#$%）"]
    same = await clerk.post("/api/auth/password", json={"old_password": temporary, "new_password": temporary})
    assert "新密码不能与原密码相同" in same.json()["rules"]
    ok = await clerk.post("/api/auth/password", json={"old_password": temporary, "new_password": "New@2024pw"})
    assert ok.status_code == 204
    assert (await clerk.get("/api/workbench")).status_code != 403
    assert (await gateway.login("jc-a-2", "New@2024pw")).status_code == 200


async def test_the_upper_union_resets_passwords_only_below_itself(gateway: Gateway):
    ids = await _world(gateway)
    qu_a = await gateway.signed_in("qu-a")
    jc_a = await gateway.signed_in("jc-a")

    reset = await qu_a.post(f"/api/accounts/{ids['jc-a']}/reset-password")
    assert reset.status_code == 200
    assert (await jc_a.get("/api/me")).status_code == 401, "a reset ends the account's sessions"
    assert (await gateway.login("jc-a")).status_code == 401
    again = (await gateway.login("jc-a", reset.json()["temporary_password"])).json()
    assert again["must_change_password"] is True

    other_branch = await qu_a.post(f"/api/accounts/{ids['jc-b']}/reset-password")
    assert other_branch.status_code == 404 and other_branch.json()["code"] == "not_found"
    peer = await qu_a.post(f"/api/accounts/{ids['qu-a2']}/reset-password")
    assert peer.status_code == 403 and peer.json()["code"] == "account.peer"
    own = await qu_a.post(f"/api/accounts/{ids['qu-a']}/reset-password")
    assert own.status_code == 403 and own.json()["code"] == "account.self"
    admin_account = await qu_a.post(f"/api/accounts/{ids['admin']}/reset-password")
    assert admin_account.status_code == 404

    jc_b = await gateway.signed_in("jc-b")
    upward = await jc_b.post(f"/api/accounts/{ids['qu-b']}/reset-password")
    assert upward.status_code == 404
    assert (await gateway.login("qu-b")).status_code == 200, "nothing changed for refused resets"

    city = await gateway.signed_in("shizong")
    assert (await city.post(f"/api/accounts/{ids['qu-b']}/reset-password")).status_code == 200


async def test_the_account_list_is_the_callers_subtree(gateway: Gateway):
    await _world(gateway)
    qu_a = await gateway.signed_in("qu-a")
    listed = (await qu_a.get("/api/accounts", params={"size": 200})).json()
    assert sorted(a["account"] for a in listed["items"]) == ["jc-a", "qu-a", "qu-a2"]
    assert listed["total"] == 3
    city = await gateway.signed_in("shizong")
    everyone = (await city.get("/api/accounts")).json()
    assert "admin" not in [a["account"] for a in everyone["items"]] and everyone["total"] == 6
    assert (await city.get("/api/accounts", params={"tier": "grassroots"})).json()["total"] == 2


async def test_accounts_are_created_only_for_orgs_below_and_with_the_right_tier(gateway: Gateway):
    await _world(gateway)
    qu_a = await gateway.signed_in("qu-a")

    async def create(**body):  # type: ignore[no-untyped-def]
        base = {"account": "new-one", "name": "李四", "tier": "grassroots", "org_id": 6}
        return await qu_a.post("/api/accounts", json=base | body)

    assert (await create(org_id=5)).status_code == 404
    assert (await create(org_id=2, tier="district")).json()["code"] == "account.peer"
    assert (await create(tier="district")).json()["code"] == "account.tier_mismatch"
    assert (await create(tier="insurer", org_id=None)).json()["code"] == "account.tier_forbidden"
    assert (await create(account="Jc-A")).json()["code"] == "account.duplicate"
    assert (await create(account="bad name!")).status_code == 422
    assert (await create()).status_code == 201
    grassroots = await gateway.signed_in("jc-a")
    branch = await grassroots.post(
        "/api/accounts", json={"account": "branch-1", "name": "王五", "tier": "grassroots", "org_id": 6}
    )
    assert branch.status_code == 201
    admin = await gateway.signed_in("admin")
    insurer = await admin.post("/api/accounts", json={"account": "zhibao", "name": "职保会", "tier": "insurer"})
    assert insurer.status_code == 201 and insurer.json()["org_id"] is None


async def test_disable_and_enable_follow_the_status(gateway: Gateway):
    ids = await _world(gateway)
    qu_a = await gateway.signed_in("qu-a")
    assert (await qu_a.post(f"/api/accounts/{ids['jc-a']}/enable")).json()["code"] == "account.status"
    assert (await qu_a.post(f"/api/accounts/{ids['jc-a']}/disable")).json()["status"] == "disabled"
    assert (await qu_a.get("/api/accounts", params={"status": "disabled"})).json()["total"] == 1
    assert (await qu_a.post(f"/api/accounts/{ids['jc-a']}/enable")).json()["status"] == "active"
    assert (await gateway.login("jc-a")).status_code == 200
