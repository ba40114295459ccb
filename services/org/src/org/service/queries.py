"""Reads: the org query screen (组织查询管理) and the workbench statistics (业务工作台)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.org import OrgKind
from runtime.tokens import Principal

from ..models import CoveredEnterprise, JoinsPoint, JoinsSeries, Org, SubtreeJoins, SubtreeStats
from .orgs import get_in_scope


@dataclass(frozen=True)
class OrgFilter:
    name: str | None = None
    uscc: str | None = None
    economic_type: str | None = None
    industry: str | None = None
    enterprise_name: str | None = None
    kind: OrgKind | None = None
    parent_id: int | None = None
    union_code: str | None = None


def _in_scope(caller: Principal, root_path: str | None = None):  # type: ignore[no-untyped-def]
    prefixes = [p for p in (caller.scope_prefix, root_path) if p]
    return [or_(col(Org.path) == p, col(Org.path).startswith(p + ".")) for p in prefixes]


def _filtered(caller: Principal, f: OrgFilter):  # type: ignore[no-untyped-def]
    conditions = _in_scope(caller)
    if f.name:
        conditions.append(col(Org.name).contains(f.name))
    if f.uscc:
        conditions.append(Org.uscc == f.uscc.strip().upper())
    if f.union_code:
        conditions.append(Org.union_code == f.union_code.strip())
    if f.economic_type:
        conditions.append(Org.economic_type == f.economic_type)
    if f.industry:
        conditions.append(Org.industry == f.industry)
    if f.kind:
        conditions.append(Org.kind == f.kind)
    if f.parent_id is not None:
        conditions.append(Org.parent_id == f.parent_id)
    if f.enterprise_name:
        covered = select(CoveredEnterprise.org_id).where(col(CoveredEnterprise.name).contains(f.enterprise_name))
        conditions.append(col(Org.id).in_(covered))
    return conditions


async def search(session: AsyncSession, caller: Principal, f: OrgFilter, page: int, size: int) -> tuple[list[Org], int]:
    conditions = _filtered(caller, f)
    total = (await session.exec(select(func.count()).select_from(Org).where(*conditions))).one()
    rows = await session.exec(
        select(Org).where(*conditions).order_by(col(Org.path)).offset((page - 1) * size).limit(size)
    )
    return list(rows), total


async def iter_all(session: AsyncSession, caller: Principal, f: OrgFilter, limit: int) -> list[Org]:
    rows = await session.exec(select(Org).where(*_filtered(caller, f)).order_by(col(Org.path)).limit(limit))
    return list(rows)


async def stats(session: AsyncSession, caller: Principal, org_id: int) -> SubtreeStats:
    await get_in_scope(session, caller, org_id)
    row = await session.get(SubtreeStats, org_id)
    return row or SubtreeStats(org_id=org_id)


GRANULARITY = {"day": "day", "week": "week", "month": "month"}


async def joins(
    session: AsyncSession, caller: Principal, org_id: int, granularity: str, start: date, end: date
) -> JoinsSeries:
    """入会人数统计图: joins per day, week (starting Monday) or month between start and end inclusive."""
    await get_in_scope(session, caller, org_id)
    bucket = sa.func.date_trunc(GRANULARITY[granularity], col(SubtreeJoins.day)).cast(sa.Date).label("period")
    rows = (
        await session.exec(
            sa.select(bucket, sa.func.sum(SubtreeJoins.joined))
            .where(SubtreeJoins.org_id == org_id, col(SubtreeJoins.day) >= start, col(SubtreeJoins.day) <= end)
            .group_by(bucket)
            .order_by(bucket)
        )
    ).all()
    points = [JoinsPoint(period=p, joined=int(n)) for p, n in rows if n]
    return JoinsSeries(org_id=org_id, granularity=granularity, total=sum(p.joined for p in points), points=points)


def default_window(granularity: str, today: date) -> tuple[date, date]:
    """What the screen shows before the clerk picks: this month by day, the last 12 weeks, this year by month."""
    if granularity == "day":
        return today.replace(day=1), today
    if granularity == "week":
        return today - timedelta(weeks=12), today
    return today.replace(month=1, day=1), today
