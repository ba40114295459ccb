"""撤销办卡批次申请: the submitting union asks (applicant name and phone); the district union whose
subtree holds the batch approves — the batch's unanswered members go back to 未办卡 and the bank is
told — or rejects with a reason, and the members stay locked in the batch."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.cards import CardBatchRevoked
from runtime import outbox
from runtime.errors import NotFound
from runtime.tokens import Principal

from ..domain import batches as rules
from ..domain.states import BatchState, CardStatus, Outcome, RevocationState
from ..models import BatchCard, BatchRevocation, CardBatch, CardMember, OrgRef
from ..schemas import Revocation, RevocationRequest
from . import SOURCE, batches, orgs


async def request(
    session: AsyncSession, caller: Principal, batch_no: str, data: RevocationRequest, now: datetime
) -> int:
    name = rules.check_required(data.applicant_name, "applicant_name", "申请人姓名", 50)
    phone = rules.check_phone(data.applicant_phone, "applicant_phone")
    async with session.begin():
        batch = await batches.get_visible(session, caller, batch_no, lock=True)
        rules.check_revocable(batch.state, await _open_request(session, batch_no))
        asked = BatchRevocation(
            batch_no=batch_no, applicant_name=name, applicant_phone_masked=rules.masked_phone(phone),
            requested_by=caller.user_id, requested_at=now,
        )  # fmt: skip
        session.add(asked)
        await session.flush()
        assert asked.id is not None
        return asked.id


async def _open_request(session: AsyncSession, batch_no: str) -> bool:
    stmt = select(BatchRevocation.id).where(
        BatchRevocation.batch_no == batch_no, BatchRevocation.state == RevocationState.REVIEWING
    )
    return (await session.exec(stmt)).first() is not None


async def search(
    session: AsyncSession, caller: Principal, state: str | None, batch_no: str | None, page: int, size: int
) -> tuple[list[Revocation], int]:
    scope = orgs.scope_condition(CardBatch.org_id, caller)
    conditions = [] if scope is None else [scope]
    if state:
        conditions.append(BatchRevocation.state == state)
    if batch_no:
        conditions.append(col(BatchRevocation.batch_no).contains(batch_no.strip(), autoescape=True))
    joined = (
        select(func.count())
        .select_from(BatchRevocation)
        .join(CardBatch, col(CardBatch.batch_no) == col(BatchRevocation.batch_no))
    )
    total = (await session.exec(joined.where(*conditions))).one()
    rows = await session.exec(
        select(BatchRevocation, CardBatch, OrgRef.name)
        .join(CardBatch, col(CardBatch.batch_no) == col(BatchRevocation.batch_no))
        .join(OrgRef, col(OrgRef.org_id) == col(CardBatch.org_id), isouter=True)
        .where(*conditions)
        .order_by(col(BatchRevocation.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    return [batches.revocation(r, b, union) for r, b, union in rows.all()], total


async def get(session: AsyncSession, caller: Principal, revocation_id: int) -> Revocation:
    asked, batch = await _visible(session, caller, revocation_id)
    union = (await orgs.names(session, [batch.org_id])).get(batch.org_id)
    return batches.revocation(asked, batch, union)


async def _visible(
    session: AsyncSession, caller: Principal, revocation_id: int, *, lock: bool = False
) -> tuple[BatchRevocation, CardBatch]:
    stmt = select(BatchRevocation).where(BatchRevocation.id == revocation_id)
    asked = (await session.exec(stmt.with_for_update() if lock else stmt)).first()
    if asked is None:
        raise NotFound("撤销申请")
    try:
        batch = await batches.get_visible(session, caller, asked.batch_no, lock=lock)
    except NotFound:
        raise NotFound("撤销申请") from None
    return asked, batch


async def approve(session: AsyncSession, caller: Principal, revocation_id: int, now: datetime) -> None:
    rules.check_reviewer(caller.tier)
    async with session.begin():
        asked, batch = await _visible(session, caller, revocation_id, lock=True)
        rules.check_reviewable(asked.state)
        rules.check_revocable(batch.state, open_request=False)  # the bank may have finished meanwhile
        released = await _release(session, batch.batch_no, now)
        batch.state, batch.version = BatchState.REVOKED, batch.version + 1
        asked.state, asked.reviewed_by, asked.reviewed_at = RevocationState.APPROVED, caller.user_id, now
        session.add_all([batch, asked])
        revoked = CardBatchRevoked(
            batch_no=batch.batch_no, org_id=batch.org_id, member_ids=released, version=batch.version
        )
        outbox.record(session, SOURCE, revoked)


async def _release(session: AsyncSession, batch_no: str, now: datetime) -> list[str]:
    """Cards the bank has not answered are revoked; their members are 未办卡 again."""
    gone = await session.exec(
        sa.update(BatchCard)
        .where(col(BatchCard.batch_no) == batch_no, col(BatchCard.outcome) == Outcome.WAITING)
        .values(outcome=Outcome.REVOKED, answered_at=now)
        .returning(col(BatchCard.member_id))
    )
    member_ids = list(gone.scalars().all())
    if member_ids:
        await session.exec(
            sa.update(CardMember)
            .where(
                col(CardMember.member_id).in_(member_ids),
                col(CardMember.batch_no) == batch_no,
                col(CardMember.card_status) == CardStatus.PENDING,
            )
            .values(
                card_status=CardStatus.NONE,
                batch_no=None,
                channel=None,
                applied_at=None,
                card_note="办卡批次已撤销",
                updated_at=now,
            )  # fmt: skip
        )
    return member_ids


async def reject(
    session: AsyncSession, caller: Principal, revocation_id: int, reason: str | None, now: datetime
) -> None:
    rules.check_reviewer(caller.tier)
    why = rules.check_reject_reason(reason)
    async with session.begin():
        asked, _ = await _visible(session, caller, revocation_id, lock=True)
        rules.check_reviewable(asked.state)
        asked.state, asked.reviewed_by, asked.reviewed_at = RevocationState.REJECTED, caller.user_id, now
        asked.review_reason = why
        session.add(asked)
