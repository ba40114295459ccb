"""Accounts for demos and tests: `seed_accounts` creates or refreshes them with known passwords.

    uv run python -m gateway.seed --demo --password 'Demo@2024'
    uv run python -m gateway.seed --account shizong:Demo@2024:city:1 --account admin:Admin@2024:admin

`--demo` binds one account per tier to orgs of the gateway's org tree (heard from org.v1; the
runner calls it once the demo city's events arrived). Seeded accounts need no password change.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.db import create_engine, migrate, session_factory
from runtime.tokens import Tier

from .main import MIGRATIONS
from .models import Account, AccountStatus, EnterpriseNode, OrgNode
from .service.auth import find
from .service.credentials import hash_password
from .settings import GatewaySettings


@dataclass(frozen=True)
class SeedAccount:
    account: str
    password: str
    tier: Tier
    org_id: int | None = None
    name: str | None = None
    enterprise_id: int | None = None


async def seed_accounts(session: AsyncSession, accounts: Sequence[SeedAccount]) -> list[Account]:
    """Create each account, or reset an existing one to the given password, tier and org; active."""
    hashes = [await hash_password(a.password) for a in accounts]
    rows = []
    async with session.begin():
        for spec, password_hash in zip(accounts, hashes, strict=True):
            row = await find(session, spec.account, lock=True) or Account(
                account=spec.account, name="", tier=spec.tier, status=AccountStatus.ACTIVE, password_hash=""
            )
            row.name = spec.name or row.name or spec.account
            row.tier, row.org_id, row.enterprise_id = spec.tier, spec.org_id, spec.enterprise_id
            row.password_hash, row.status, row.must_change_password = password_hash, AccountStatus.ACTIVE, False
            row.failed_attempts, row.locked_until = 0, None
            session.add(row)
            rows.append(row)
        await session.flush()
    return rows


DEMO_NAMES = {
    Tier.CITY: ("shizong", "市总工会管理员"),
    Tier.DISTRICT: ("quju", "区局工会管理员"),
    Tier.SECONDARY: ("erji", "二级工会管理员"),
    Tier.GRASSROOTS: ("jiceng", "基层工会管理员"),
    Tier.ENTERPRISE: ("qiye", "未建会单位"),
    Tier.INSURER: ("zhibao", "职保会审核员"),
    Tier.ADMIN: ("admin", "平台管理员"),
}
GRASSROOTS_KINDS = ("单独基层工会", "联合工会", "工会联合会")


async def demo_accounts(session: AsyncSession, password: str) -> list[SeedAccount]:
    """One login per tier along one branch of the tree: city → first district → its first
    secondary → a grassroots union below; an enterprise account if one is registered."""
    city = await _first(session, None, kinds=("市总工会",))
    district = await _first(session, city, kinds=("区局（产业）工会",))
    secondary = await _first(session, district, kinds=("二级工会",))
    grassroots = await _first(session, secondary or district, kinds=GRASSROOTS_KINDS)
    enterprise = (await session.exec(select(EnterpriseNode).order_by(col(EnterpriseNode.enterprise_id)))).first()
    bound = {Tier.CITY: city, Tier.DISTRICT: district, Tier.SECONDARY: secondary, Tier.GRASSROOTS: grassroots}
    specs = [SeedAccount(DEMO_NAMES[t][0], password, t, name=DEMO_NAMES[t][1]) for t in (Tier.ADMIN, Tier.INSURER)]
    for tier, org in bound.items():
        if org is not None:
            specs.append(SeedAccount(DEMO_NAMES[tier][0], password, tier, org.org_id, f"{org.name}管理员"))
    if enterprise is not None:
        specs.append(
            SeedAccount(
                DEMO_NAMES[Tier.ENTERPRISE][0],
                password,
                Tier.ENTERPRISE,
                None,
                enterprise.name,
                enterprise.enterprise_id,
            )
        )
    return specs


async def _first(session: AsyncSession, parent: OrgNode | None, *, kinds: Sequence[str]) -> OrgNode | None:
    stmt = select(OrgNode).where(col(OrgNode.kind).in_(kinds), col(OrgNode.deleted).is_(False))
    if parent is not None:
        stmt = stmt.where(col(OrgNode.path).startswith(parent.path + "."))
    return (await session.exec(stmt.order_by(col(OrgNode.org_id)))).first()  # the first created


def parse_account(text: str) -> SeedAccount:
    """`account:password:tier[:org_id[:name]]`"""
    parts = text.split(":")
    if len(parts) < 3:
        raise argparse.ArgumentTypeError("格式：账号:密码:层级[:组织ID[:名称]]")
    org_id = int(parts[3]) if len(parts) > 3 and parts[3] else None
    return SeedAccount(parts[0], parts[1], Tier(parts[2]), org_id, parts[4] if len(parts) > 4 else None)


async def run(settings: GatewaySettings, explicit: list[SeedAccount], demo_password: str | None) -> list[SeedAccount]:
    await migrate(MIGRATIONS, settings.database_url)
    engine = create_engine(settings.database_url, pool_size=2)
    try:
        async with session_factory(engine)() as session:
            specs = [*(await demo_accounts(session, demo_password) if demo_password else []), *explicit]
        async with session_factory(engine)() as session:
            await seed_accounts(session, specs)
    finally:
        await engine.dispose()
    return specs


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway.seed", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--account", action="append", type=parse_account, default=[], help="账号:密码:层级[:组织ID[:名称]]"
    )
    parser.add_argument("--demo", action="store_true", help="one account per tier on the demo city (needs --password)")
    parser.add_argument("--password", help="the demo accounts' password")
    args = parser.parse_args(argv)
    if args.demo and not args.password:
        parser.error("--demo needs --password")
    specs = asyncio.run(run(GatewaySettings(), args.account, args.password if args.demo else None))
    shown = [{k: v for k, v in asdict(s).items() if k != "password"} for s in specs]
    print(json.dumps(shown, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
