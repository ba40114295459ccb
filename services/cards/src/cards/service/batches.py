"""办卡批次管理: batches in the caller's scope with their progress and revocation state; one batch with
each member's outcome and its revocation requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import SHANGHAI
from runtime.errors import NotFound
from runtime.tokens import Principal

from ..domain.states import BatchState, RevocationState
from ..models import BatchCard, BatchRevocation, CardBatch, OrgRef
from ..schemas import BatchCardRow, BatchDetail, BatchSummary, Revocation
from . import orgs


@dataclass(frozen=True)
class BatchFilter:
    batch_no: str | None = None  # part of the number
    channel: str | None = None
    state: str | None = None
    revocation_state: str | None = None  # 批次撤销情况
    submitted_from: date | None = None
    submitted_to: date | None = None


def latest_revocation() -> Any:
    """The state of a batch's latest revocation request (None: never asked)."""
    return (
        select(BatchRevocation.state)
        .where(BatchRevocation.batch_no == CardBatch.batch_no)
        .order_by(col(BatchRevocation.id).desc())
        .limit(1)
        .scalar_subquery()
    )


def _day(day: date) -> datetime:
    return datetime.combine(day, time.min, SHANGHAI)


def _conditions(caller: Principal, f: BatchFilter, revocation) -> list:  # type: ignore[no-untyped-def,type-arg]
    scope = orgs.scope_condition(CardBatch.org_id, caller)
    conditions = [] if scope is None else [scope]
    if f.batch_no:
        conditions.append(col(CardBatch.batch_no).contains(f.batch_no.strip(), autoescape=True))
    if f.channel:
        conditions.append(CardBatch.channel == f.channel)
    if f.state:
        conditions.append(CardBatch.state == f.state)
    if f.revocation_state:
        conditions.append(revocation == f.revocation_state)
    if f.submitted_from:
        conditions.append(col(CardBatch.submitted_at) >= _day(f.submitted_from))
    if f.submitted_to:
        conditions.append(col(CardBatch.submitted_at) < _day(f.submitted_to + timedelta(days=1)))
    return conditions


async def search(
    session: AsyncSession, caller: Principal, f: BatchFilter, page: int, size: int
) -> tuple[list[BatchSummary], int]:
    revocation = latest_revocation()
    conditions = _conditions(caller, f, revocation)
    total = (await session.exec(select(func.count()).select_from(CardBatch).where(*conditions))).one()
    rows = await session.exec(
        select(CardBatch, OrgRef.name, revocation)
        .join(OrgRef, col(OrgRef.org_id) == col(CardBatch.org_id), isouter=True)
        .where(*conditions)
        .order_by(col(CardBatch.submitted_at).desc(), col(CardBatch.batch_no).desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    return [summary(b, union, state) for b, union, state in rows.all()], total


def summary(b: CardBatch, union_name: str | None, revocation_state: str | None) -> BatchSummary:
    answered = b.issued_count + b.rejected_count
    return BatchSummary(
        batch_no=b.batch_no, org_id=b.org_id, union_name=union_name or "", channel=b.channel, total=b.total,
        issued_count=b.issued_count, rejected_count=b.rejected_count,
        waiting_count=0 if b.state == BatchState.REVOKED else b.total - answered, state=b.state,
        submitted_at=b.submitted_at, submitted_by=b.submitted_by, feedback_at=b.feedback_at, branch=b.branch,
        outlet=b.outlet, outlet_address=b.outlet_address, contact=b.contact, contact_phone=b.contact_phone_masked,
        revocation_state=revocation_state,
        revocable=b.state == BatchState.OPEN and revocation_state != RevocationState.REVIEWING, version=b.version,
    )  # fmt: skip


async def get_visible(session: AsyncSession, caller: Principal, batch_no: str, *, lock: bool = False) -> CardBatch:
    stmt = select(CardBatch).where(CardBatch.batch_no == batch_no)
    batch = (await session.exec(stmt.with_for_update() if lock else stmt)).first()
    if batch is None or not await orgs.covers(session, caller, batch.org_id):
        raise NotFound("办卡批次")
    return batch


async def detail(session: AsyncSession, caller: Principal, batch_no: str) -> BatchDetail:
    batch = await get_visible(session, caller, batch_no)
    union = (await orgs.names(session, [batch.org_id])).get(batch.org_id)
    cards = await session.exec(
        select(BatchCard).where(BatchCard.batch_no == batch_no).order_by(col(BatchCard.member_no), col(BatchCard.name))
    )
    requests = list(
        (
            await session.exec(
                select(BatchRevocation)
                .where(BatchRevocation.batch_no == batch_no)
                .order_by(col(BatchRevocation.id).desc())
            )
        ).all()
    )
    head = summary(batch, union, requests[0].state if requests else None)
    return BatchDetail(
        **head.model_dump(),
        cards=[card_row(c) for c in cards.all()],
        revocations=[revocation(r, batch, union) for r in requests],
    )


def card_row(c: BatchCard) -> BatchCardRow:
    return BatchCardRow(
        member_id=c.member_id, member_no=c.member_no, name=c.name, id_type=c.id_type, id_number=c.id_number_masked,
        work_unit=c.work_unit, id_expiry=c.id_expiry, id_long_term=c.id_long_term, nationality=c.nationality,
        outcome=c.outcome, card_number=c.card_number_masked, reason=c.reason, answered_at=c.answered_at,
    )  # fmt: skip


def revocation(r: BatchRevocation, b: CardBatch, union_name: str | None) -> Revocation:
    assert r.id is not None
    return Revocation(
        id=r.id, batch_no=r.batch_no, org_id=b.org_id, union_name=union_name or "", channel=b.channel,
        batch_total=b.total, applicant_name=r.applicant_name, applicant_phone=r.applicant_phone_masked,
        state=r.state, requested_by=r.requested_by, requested_at=r.requested_at, reviewed_by=r.reviewed_by,
        reviewed_at=r.reviewed_at, review_reason=r.review_reason,
    )  # fmt: skip


async def cards_of(session: AsyncSession, batch_no: str) -> list[BatchCard]:
    rows = await session.exec(
        select(BatchCard).where(BatchCard.batch_no == batch_no).order_by(col(BatchCard.member_no), col(BatchCard.name))
    )
    return list(rows.all())
