"""集中参保 of a grassroots union: the overview with its counts, the lists behind them, confirmations,
exclusions, and the submission to the upper union (again and again until the deadline; the last counts)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import Channel, EnrollmentType
from contracts.org import GRASSROOTS
from runtime.errors import DomainError
from runtime.tokens import Principal

from ..domain.coverage import LineState
from ..domain.review import REPLACEABLE, check_replaceable
from ..domain.split import amounts
from ..domain.standing import Standing
from ..domain.windows import WindowKind, check_open
from ..models import Enrollment, EnrollmentRequest, GuaranteeType, OrgRef, Submission
from ..schemas import AmountsOut, CollectiveCounts, CollectiveOverview, LastSubmission
from . import idempotency, orgs, roster, submissions
from .programmes import YearContext, load_year, type_by_code
from .roster import Placed
from .splits import effective_split

SUBMITTED = "已提交"
FLAGGED = "即将退休"
LISTS = [s.value for s in Standing] + [SUBMITTED, FLAGGED]


def check_grassroots(org: OrgRef) -> None:
    if org.kind not in {k.value for k in GRASSROOTS}:
        raise DomainError("org.not_grassroots", "只有基层工会可以办理参保")


async def placed_roster(
    session: AsyncSession, caller: Principal, code: str, year: int, org_id: int | None, *, lock: bool = False
) -> tuple[YearContext, OrgRef, list[Placed]]:
    org = await orgs.acting_org(session, caller, org_id, lock=lock)
    ctx = await load_year(session, code, year)
    return ctx, org, roster.place(ctx, org.org_id, await roster.load(session, ctx, org))


def select_list(placed: list[Placed], org_id: int, name: str | None) -> list[Placed]:
    if not name:
        return placed
    if name == SUBMITTED:
        return [p for p in placed if p.entry.live is not None and p.entry.live_type == EnrollmentType.COLLECTIVE
                and p.entry.live_org_id == org_id]  # fmt: skip
    if name == FLAGGED:
        return [p for p in placed if p.flagged and p.placement.standing is Standing.LISTED]
    return [p for p in placed if p.placement.standing == name]


async def overview(
    session: AsyncSession,
    caller: Principal,
    code: str,
    year: int,
    org_id: int | None,
    type_code: str | None,
    now: datetime,
) -> CollectiveOverview:
    ctx, org, placed = await placed_roster(session, caller, code, year, org_id)
    locked = await submissions.locked_type(session, ctx.id, org.org_id)
    last = await _last_request(session, ctx.id, org.org_id)
    counts = _counts(placed, org.org_id)
    gtype = await _shown_type(session, ctx, type_code, locked, last)
    premium = None
    if gtype is not None:
        split = await effective_split(session, gtype, orgs.district_of(org))
        total = amounts(split, counts.insured)
        premium = AmountsOut(**vars(total))
    window = ctx.windows.get(WindowKind.COLLECTIVE)
    return CollectiveOverview(
        org_id=org.org_id, org_name=org.name, programme=code, year=year, insurance_start=ctx.period.start,
        insurance_end=ctx.period.end, deadline=window.closes_at if window else None,
        window_open=bool(window and window.is_open(now)), unit_pay_by=ctx.row.unit_pay_by or ctx.row.collective_pay_by,
        type_code=gtype.code if gtype else None, locked_type_code=locked.code if locked else None, premium=premium,
        counts=counts, last_submission=await _last_out(session, last),
    )  # fmt: skip


def _counts(placed: list[Placed], org_id: int) -> CollectiveCounts:
    by: dict[str, int] = {}
    for p in placed:
        by[p.placement.standing] = by.get(p.placement.standing, 0) + 1
    listed = [p for p in placed if p.placement.standing is Standing.LISTED]
    return CollectiveCounts(
        total_members=len(placed),
        submitted=len(select_list(placed, org_id, SUBMITTED)),
        without_card=by.get(Standing.WITHOUT_CARD, 0),
        retired=by.get(Standing.RETIRED, 0),
        deceased=by.get(Standing.DECEASED, 0),
        pending=by.get(Standing.PENDING, 0),
        excluded=by.get(Standing.EXCLUDED, 0),
        covered=by.get(Standing.COVERED, 0),
        insured=len(listed),
        member_card=sum(1 for p in listed if p.placement.channel is Channel.MEMBER_CARD),
        ss_card=sum(1 for p in listed if p.placement.channel is Channel.SS_CARD),
        flagged_retiring=sum(1 for p in listed if p.flagged),
    )


async def _shown_type(
    session: AsyncSession, ctx: YearContext, asked: str | None, locked: GuaranteeType | None,
    last: EnrollmentRequest | None,
) -> GuaranteeType | None:  # fmt: skip
    if asked:
        return await type_by_code(session, ctx.id, asked)
    if locked is not None:
        return locked
    return await session.get(GuaranteeType, last.guarantee_type_id) if last else None


async def _last_request(session: AsyncSession, year_id: int, org_id: int) -> EnrollmentRequest | None:
    rows = await session.exec(
        select(EnrollmentRequest)
        .where(
            EnrollmentRequest.programme_year_id == year_id,
            EnrollmentRequest.org_id == org_id,
            EnrollmentRequest.enrollment_type == EnrollmentType.COLLECTIVE,
        )
        .order_by(col(EnrollmentRequest.submitted_at).desc())
        .limit(1)
    )
    return rows.first()


async def _last_out(session: AsyncSession, last: EnrollmentRequest | None) -> LastSubmission | None:
    if last is None:
        return None
    gtype = await session.get(GuaranteeType, last.guarantee_type_id)
    states = await session.exec(select(Submission.state).where(Submission.request_id == last.id))
    return LastSubmission(
        request_id=last.id, type_code=gtype.code if gtype else "", persons=last.persons, amount_fen=last.amount_fen,
        submitted_at=last.submitted_at, states=sorted(set(states.all())), notice_url=f"/requests/{last.id}/notice",
    )  # fmt: skip


async def submit(
    session: AsyncSession, caller: Principal, code: str, year: int, org_id: int | None, type_code: str,
    key: str | None, now: datetime, today: date,
) -> EnrollmentRequest:  # fmt: skip
    digest = idempotency.request_hash(["collective", code, year, org_id, type_code])
    async with session.begin():
        if done := await submissions.replayed(session, caller, key, digest):
            return done
        ctx, org, placed = await placed_roster(session, caller, code, year, org_id, lock=True)
        check_grassroots(org)
        check_open(ctx.windows, WindowKind.COLLECTIVE, now)
        gtype = await type_by_code(session, ctx.id, type_code)
        submissions.check_type_choice(await submissions.locked_type(session, ctx.id, org.org_id), gtype)
        await _supersede(session, ctx.id, org.org_id)  # refuses first when the last one is with the insurer
        listed = [p for p in placed if p.placement.standing is Standing.LISTED]
        if not listed:
            raise DomainError("collective.empty", "参保名单中没有可提交的会员")
        split = await effective_split(session, gtype, orgs.district_of(org))
        lines = [submissions.Line(p.entry.member, p.placement.channel or Channel.MEMBER_CARD, split.total_fen, split)
                 for p in listed]  # fmt: skip
        request = await submissions.create(session, caller, ctx, org, EnrollmentType.COLLECTIVE, gtype, lines, today)
        submissions.remember(session, caller, key, digest, request)
        return request


async def _supersede(session: AsyncSession, year_id: int, org_id: int) -> None:
    """The union's previous collective submission no longer counts (unless it is already with the insurer)."""
    rows = await session.exec(
        select(Submission).where(
            Submission.programme_year_id == year_id,
            Submission.org_id == org_id,
            Submission.enrollment_type == EnrollmentType.COLLECTIVE,
        )
    )
    previous = list(rows)
    check_replaceable({s.state for s in previous})
    replaced = [s.id for s in previous if s.state in REPLACEABLE]
    if not replaced:
        return
    at = datetime.now(UTC)
    await session.exec(
        sa.update(Submission).where(col(Submission.id).in_(replaced)).values(state=LineState.SUPERSEDED, updated_at=at)
    )
    await session.exec(
        sa.update(Enrollment)
        .where(col(Enrollment.submission_id).in_(replaced))
        .values(state=LineState.SUPERSEDED, updated_at=at)
    )
