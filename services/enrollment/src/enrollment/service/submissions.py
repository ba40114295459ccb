"""Creating a union's submission (提交至上级审核): the request, one submission per channel, a line per
member, the notice — and the two rules every submission obeys: one guarantee type per union and year,
one enrollment per person and year."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import Channel, EnrollmentType
from runtime.errors import DomainError
from runtime.tokens import Principal

from ..domain import notices as notice_rules
from ..domain.coverage import LIVE, LineState, check_once_per_year
from ..domain.review import REPLACEABLE
from ..domain.split import Amounts, Split, amounts
from ..models import Enrollment, EnrollmentRequest, GuaranteeType, MemberRef, OrgRef, Submission
from . import idempotency, notices
from .programmes import YearContext


@dataclass(frozen=True)
class Line:
    member: MemberRef
    channel: Channel
    premium_fen: int
    split: Split  # per person, adds up to premium_fen


async def locked_type(session: AsyncSession, year_id: int, org_id: int) -> GuaranteeType | None:
    """The type of the union's live submissions this year that a collective resubmission would not replace."""
    rows = await session.exec(
        select(Submission.guarantee_type_id, Submission.enrollment_type, Submission.state).where(
            Submission.programme_year_id == year_id, Submission.org_id == org_id, col(Submission.state).in_(LIVE)
        )
    )
    for type_id, kind, state in rows:
        if not (kind == EnrollmentType.COLLECTIVE and state in REPLACEABLE):
            return await session.get(GuaranteeType, type_id)
    return None


def check_type_choice(locked: GuaranteeType | None, chosen: GuaranteeType) -> None:
    if locked is not None and locked.id != chosen.id:
        raise DomainError(
            "type.one_per_year",
            f"本单位本保障年度已选择“{locked.name}”，同一保障年度只能选择一个保障类型",
            locked_type_code=locked.code,
        )


async def check_not_covered(session: AsyncSession, year_id: int, members: Sequence[MemberRef]) -> None:
    ids = [m.member_id for m in members]
    rows = await session.exec(
        select(Enrollment.name).where(
            Enrollment.programme_year_id == year_id, col(Enrollment.member_id).in_(ids), col(Enrollment.state).in_(LIVE)
        )
    )
    check_once_per_year(rows.all())


async def create(
    session: AsyncSession,
    caller: Principal,
    ctx: YearContext,
    org: OrgRef,
    kind: EnrollmentType,
    gtype: GuaranteeType,
    lines: Sequence[Line],
    today: date,
) -> EnrollmentRequest:
    """Inside the caller's transaction (the union's org row is locked by it)."""
    await check_not_covered(session, ctx.id, [line.member for line in lines])
    assert gtype.id is not None
    total = _total(lines)
    request = EnrollmentRequest(
        id=f"rq-{uuid.uuid4().hex[:20]}", programme_year_id=ctx.id, org_id=org.org_id, enrollment_type=kind.value,
        guarantee_type_id=gtype.id, persons=len(lines), amount_fen=total.amount_fen, submitted_by=caller.user_id,
        submitted_at=datetime.now(UTC),
    )  # fmt: skip
    session.add(request)
    await session.flush()
    for channel in Channel:
        group = [line for line in lines if line.channel is channel]
        if group:
            await _submission(session, caller, request, ctx, gtype, channel, group)
    await notices.store(
        session, notices.request_owner(request.id), f"告知书-{org.name}-{ctx.row.year}.pdf",
        notice_rules.unit_html(unit_notice(ctx, org, kind, gtype, len(lines), total, today)),
    )  # fmt: skip
    return request


async def _submission(
    session: AsyncSession,
    caller: Principal,
    request: EnrollmentRequest,
    ctx: YearContext,
    gtype: GuaranteeType,
    channel: Channel,
    lines: Sequence[Line],
) -> Submission:
    total = _total(lines)
    sub = Submission(
        request_id=request.id, programme_year_id=ctx.id, org_id=request.org_id,
        enrollment_type=request.enrollment_type, channel=channel.value, guarantee_type_id=request.guarantee_type_id,
        persons=len(lines), amount_fen=total.amount_fen, city_fen=total.city_fen, district_fen=total.district_fen,
        grassroots_fen=total.grassroots_fen, state=LineState.PENDING_REVIEW, submitted_by=caller.user_id,
        submitted_at=request.submitted_at, updated_at=request.submitted_at,
    )  # fmt: skip
    session.add(sub)
    await session.flush()
    assert sub.id is not None and gtype.id is not None
    session.add_all(
        Enrollment(
            programme_year_id=ctx.id,
            submission_id=sub.id,
            member_id=line.member.member_id,
            org_id=request.org_id,
            channel=channel.value,
            guarantee_type_id=gtype.id,
            premium_fen=line.premium_fen,
            name=line.member.name,
            id_number_masked=line.member.id_number_masked,
            state=LineState.PENDING_REVIEW,
            updated_at=request.submitted_at,
        )  # fmt: skip
        for line in lines
    )
    await session.flush()
    return sub


def _total(lines: Sequence[Line]) -> Amounts:
    total = Amounts()
    for line in lines:
        total = total + amounts(line.split, 1)
    return total


def unit_notice(
    ctx: YearContext, org: OrgRef, kind: EnrollmentType, gtype: GuaranteeType, persons: int, total: Amounts, today: date
) -> notice_rules.UnitNotice:
    collective = kind is EnrollmentType.COLLECTIVE
    if collective:
        pay_by = ctx.row.unit_pay_by or ctx.row.collective_pay_by
    else:
        pay_by = today + timedelta(days=ctx.row.instant_pay_days)
    return notice_rules.UnitNotice(
        union_name=org.name, programme_name=ctx.programme.name, year=ctx.row.year, enrollment_type=kind,
        type_name=gtype.name, persons=persons, amounts=total, pay_by=pay_by,
        coverage_start=ctx.period.start if collective else None, coverage_end=ctx.period.end,
        issuer=ctx.row.issuer_name, issued_on=today,
    )  # fmt: skip


async def replayed(session: AsyncSession, caller: Principal, key: str | None, digest: str) -> EnrollmentRequest | None:
    """The request a retried Idempotency-Key made the first time (inside the caller's transaction)."""
    if not key:
        return None
    done = await idempotency.recall(session, caller.user_id, key, digest)
    return await session.get(EnrollmentRequest, done) if done else None


def remember(
    session: AsyncSession, caller: Principal, key: str | None, digest: str, request: EnrollmentRequest
) -> None:
    if key:
        idempotency.remember(session, caller.user_id, key, digest, request.id)
