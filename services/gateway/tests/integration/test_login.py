"""登录: captcha, wrong passwords and lockout, rate limits, sessions and their timeouts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from runtime.tokens import Tier
from services.gateway.tests.conftest import PASSWORD, Gateway, SeedAccount

ADMIN = SeedAccount("admin", PASSWORD, Tier.ADMIN, name="平台管理员")
CITY = SeedAccount("shizong", PASSWORD, Tier.CITY, org_id=1, name="市总管理员")


async def test_login_sets_a_session_cookie_and_answers_me(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"))
    await gateway.seed(CITY)
    r = await gateway.login("ShiZong")  # account names are not case-sensitive
    assert r.status_code == 200, r.text
    me = r.json()
    assert (me["account"], me["tier"], me["org_id"], me["org_path"], me["org_name"]) == (
        "shizong",
        "city",
        1,
        "1",
        "组织1",
    )
    assert me["must_change_password"] is False
    assert me["menus"] == [
        *("workbench", "orgs", "org-info", "enterprises"),
        *("members", "member-imports", "member-reviews", "member-compares"),
        *("accounts", "registrations", "audit"),
        *("enrollment-programmes", "enrollment-submissions", "enrollment-batches"),
        *("card-info", "card-pending", "card-batches", "card-revocations"),
        *("billing-payables", "billing-vouchers", "billing-refunds", "billing-receipts", "billing-reconciliation"),
        *("mutual-aid-batches", "mutual-aid-years"),
        *("retiree-batches", "retiree-years"),
    ]
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("sid=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert len(r.cookies["sid"]) >= 43  # 256 bits, url-safe base64
    assert (await gateway.client.get("/api/me")).json()["account_id"] == me["account_id"]
    assert (await gateway.client.post("/api/auth/logout")).status_code == 204
    gone = await gateway.client.get("/api/me")
    assert gone.status_code == 401 and gone.json()["code"] == "session.missing"


async def test_a_captcha_is_good_once_and_case_does_not_matter(gateway: Gateway):
    await gateway.seed(ADMIN)
    captcha_id, code = await gateway.captcha()
    body = {"account": "admin", "password": PASSWORD, "captcha_id": captcha_id, "captcha_code": "zzzz"}
    wrong = await gateway.client.post("/api/auth/login", json=body)
    assert wrong.status_code == 400 and wrong.json()["code"] == "auth.captcha_wrong"
    assert wrong.json()["title"].startswith("验证码")
    again = await gateway.client.post("/api/auth/login", json=body | {"captcha_code": code})
    assert again.status_code == 400, "a captcha answered once (even wrongly) is spent"
    captcha_id, code = await gateway.captcha()
    ok = await gateway.client.post(
        "/api/auth/login", json=body | {"captcha_id": captcha_id, "captcha_code": code.upper()}
    )
    assert ok.status_code == 200
    image = (await gateway.client.get("/api/captcha")).json()["image"]
    assert image.startswith("data:image/png;base64,")


async def test_wrong_passwords_count_down_then_lock_until_a_visible_time(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"), (2, 1, "1.2", "区局（产业）工会"))
    await gateway.seed(SeedAccount("quju", PASSWORD, Tier.DISTRICT, org_id=2), CITY)
    remaining = []
    for _ in range(4):
        r = await gateway.login("quju", "Wrong@2024pw")
        assert r.status_code == 401 and r.json()["code"] == "auth.bad_credentials"
        remaining.append(r.json()["remaining"])
    assert remaining == [4, 3, 2, 1]
    locked = await gateway.login("quju", "Wrong@2024pw")
    assert locked.status_code == 423 and locked.json()["code"] == "auth.locked"
    unlock_at = datetime.fromisoformat(locked.json()["unlock_at"])
    assert timedelta(minutes=14) < unlock_at - gateway.clock.now() <= timedelta(minutes=15)
    assert "锁定" in locked.json()["title"]
    # the right password does not open a locked account
    assert (await gateway.login("quju")).json()["code"] == "auth.locked"
    city = await gateway.signed_in("shizong")
    listed = (await city.get("/api/accounts", params={"account": "quju"})).json()["items"][0]
    assert listed["status"] == "locked" and listed["locked_until"]
    unlocked = await city.post(f"/api/accounts/{listed['id']}/unlock")
    assert unlocked.status_code == 200 and unlocked.json()["status"] == "active"
    assert (await gateway.login("quju")).status_code == 200


async def test_a_lock_ends_by_itself(gateway: Gateway):
    await gateway.seed(ADMIN)
    for _ in range(5):
        await gateway.login("admin", "Wrong@2024pw")
    assert (await gateway.login("admin")).status_code == 423
    gateway.clock.advance(timedelta(minutes=16))
    assert (await gateway.login("admin")).status_code == 200


async def test_unknown_accounts_get_the_same_answers(gateway: Gateway):
    answers = [(await gateway.login("nobody", "Wrong@2024pw")).json() for _ in range(5)]
    assert [a.get("remaining") for a in answers[:4]] == [4, 3, 2, 1]
    assert answers[4]["code"] == "auth.locked" and answers[4]["unlock_at"]


async def test_too_many_logins_from_one_address_are_slowed_down(database, broker, redis_url, redis_prefix):
    from services.gateway.tests.conftest import gateway_settings, start_gateway

    settings = gateway_settings(database, broker, redis_url, redis_prefix, login_rate_per_ip=3)
    async with start_gateway(settings) as gw:
        await gw.seed(ADMIN)
        codes = [(await gw.login("admin", "Wrong@2024pw")).status_code for _ in range(3)]
        assert codes == [401, 401, 401]
        limited = await gw.login("admin")
        assert limited.status_code == 429 and limited.json()["code"] == "auth.rate_limited"
        assert 1 <= limited.json()["retry_after"] <= 61
        assert limited.json()["title"].startswith("操作过于频繁")


async def test_a_session_ends_after_idling_and_after_twelve_hours(gateway: Gateway):
    await gateway.seed(ADMIN)
    client = await gateway.signed_in("admin")
    gateway.clock.advance(timedelta(minutes=29))
    assert (await client.get("/api/me")).status_code == 200  # use renews the idle timeout
    gateway.clock.advance(timedelta(minutes=29))
    assert (await client.get("/api/me")).status_code == 200
    gateway.clock.advance(timedelta(minutes=31))
    expired = await client.get("/api/me")
    assert expired.status_code == 401 and expired.json()["code"] == "session.expired"
    assert expired.json()["title"] == "登录已超时，请重新登录"

    busy = await gateway.signed_in("admin")
    logged_in_at, answers = gateway.clock.now(), []
    for _ in range(30):  # a clerk who never idles for long is still signed out after 12 hours
        gateway.clock.advance(timedelta(minutes=25))
        answers.append((await busy.get("/api/me")).status_code)
    assert answers.index(401) == 28  # 29 × 25 min = 12 h 5 min
    assert gateway.clock.now() - logged_in_at > timedelta(hours=12)


async def test_logout_all_ends_every_session_of_the_account(gateway: Gateway):
    await gateway.seed(ADMIN)
    office, home = await gateway.signed_in("admin"), await gateway.signed_in("admin")
    assert (await home.get("/api/me")).status_code == 200
    assert (await office.post("/api/auth/logout-all")).status_code == 204
    assert (await home.get("/api/me")).json()["code"] == "session.expired"
    assert (await office.get("/api/me")).status_code == 401


async def test_disabled_pending_accounts_and_forged_cookies_get_no_session(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"), (2, 1, "1.2", "区局（产业）工会"))
    [quju_id] = await gateway.seed(SeedAccount("quju", PASSWORD, Tier.DISTRICT, org_id=2))
    await gateway.seed(CITY)
    quju = await gateway.signed_in("quju")
    city = await gateway.signed_in("shizong")
    assert (await city.post(f"/api/accounts/{quju_id}/disable")).json()["status"] == "disabled"
    assert (await quju.get("/api/me")).status_code == 401, "disabling ends the sessions"
    refused = await gateway.login("quju")
    assert refused.status_code == 403 and refused.json()["code"] == "auth.account_disabled"
    forged = gateway.new_client()
    forged.cookies.set("sid", "x" * 43)
    assert (await forged.get("/api/me")).json()["code"] == "session.expired"


async def test_last_login_is_recorded(gateway: Gateway):
    await gateway.seed(ADMIN)
    before = datetime.now(UTC)
    await gateway.login("admin")
    admin = await gateway.signed_in("admin")
    row = (await admin.get("/api/accounts", params={"account": "admin"})).json()["items"][0]
    assert datetime.fromisoformat(row["last_login_at"]) >= before - timedelta(seconds=1)
