"""操作日志: every state change and export is written; searchable, exportable, purged after retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import SHANGHAI, Clock
from runtime.db import Sessions

from ..models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    account: str | None = None
    action: str | None = None
    target: str | None = None
    outcome: str | None = None
    start: date | None = None
    end: date | None = None  # inclusive: the whole day in Shanghai


async def record(sessions: Sessions, entry: AuditEntry) -> None:
    """In its own transaction: refused and failed requests are logged although theirs rolled back."""
    async with sessions() as session, session.begin():
        session.add(entry)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _filtered(f: AuditFilter):  # type: ignore[no-untyped-def]
    conditions = []
    if f.account:
        conditions.append(AuditEntry.account == f.account.strip())
    if f.action:
        conditions.append(AuditEntry.action == f.action.strip())
    if f.target:
        conditions.append(sa.func.array_to_string(col(AuditEntry.target_ids), " ").contains(f.target.strip()))
    if f.outcome:
        conditions.append(AuditEntry.outcome == f.outcome)
    if f.start:
        conditions.append(col(AuditEntry.at) >= _day_start(f.start))
    if f.end:
        conditions.append(col(AuditEntry.at) < _day_start(f.end + timedelta(days=1)))
    return conditions


async def search(session: AsyncSession, f: AuditFilter, page: int, size: int) -> tuple[list[AuditEntry], int]:
    conditions = _filtered(f)
    total = (await session.exec(select(func.count()).select_from(AuditEntry).where(*conditions))).one()
    rows = await session.exec(
        select(AuditEntry)
        .where(*conditions)
        .order_by(sa.desc(col(AuditEntry.id)))
        .offset((page - 1) * size)
        .limit(size)
    )
    return list(rows), total


async def iter_all(session: AsyncSession, f: AuditFilter, limit: int) -> list[AuditEntry]:
    rows = await session.exec(
        select(AuditEntry).where(*_filtered(f)).order_by(sa.desc(col(AuditEntry.id))).limit(limit)
    )
    return list(rows)


async def purge(session: AsyncSession, clock: Clock, retention_days: int) -> int:
    """Drop entries older than the retention; returns how many went."""
    cutoff = clock.now() - timedelta(days=retention_days)
    async with session.begin():
        result = await session.exec(sa.delete(AuditEntry).where(col(AuditEntry.at) < cutoff))
    return int(result.rowcount or 0)
