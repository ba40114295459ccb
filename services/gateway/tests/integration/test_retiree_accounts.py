"""退休住院计划 预派账号 (manual 003 一(一)): "上年度参保的、且匹配到正确统一信用代码的单位，已预派登录账号密码：
账号：tuixiu+参保编码（示例：tuixiu123000000），初始密码：Txbz123456".

enrollment.retiree_unit.registered on the real broker; enrollment itself is a fake behind the gateway's
client that records the owner bindings (PUT /retiree/units/{code}/owner) and fails when told to."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlmodel import col, func, select

from contracts import topics
from contracts.enrollment import EnrollmentRetireeUnitRegistered
from gateway.models import Account, EnterpriseNode, PreIssueOutcome, RetireeUnitAccount
from localstack import Tansu
from localstack.pytest_plugin import read_topic, send_event, states_scraped
from runtime.identity import make_uscc
from runtime.inbox import InboxEntry
from runtime.tokens import Tier, verify
from services.gateway.tests.conftest import (
    PASSWORD,
    SECRET,
    Gateway,
    SeedAccount,
    eventually,
    gateway_settings,
    start_gateway,
)

INITIAL = "Txbz123456"
CHANGED = "Tuixiu@2025a"
UNION, DISTRICT, ENTERPRISE = 3, 2, 7


@dataclass
class FakeEnrollment:
    """Answers the owner bindings; `failures` of them first with 503 (the service restarting)."""

    failures: int = 0
    bindings: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        principal = verify(SECRET, request.headers["authorization"].removeprefix("Bearer "))
        assert principal.tier is Tier.SYSTEM, "bound as the platform"
        assert request.method == "PUT"
        body = json.loads(request.content)
        self.bindings.append((request.url.path, body))
        if self.failures:
            self.failures -= 1
            return httpx.Response(503, json={"code": "service.unavailable", "title": "参保服务暂时不可用"})
        return httpx.Response(200, json={"owner_user_id": body["user_id"]})


@dataclass
class World:
    gw: Gateway
    enrollment: FakeEnrollment
    bootstrap: str

    async def announce(self, code: str, uscc: str, org_id: int | None, name: str = "上海某某科技有限公司") -> str:
        unit = EnrollmentRetireeUnitRegistered(code=code, unit_name=name, uscc=uscc, org_id=org_id)
        ce_id = await send_event(self.bootstrap, unit, source="/enrollment")
        assert await eventually(lambda: self.handled(ce_id)), f"unit {code} was never handled"
        return ce_id

    async def handled(self, ce_id: str) -> bool:
        async with self.gw.app.state.sessions() as s:
            return await s.get(InboxEntry, ("/enrollment", ce_id)) is not None

    async def account(self, login: str) -> Account | None:
        async with self.gw.app.state.sessions() as s:
            return (await s.exec(select(Account).where(Account.account == login))).first()

    async def accounts(self) -> int:
        async with self.gw.app.state.sessions() as s:
            return (await s.exec(select(func.count()).select_from(Account))).one()

    async def unit(self, code: str) -> RetireeUnitAccount | None:
        async with self.gw.app.state.sessions() as s:
            return await s.get(RetireeUnitAccount, code)


@pytest.fixture
async def world(database: str, broker: Tansu, redis_url: str, redis_prefix: str) -> AsyncIterator[World]:
    enrollment = FakeEnrollment()
    settings = gateway_settings(database, broker, redis_url, redis_prefix)
    async with start_gateway(settings, {"enrollment": httpx.MockTransport(enrollment)}) as gw:
        await gw.place(
            (1, None, "1", "市总工会"), (DISTRICT, 1, "1.2", "区局（产业）工会"), (UNION, 2, "1.2.3", "单独基层工会")
        )
        async with gw.app.state.sessions() as s, s.begin():
            s.add(EnterpriseNode(enterprise_id=ENTERPRISE, name="上海某某贸易有限公司", uscc=make_uscc(8), version=1))
        yield World(gw, enrollment, broker.bootstrap)


async def test_a_matched_union_gets_its_account_with_the_initial_password_changed_at_first_login(world: World):
    await world.announce("123000000", make_uscc(5), UNION)
    account = await world.account("tuixiu123000000")
    assert account is not None and account.id is not None
    assert (account.tier, account.org_id, account.enterprise_id) == (Tier.GRASSROOTS, UNION, None)
    assert account.name == "上海某某科技有限公司" and account.must_change_password
    binding = {"user_id": str(account.id), "tier": "grassroots", "org_id": UNION}
    assert world.enrollment.bindings == [("/retiree/units/123000000/owner", binding)]

    client = world.gw.new_client()
    signed_in = await world.gw.login("tuixiu123000000", INITIAL, client)
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["must_change_password"] is True
    refused = await client.get("/api/accounts")
    assert refused.status_code == 403 and refused.json()["code"] == "password.change_required"
    changed = await client.post("/api/auth/password", json={"old_password": INITIAL, "new_password": CHANGED})
    assert changed.status_code == 204, changed.text
    assert (await client.get("/api/me")).json()["must_change_password"] is False
    assert (await client.get("/api/accounts")).status_code == 200

    # enrollment announces the unit again (a reload, a replay): nothing new, the changed password stays
    accounts = await world.accounts()
    await world.announce("123000000", make_uscc(5), UNION, name="上海某某科技有限公司（更名）")
    assert await world.accounts() == accounts
    again = await world.account("tuixiu123000000")
    assert again is not None and again.id == account.id and not again.must_change_password
    assert (await world.gw.login("tuixiu123000000", INITIAL)).status_code == 401
    assert (await world.gw.login("tuixiu123000000", CHANGED)).status_code == 200
    assert world.enrollment.bindings[-1] == ("/retiree/units/123000000/owner", binding), "bound again, same account"


async def test_a_registered_enterprise_matches_by_uscc_and_an_unmatched_unit_gets_nothing(world: World):
    await world.announce("123000001", make_uscc(8), None, name="上海某某贸易有限公司")
    enterprise = await world.account("tuixiu123000001")
    assert enterprise is not None
    assert (enterprise.tier, enterprise.org_id, enterprise.enterprise_id) == (Tier.ENTERPRISE, None, ENTERPRISE)
    assert world.enrollment.bindings == [
        ("/retiree/units/123000001/owner", {"user_id": str(enterprise.id), "tier": "enterprise", "org_id": None})
    ]

    accounts = await world.accounts()
    await world.announce("123000002", make_uscc(9), None, name="上海无匹配单位")
    assert await world.account("tuixiu123000002") is None and await world.accounts() == accounts
    unit = await world.unit("123000002")
    assert unit is not None and unit.outcome is PreIssueOutcome.UNMATCHED and unit.account_id is None
    assert len(world.enrollment.bindings) == 1, "no binding for a unit without an account"
    await world.gw.app.state.state_gauge.refresh()
    counted = await states_scraped(world.gw.client, "gateway.retiree_unit")
    assert counted == {"issued": 1, "unmatched": 1, "name_taken": 0}


async def test_a_failed_binding_is_retried_without_a_second_account(world: World):
    world.enrollment.failures = 1
    await world.announce("123000003", make_uscc(5), UNION)
    async with world.gw.app.state.sessions() as s:
        issued = (await s.exec(select(Account).where(col(Account.account).startswith("tuixiu")))).all()
    assert [a.account for a in issued] == ["tuixiu123000003"]
    assert [path for path, _ in world.enrollment.bindings] == ["/retiree/units/123000003/owner"] * 2
    assert world.enrollment.bindings[-1][1]["user_id"] == str(issued[0].id)

    # enrollment away for every attempt: dead-lettered, and nothing of the unit stays behind
    world.enrollment.failures = 3  # consumer_max_attempts in the tests
    unit = EnrollmentRetireeUnitRegistered(code="123000004", unit_name="上海某单位", uscc=make_uscc(6), org_id=UNION)
    await send_event(world.bootstrap, unit, source="/enrollment")

    async def parked() -> bool:
        return len(await read_topic(world.bootstrap, topics.dlq(topics.ENROLLMENT))) == 1

    assert await eventually(parked)
    assert await world.account("tuixiu123000004") is None and await world.unit("123000004") is None
    await world.announce("123000004", make_uscc(6), UNION)  # the unit heard again (a DLQ replay)
    assert await world.account("tuixiu123000004") is not None


async def test_the_insurer_lists_the_pre_issued_accounts_and_resets_one(world: World):
    await world.gw.seed(
        SeedAccount("zhibao", PASSWORD, Tier.INSURER),
        SeedAccount("jiceng", PASSWORD, Tier.GRASSROOTS, UNION),
    )
    await world.announce("123000010", make_uscc(5), UNION, name="甲单位")
    await world.announce("123000011", make_uscc(8), None, name="乙单位")
    changer = await world.gw.signed_in("tuixiu123000011", INITIAL)
    changed = await changer.post("/api/auth/password", json={"old_password": INITIAL, "new_password": CHANGED})
    assert changed.status_code == 204, changed.text

    insurer = await world.gw.signed_in("zhibao")
    listed = (await insurer.get("/api/retiree-accounts")).json()
    assert listed["total"] == 2
    rows = {r["code"]: r for r in listed["items"]}
    assert rows["123000010"]["account"] == "tuixiu123000010" and rows["123000010"]["login_status"] == "not_logged_in"
    assert rows["123000010"]["org_name"] == f"组织{UNION}" and rows["123000010"]["tier"] == "grassroots"
    assert rows["123000011"]["login_status"] == "changed" and rows["123000011"]["password_changed_at"]
    only = (await insurer.get("/api/retiree-accounts", params={"login_status": "changed"})).json()
    assert [r["code"] for r in only["items"]] == ["123000011"]
    by_code = (await insurer.get("/api/retiree-accounts", params={"code": "0010"})).json()
    assert [r["code"] for r in by_code["items"]] == ["123000010"]

    account_id = rows["123000011"]["account_id"]
    reset = await insurer.post(f"/api/retiree-accounts/{account_id}/reset-password")
    assert reset.status_code == 200, reset.text
    temporary = reset.json()["temporary_password"]
    assert (await changer.get("/api/me")).status_code == 401, "the holder's sessions end with the reset"
    assert (await world.gw.login("tuixiu123000011", CHANGED)).status_code == 401
    again = await world.gw.signed_in("tuixiu123000011", temporary)
    assert (await again.get("/api/me")).json()["must_change_password"] is True
    pending = (await insurer.get("/api/retiree-accounts", params={"login_status": "pending_change"})).json()
    assert [r["code"] for r in pending["items"]] == ["123000011"]

    # only the pre-issued accounts: another account is its upper union's to reset (unchanged here)
    jiceng = await world.account("jiceng")
    assert jiceng is not None
    refused = await insurer.post(f"/api/retiree-accounts/{jiceng.id}/reset-password")
    assert refused.status_code == 404
    assert (await world.gw.login("jiceng")).status_code == 200
    grassroots = await world.gw.signed_in("jiceng")
    assert (await grassroots.get("/api/retiree-accounts")).json()["code"] == "tier.forbidden"
