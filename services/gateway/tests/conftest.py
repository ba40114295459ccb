"""Gateway test fixtures: a gateway (and, where needed, the org service in-process) on fresh
databases, a broker of its own per test (org ids restart at 1 in every fresh database, so one
test's org.v1 events must never reach another's projection), Redis under a per-test key prefix."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis as sync_redis
from sqlmodel import col, func, select

from contracts.org import OrgKind, OrgSnapshot
from gateway.main import create_app
from gateway.models import OrgNode
from gateway.seed import SeedAccount, seed_accounts
from gateway.service import orgtree
from gateway.settings import GatewaySettings
from localstack import Postgres, Tansu, free_port, start_redis, start_tansu
from localstack.pytest_plugin import eventually, running
from runtime.clock import SHANGHAI
from runtime.identity import make_uscc
from runtime.tokens import Principal, Tier, issue

SECRET = "test-secret-0123456789-0123456789-abcdef"
PASSWORD = "Test@2024pw"
# Minted once at import: it must outlive the whole test session, not the services' 2 minutes.
SYSTEM_HEADERS = {
    "Authorization": f"Bearer {issue(SECRET, Principal(user_id='tests', tier=Tier.SYSTEM), ttl=timedelta(hours=6))}"
}


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The members service's import template (members.domain.roster.COLUMNS), written down independently.
ROSTER_HEADER = [
    *("姓名", "证件类型", "证件号码", "手机号码", "性别"),
    *("所在工会", "工会编号", "工作单位/服务平台", "会员标签", "工作单位地址"),
]


def roster_file(rows: list[list[Any]]) -> bytes:
    """An .xlsx roster in the import template's columns."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(ROSTER_HEADER)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class ShiftedClock:
    """Real time plus an offset the test moves forward (sessions, locks, audit times)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(SHANGHAI) + self.offset

    def today(self):  # type: ignore[no-untyped-def]
        return self.now().date()

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    configured = os.environ.get("REDIS_URL")
    if configured:
        yield configured
        return
    started = start_redis()
    yield "redis://127.0.0.1:6379/15"
    if started is not None:
        started.terminate()


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    prefix = f"test:{uuid.uuid4().hex[:10]}:"
    yield prefix
    client = sync_redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Tansu]:
    tansu = start_tansu(free_port(), tmp_path / "tansu.log")
    yield tansu
    tansu.stop()


def gateway_settings(database: str, broker: Tansu, redis_url: str, prefix: str, **overrides: Any) -> GatewaySettings:
    values: dict[str, Any] = {
        "database_url": database,
        "kafka_bootstrap_servers": broker.bootstrap,
        "internal_token_secret": SECRET,
        "redis_url": redis_url,
        "redis_key_prefix": prefix,
        "consumer_backoff_seconds": 0.01,
        "consumer_max_attempts": 3,
        "org_url": f"http://127.0.0.1:{free_port()}",  # nobody listens unless a transport is given
        "members_url": f"http://127.0.0.1:{free_port()}",
        "enrollment_url": f"http://127.0.0.1:{free_port()}",
        "enrollment_timeout_seconds": 120,  # a fresh process's first notice loads WeasyPrint's fonts
        "cards_url": f"http://127.0.0.1:{free_port()}",
        "billing_url": f"http://127.0.0.1:{free_port()}",
        "static_dir": Path("/nonexistent"),
    }
    return GatewaySettings(**(values | overrides))


@dataclass
class Gateway:
    """A running gateway: its app, an anonymous client, its clock; more clients, logins, seeds."""

    app: Any
    client: httpx.AsyncClient
    clock: ShiftedClock
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def new_client(self) -> httpx.AsyncClient:
        c = httpx.AsyncClient(transport=httpx.ASGITransport(self.app), base_url="http://test")
        self.clients.append(c)
        return c

    async def captcha(self, client: httpx.AsyncClient | None = None) -> tuple[str, str]:
        r = await (client or self.client).get("/api/captcha")
        assert r.status_code == 200, r.text
        captcha_id = r.json()["captcha_id"]
        return captcha_id, await self.app.state.captchas.answer(captcha_id)

    async def login(
        self, account: str, password: str = PASSWORD, client: httpx.AsyncClient | None = None
    ) -> httpx.Response:
        client = client or self.client
        captcha_id, code = await self.captcha(client)
        body = {"account": account, "password": password, "captcha_id": captcha_id, "captcha_code": code}
        return await client.post("/api/auth/login", json=body)

    async def signed_in(self, account: str, password: str = PASSWORD) -> httpx.AsyncClient:
        client = self.new_client()
        r = await self.login(account, password, client)
        assert r.status_code == 200, r.text
        return client

    async def seed(self, *accounts: SeedAccount) -> list[int]:
        async with self.app.state.sessions() as s:
            rows = await seed_accounts(s, list(accounts))
        return [r.id for r in rows]

    async def place(self, *orgs: tuple[int, int | None, str, str]) -> None:
        """Put orgs into the projection directly: (org_id, parent_id, path, kind)."""
        async with self.app.state.sessions() as s, s.begin():
            for org_id, parent_id, path, kind in orgs:
                snapshot = OrgSnapshot(
                    org_id=org_id,
                    parent_id=parent_id,
                    path=path,
                    name=f"组织{org_id}",
                    kind=OrgKind(kind),
                    union_code=f"31000000{org_id:04d}",
                    version=1,
                )
                await orgtree.upsert(s, snapshot)

    async def org_count(self) -> int:
        async with self.app.state.sessions() as s:
            return (
                await s.exec(select(func.count()).select_from(OrgNode).where(col(OrgNode.deleted).is_(False)))
            ).one()

    async def close(self) -> None:
        for c in self.clients:
            await c.aclose()


@asynccontextmanager
async def start_gateway(settings: GatewaySettings, transports: dict | None = None) -> AsyncIterator[Gateway]:
    clock = ShiftedClock()
    app = create_app(settings, clock, transports)
    async with running(app) as client:
        gw = Gateway(app, client, clock)
        try:
            yield gw
        finally:
            await gw.close()


@pytest.fixture
async def database(postgres: Postgres) -> str:
    return await postgres.ensure_database(f"g_{uuid.uuid4().hex[:12]}", fresh=True)


@pytest.fixture
async def gateway(database: str, broker: Tansu, redis_url: str, redis_prefix: str) -> AsyncIterator[Gateway]:
    async with start_gateway(gateway_settings(database, broker, redis_url, redis_prefix)) as gw:
        yield gw


@dataclass
class Platform:
    """The gateway with the org service (and, when asked, the members service) behind it
    (in-process), on one broker."""

    gateway: Gateway
    org: httpx.AsyncClient  # straight to the org service, as the platform (SYSTEM)
    org_app: Any
    members: httpx.AsyncClient | None = None  # straight to the members service
    cards: httpx.AsyncClient | None = None  # straight to the cards service

    async def create_org(self, parent_id: int, name: str, kind: str, code: str, **more: Any) -> dict:
        body = {"parent_id": parent_id, "name": name, "kind": kind, "union_code": code, **more}
        r = await self.org.post("/orgs", json=body, headers=SYSTEM_HEADERS)
        assert r.status_code == 201, r.text
        return r.json()

    async def create_root(self) -> int:
        from org.service.orgs import create_root

        async with self.org_app.state.sessions() as s:
            root = await create_root(s, "上海市总工会", "310000000001", make_uscc(1))
        assert root.id is not None
        return root.id

    async def heard(self, count: int) -> bool:
        """Wait until the gateway's projection holds `count` live orgs."""
        return bool(await eventually(lambda: _has(self.gateway, count)))


