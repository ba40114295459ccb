"""The demo logins: one account per tier on the demo city, and one unit without a union.

Runs after the demo city is loaded: registers the demo enterprise with the org service, waits until
the gateway has heard every org (its org tree comes from org.v1 events), then seeds the accounts
with `gateway.seed`. The marker keeps them for the banner of later runs.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
import sqlalchemy as sa

from gateway.seed import demo_accounts, seed_accounts
from runtime.db import create_engine, migrate, session_factory
from runtime.identity import make_uscc
from runtime.tokens import Tier

DEMO_PASSWORD = "Demo@2024"
DEMO_ENTERPRISE = {
    "name": "上海星辰物流有限公司",
    "uscc": make_uscc(900_001),
    "contact": "王敏",
    "phone": "13800000042",
}
TIER_NAMES = {
    Tier.ADMIN: "平台管理员",
    Tier.INSURER: "职保会",
    Tier.CITY: "市总工会",
    Tier.DISTRICT: "区局（产业）工会",
    Tier.SECONDARY: "二级工会",
    Tier.GRASSROOTS: "基层工会",
    Tier.ENTERPRISE: "未建会单位",
}
PROJECTION_TIMEOUT = 60.0


@dataclass(frozen=True)
class DemoLogin:
    account: str
    tier: str
    name: str


async def register_enterprise(org_url: str, token: str) -> None:
    async with httpx.AsyncClient(base_url=org_url, headers={"Authorization": f"Bearer {token}"}) as http:
        r = await http.post("/enterprises", json=DEMO_ENTERPRISE)
        if r.status_code not in (201, 409):  # 409: registered by an earlier, interrupted run
            raise RuntimeError(f"演示未建会单位注册失败：{r.status_code} {r.text}")


async def wait_for_projection(gateway_db: str, orgs: int) -> None:
    """The gateway's org tree must hold every demo org (and the enterprise) before accounts bind to it."""
    await migrate_gateway(gateway_db)
    engine = create_engine(gateway_db, pool_size=1)
    deadline = time.monotonic() + PROJECTION_TIMEOUT
    try:
        while True:
            async with engine.connect() as conn:
                heard = (await conn.execute(sa.text("SELECT count(*) FROM org_node"))).scalar_one()
                units = (await conn.execute(sa.text("SELECT count(*) FROM enterprise_node"))).scalar_one()
            if heard >= orgs and units:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"网关只收到 {heard}/{orgs} 个组织事件")
            await asyncio.sleep(0.3)
    finally:
        await engine.dispose()


async def migrate_gateway(gateway_db: str) -> None:
    from gateway.main import MIGRATIONS

    await migrate(MIGRATIONS, gateway_db)


async def seed(gateway_db: str) -> list[DemoLogin]:
    engine = create_engine(gateway_db, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            specs = await demo_accounts(session, DEMO_PASSWORD)
        async with session_factory(engine)() as session:
            await seed_accounts(session, specs)
    finally:
        await engine.dispose()
    return [DemoLogin(s.account, TIER_NAMES[s.tier], s.name or "") for s in specs]


async def load(org_url: str, token: str, gateway_db: str, orgs: int) -> list[DemoLogin]:
    await register_enterprise(org_url, token)
    await wait_for_projection(gateway_db, orgs)
    return await seed(gateway_db)


def save(marker: Path, logins: list[DemoLogin]) -> None:
    marker.write_text(json.dumps([asdict(x) for x in logins], ensure_ascii=False))


def read(marker: Path) -> list[DemoLogin]:
    return [DemoLogin(**x) for x in json.loads(marker.read_text())]
