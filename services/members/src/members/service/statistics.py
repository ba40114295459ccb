"""业务工作台's member panel: counts over the caller's subtree (or a chosen org inside it), the
transfers waiting for its review and its latest imports — read straight from the register."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.tokens import Principal

from ..domain.statistics import GroupCount, JoinPeriods, add_up, join_periods
from ..domain.transfers import TransferState
from ..models import ImportJob, ImportJobPublic, Member, OrgRef, TransferRequest
from . import orgs

RECENT_IMPORTS = 5


class ECardFigures(SQLModel):
    activated: int = 0
    rate: float = 0.0


class NumberFigures(SQLModel):
    assigned: int = 0
    pending: int = 0


class JoinFigures(SQLModel):
    today: int = 0
    week: int = 0
    month: int = 0


class MemberStatistics(SQLModel):
    org_id: int | None = None
    as_of: date
    members: int
    by_status: dict[str, int]
    by_category: dict[str, int]
    e_card: ECardFigures
    member_no: NumberFigures
    joins: JoinFigures
    pending_transfers: int
    recent_imports: list[ImportJobPublic]


async def figures(session: AsyncSession, caller: Principal, org_id: int | None, today: date) -> MemberStatistics:
    prefix = caller.scope_prefix if org_id is None else (await orgs.get_visible(session, caller, org_id)).path
    totals = add_up(await _groups(session, prefix, join_periods(today)))
    return MemberStatistics(
        org_id=org_id,
        as_of=today,
        members=totals.members,
        by_status=totals.by_status,
        by_category=totals.by_category,
        e_card=ECardFigures(activated=totals.e_card_activated, rate=totals.e_card_rate),
        member_no=NumberFigures(assigned=totals.numbered, pending=totals.unnumbered),
        joins=JoinFigures(today=totals.joined_today, week=totals.joined_week, month=totals.joined_month),
        pending_transfers=await _pending_transfers(session, prefix),
        recent_imports=await _recent_imports(session, prefix),
    )


def _orgs_within(prefix: str):  # type: ignore[no-untyped-def]
    return select(OrgRef.org_id).where(orgs.in_subtree(prefix))


async def _groups(session: AsyncSession, prefix: str | None, periods: JoinPeriods) -> list[GroupCount]:
    """One pass over the scope's members, counted per (status, data type)."""
    joined = col(Member.joined_on)
    stmt = sa.select(
        col(Member.status),
        col(Member.category),
        func.count(),
        func.count().filter(col(Member.e_card_activated)),
        func.count().filter(col(Member.member_no).is_not(None)),
        func.count().filter(joined == periods.today),
        func.count().filter(joined >= periods.week_start, joined <= periods.today),
        func.count().filter(joined >= periods.month_start, joined <= periods.today),
    ).group_by(col(Member.status), col(Member.category))
    if prefix is not None:
        stmt = stmt.where(col(Member.org_id).in_(_orgs_within(prefix)))
    rows = await session.exec(stmt)  # type: ignore[call-overload]
    return [GroupCount(status, getattr(category, "value", category), *counts) for status, category, *counts in rows]


async def _pending_transfers(session: AsyncSession, prefix: str | None) -> int:
    """Requests into the scope that wait for a review: the receiving side decides (会籍审核管理)."""
    stmt = select(func.count()).select_from(TransferRequest).where(TransferRequest.state == TransferState.PENDING)
    if prefix is not None:
        stmt = stmt.where(col(TransferRequest.to_org_id).in_(_orgs_within(prefix)))
    return (await session.exec(stmt)).one()


async def _recent_imports(session: AsyncSession, prefix: str | None) -> list[ImportJobPublic]:
    """Imports uploaded from inside the scope, as 批量导入 lists them."""
    stmt = select(ImportJob).order_by(col(ImportJob.created_at).desc(), col(ImportJob.id)).limit(RECENT_IMPORTS)
    if prefix is not None:
        path = col(ImportJob.uploader_org_path)
        stmt = stmt.where(sa.or_(path == prefix, path.startswith(prefix + ".")))
    return [ImportJobPublic.model_validate(job, from_attributes=True) for job in await session.exec(stmt)]