async def _has(gw: Gateway, count: int) -> bool:
    return await gw.org_count() == count


@pytest.fixture
async def org_database(postgres: Postgres) -> str:
    return await postgres.ensure_database(f"o_{uuid.uuid4().hex[:12]}", fresh=True)


@asynccontextmanager
async def start_platform(
    settings: GatewaySettings, org_database: str, members_database: str | None = None, cards_database: str | None = None
) -> AsyncIterator[Platform]:
    """`members_database`, `cards_database`: run those services behind the gateway too (in-process)."""
    from org.main import create_app as create_org_app
    from org.settings import OrgSettings

    org_settings = OrgSettings(
        database_url=org_database,
        kafka_bootstrap_servers=settings.kafka_bootstrap_servers,
        internal_token_secret=SECRET,
        consumer_backoff_seconds=0.01,
        consumer_max_attempts=3,
    )
    org_app = create_org_app(org_settings)
    async with contextlib.AsyncExitStack() as stack:
        org_client = await stack.enter_async_context(running(org_app))
        transports: dict[str, httpx.AsyncBaseTransport] = {"org": httpx.ASGITransport(org_app)}
        members_client = None
        if members_database is not None:
            members_app = members_app_for(settings, members_database)
            members_client = await stack.enter_async_context(running(members_app))
            transports["members"] = httpx.ASGITransport(members_app)
        cards_client = None
        if cards_database is not None:
            cards_app = cards_app_for(settings, cards_database)
            cards_client = await stack.enter_async_context(running(cards_app))
            transports["cards"] = httpx.ASGITransport(cards_app)
        gw = await stack.enter_async_context(start_gateway(settings, transports))
        yield Platform(gw, org_client, org_app, members_client, cards_client)


