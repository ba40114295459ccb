"""集中参保审核 / 即时参保审核 for secondary and district unions: the to-approve list with the manual's
filters, add to the to-submit list (待提交) or take back (移除), return to the unit (退回) with a reason,
and the to-submit list's totals per channel, premium and split."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import Channel, EnrollmentType
from runtime.errors import NotFound
from runtime.tokens import Principal

from ..domain import review as rules
from ..domain.coverage import LineState
from ..domain.windows import WindowKind, check_open
from ..models import Enrollment, GuaranteeType, OrgRef, Submission
from ..schemas import AmountsOut, StagedTotals, SubmissionOut
from . import orgs, views
from .programmes import load_year, year_by_id


@dataclass(frozen=True)
class SubmissionFilter:
    programme: str
    year: int
    enrollment_type: EnrollmentType | None = None
    state: str | None = None
    unit_name: str | None = None  # 单位名称: part
    unit_code: str | None = None  # 组织机构代码: union code or USCC, exact
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    type_code: str | None = None  # 保障类型
    channel: Channel | None = None  # 参保通道
    upper_org_id: int | None = None  # 上级工会: every union under it
    org_id: int | None = None
    batch_no: str | None = None


async def _conditions(session: AsyncSession, caller: Principal, f: SubmissionFilter) -> list[Any]:
    ctx = await load_year(session, f.programme, f.year)
    where: list[Any] = [Submission.programme_year_id == ctx.id]
    if caller.scope_prefix is not None:
        where.append(orgs.in_subtree(caller.scope_prefix))
    for column, value in (
        (Submission.enrollment_type, f.enrollment_type), (Submission.state, f.state),
        (Submission.channel, f.channel), (Submission.org_id, f.org_id), (Submission.batch_no, f.batch_no),
    ):  # fmt: skip
        if value is not None:
            where.append(column == value)
    if f.unit_name:
        where.append(col(OrgRef.name).contains(f.unit_name.strip(), autoescape=True))
    if f.unit_code:
        where.append(or_(OrgRef.union_code == f.unit_code.strip(), OrgRef.uscc == f.unit_code.strip()))
    if f.submitted_from:
        where.append(col(Submission.submitted_at) >= f.submitted_from)
    if f.submitted_to:
        where.append(col(Submission.submitted_at) < f.submitted_to)
    if f.type_code:
        where.append(col(Submission.guarantee_type_id).in_(
            select(GuaranteeType.id).where(GuaranteeType.programme_year_id == ctx.id, GuaranteeType.code == f.type_code)
        ))  # fmt: skip
    if f.upper_org_id is not None:
        upper = await orgs.get_visible(session, caller, f.upper_org_id)
        where.append(col(OrgRef.path).startswith(upper.path + "."))
    return where


async def search(
    session: AsyncSession, caller: Principal, f: SubmissionFilter, page: int, size: int
) -> tuple[list[SubmissionOut], int]:
    where = await _conditions(session, caller, f)
    base = select(Submission).join(OrgRef, col(OrgRef.org_id) == col(Submission.org_id)).where(*where)
    total = (await session.exec(select(func.count()).select_from(base.subquery()))).one()
    rows = await session.exec(
        base.order_by(col(Submission.submitted_at).desc(), col(Submission.id)).offset((page - 1) * size).limit(size)
    )
    return await views.outs(session, list(rows)), int(total)


async def staged_totals(session: AsyncSession, caller: Principal, f: SubmissionFilter) -> StagedTotals:
    where = await _conditions(session, caller, f)
    stmt = (
        select(  # type: ignore[call-overload]
            Submission.channel,
            func.sum(Submission.persons),
            func.sum(Submission.amount_fen),
            func.sum(Submission.city_fen),
            func.sum(Submission.district_fen),
            func.sum(Submission.grassroots_fen),
        )  # fmt: skip
        .join(OrgRef, col(OrgRef.org_id) == col(Submission.org_id))
        .where(*where)
        .group_by(col(Submission.channel))
    )
    per = {row[0]: [int(v or 0) for v in row[1:]] for row in await session.exec(stmt)}
    sums = [sum(v[i] for v in per.values()) for i in range(5)]
    return StagedTotals(
        persons=sums[0],
        persons_member_card=per.get(Channel.MEMBER_CARD, [0])[0],
        persons_ss_card=per.get(Channel.SS_CARD, [0])[0],
        amounts=AmountsOut(amount_fen=sums[1], city_fen=sums[2], district_fen=sums[3], grassroots_fen=sums[4]),
    )


async def _reviewable(session: AsyncSession, caller: Principal, ids: list[int], now: datetime) -> list[Submission]:
    subs = [await views.visible(session, caller, i, lock=True) for i in dict.fromkeys(ids)]
    for sub in subs:
        ctx = await year_by_id(session, sub.programme_year_id)
        kind = WindowKind.REVIEW if sub.enrollment_type == EnrollmentType.COLLECTIVE else WindowKind.INSTANT
        check_open(ctx.windows, kind, now)
    return subs


async def _move(session: AsyncSession, subs: list[Submission], state: LineState, **values: object) -> None:
    at = datetime.now(UTC)
    ids = [s.id for s in subs]
    await session.exec(
        sa.update(Submission).where(col(Submission.id).in_(ids)).values(state=state, updated_at=at, **values)
    )
    await session.exec(
        sa.update(Enrollment).where(col(Enrollment.submission_id).in_(ids)).values(state=state, updated_at=at)
    )


async def stage(session: AsyncSession, caller: Principal, ids: list[int], now: datetime) -> None:
    """添加至待提交."""
    async with session.begin():
        subs = await _reviewable(session, caller, ids, now)
        for sub in subs:
            rules.check_can_stage(sub.state)
        await _move(session, subs, LineState.STAGED, staged_by=caller.user_id, staged_at=datetime.now(UTC))


async def unstage(session: AsyncSession, caller: Principal, ids: list[int], now: datetime) -> None:
    """移除: back to the to-approve list."""
    async with session.begin():
        subs = await _reviewable(session, caller, ids, now)
        for sub in subs:
            rules.check_can_unstage(sub.state)
        await _move(session, subs, LineState.PENDING_REVIEW, staged_by=None, staged_at=None)


async def give_back(session: AsyncSession, caller: Principal, ids: list[int], reason: str, now: datetime) -> None:
    """退回 to the unit, with the reason it sees; its members may be submitted again."""
    text = rules.check_reason(reason)
    async with session.begin():
        subs = await _reviewable(session, caller, ids, now)
        for sub in subs:
            rules.check_can_return(sub.state)
        await _move(
            session, subs, LineState.RETURNED, returned_by=caller.user_id, returned_at=datetime.now(UTC),
            return_reason=text,
        )  # fmt: skip


async def get(session: AsyncSession, caller: Principal, submission_id: int) -> SubmissionOut:
    sub = await views.visible(session, caller, submission_id)
    out = await views.outs(session, [sub])
    if not out:
        raise NotFound("参保信息")
    return out[0]