def members_app_for(settings: GatewaySettings, members_database: str) -> Any:
    """The members service as its own tests build it (members/tests/conftest.py), on this broker."""
    from members.main import create_app as create_members_app
    from members.settings import MembersSettings

    return create_members_app(
        MembersSettings(
            database_url=members_database,
            kafka_bootstrap_servers=settings.kafka_bootstrap_servers,
            internal_token_secret=SECRET,
            consumer_backoff_seconds=0.01,
            consumer_max_attempts=3,
            job_scan_seconds=0.5,
        )
    )


def cards_app_for(settings: GatewaySettings, database: str) -> Any:
    """The cards service as its own tests build it (cards/tests/conftest.py), on this broker (its
    tables live in a registry of their own: it shares a process with the members service)."""
    from cards.main import create_app as create_cards_app
    from cards.settings import CardsSettings

    return create_cards_app(
        CardsSettings(
            database_url=database,
            kafka_bootstrap_servers=settings.kafka_bootstrap_servers,
            internal_token_secret=SECRET,
            consumer_backoff_seconds=0.01,
            consumer_max_attempts=3,
        )
    )


@asynccontextmanager
async def enrollment_process(database: str, bootstrap: str, log: Path) -> AsyncIterator[str]:
    """The enrollment service as its own process, as the runner starts it (its tables share names with
    the members service's, so the two cannot be imported into one Python process); yields its URL.
    It runs on the real clock: tests open and close the programme year's windows through its API."""
    # The local SMS sender answers with the code (参保编码申请, 经办人填报), as in development.
    env = {
        "ENROLLMENT_DATABASE_URL": database,
        "ENROLLMENT_LAPSE_SCAN_SECONDS": "0",
        "ENROLLMENT_SMS_SHOW_CODE": "true",
    }
    async with service_process("enrollment", "ENROLLMENT", env, bootstrap, log) as url:
        yield url


@asynccontextmanager
async def billing_process(database: str, bootstrap: str, log: Path) -> AsyncIterator[str]:
    """The billing service as its own process (its tables too share names with the members service's);
    yields its URL. Real clock; it learns the org tree from org.v1 and its batches from enrollment.v1."""
    env = {"BILLING_DATABASE_URL": database, "BILLING_STATE_SCAN_SECONDS": "0"}
    async with service_process("billing", "BILLING", env, bootstrap, log) as url:
        yield url


@asynccontextmanager
async def service_process(
    module: str, prefix: str, env: dict[str, str], bootstrap: str, log: Path
) -> AsyncIterator[str]:
    """`python -m <module>` on a free port (`<prefix>_PORT`), on this broker; yields its URL once ready."""
    port = free_port()
    process = _spawn(module, env | {f"{prefix}_PORT": str(port)}, bootstrap, log)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=5) as client:
            for _ in range(600):  # /readyz waits for the broker's consumer group (seconds)
                assert process.poll() is None, f"the {module} service exited: {_tail(log)}"
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get("/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.2)
            else:
                raise AssertionError(f"the {module} service never got ready: {_tail(log)}")
        yield url
    finally:
        _stop(process)


def _spawn(module: str, env: dict[str, str], bootstrap: str, log: Path) -> subprocess.Popen[bytes]:
    platform = {
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "INTERNAL_TOKEN_SECRET": SECRET,
        "CONSUMER_BACKOFF_SECONDS": "0.01",
        "CONSUMER_MAX_ATTEMPTS": "3",
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", module], env=os.environ | env | platform, stdout=out, stderr=subprocess.STDOUT
        )


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
async def members_database(postgres: Postgres) -> str:
    return await postgres.ensure_database(f"m_{uuid.uuid4().hex[:12]}", fresh=True)


@pytest.fixture
async def members_platform(
    database: str, org_database: str, members_database: str, broker: Tansu, redis_url: str, redis_prefix: str
) -> AsyncIterator[Platform]:
    settings = gateway_settings(database, broker, redis_url, redis_prefix)
    async with start_platform(settings, org_database, members_database) as p:
        yield p


@pytest.fixture
async def platform(
    database: str, org_database: str, broker: Tansu, redis_url: str, redis_prefix: str
) -> AsyncIterator[Platform]:
    async with start_platform(gateway_settings(database, broker, redis_url, redis_prefix), org_database) as p:
        yield p


__all__ = [
    "PASSWORD",
    "SYSTEM_HEADERS",
    "XLSX",
    "roster_file",
    "Gateway",
    "SeedAccount",
    "eventually",
    "gateway_settings",
    "start_gateway",
]
