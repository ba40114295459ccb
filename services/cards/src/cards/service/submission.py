"""提交办卡: a channel's pending rows in the caller's scope become one card batch for the bank — rows
locked in the batch, the pending list emptied, cards.batch.submitted recorded, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.cards import CardBatchSubmitted, CardChannel, CardRequest
from runtime import outbox
from runtime.clock import SHANGHAI
from runtime.tokens import Principal

from ..domain import batches as rules
from ..domain.pending import RowState, check_submittable
from ..models import BatchCard, CardBatch, CardMember, PendingCard
from ..schemas import BatchSubmit
from . import SOURCE, orgs

_NEXT_IN_MINUTE = sa.text(
    "INSERT INTO batch_minute (minute, last) VALUES (:minute, 1) "
    "ON CONFLICT (minute) DO UPDATE SET last = batch_minute.last + 1 RETURNING last"
)


@dataclass(frozen=True, slots=True)
class Outlet:
    branch: str
    outlet: str
    address: str
    contact: str
    phone: str


def check_form(data: BatchSubmit) -> Outlet:
    return Outlet(
        branch=rules.check_required(data.branch, "branch", "发卡支行", 100),
        outlet=rules.check_required(data.outlet, "outlet", "经办网点", 100),
        address=rules.check_required(data.outlet_address, "outlet_address", "网点地址", 200),
        contact=rules.check_required(data.contact, "contact", "联系人", 50),
        phone=rules.check_phone(data.contact_phone, "contact_phone"),
    )


async def submit(
    session: AsyncSession, caller: Principal, data: BatchSubmit, now: datetime, idempotency_key: str | None
) -> str:
    """The new batch's number (or the earlier one's, for a repeated Idempotency-Key)."""
    outlet = check_form(data)
    if data.channel == CardChannel.PERSONAL:
        rules.check_platform(caller.tier)
    async with session.begin():
        if idempotency_key:
            earlier = await _earlier(session, caller, idempotency_key)
            if earlier:
                return earlier
        rows = await _rows(session, caller, data.channel)
        check_submittable(data.channel, [RowState(p.check_state, p.info_completed_at is not None) for p, _ in rows])
        batch = CardBatch(
            batch_no=await _number(session, now), org_id=caller.org_id or await orgs.platform_org_id(session),
            channel=data.channel.value, branch=outlet.branch, outlet=outlet.outlet, outlet_address=outlet.address,
            contact=outlet.contact, contact_phone_masked=rules.masked_phone(outlet.phone), total=len(rows),
            submitted_by=caller.user_id, submitted_at=now, idempotency_key=idempotency_key,
        )  # fmt: skip
        session.add(batch)
        session.add_all(_batch_card(batch.batch_no, p, m) for p, m in rows)
        await _lock_in(session, batch.batch_no, rows)
        outbox.record(session, SOURCE, _event(batch, outlet, rows))
    return batch.batch_no


async def _earlier(session: AsyncSession, caller: Principal, key: str) -> str | None:
    # A repeated submit waits for the first one to finish, then finds its batch.
    await session.exec(
        sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"cards.batch:{caller.user_id}:{key}")))
    )  # type: ignore[call-overload]
    return (
        await session.exec(
            select(CardBatch.batch_no).where(CardBatch.submitted_by == caller.user_id, CardBatch.idempotency_key == key)
        )
    ).first()


async def _rows(session: AsyncSession, caller: Principal, channel: str) -> list[tuple[PendingCard, CardMember]]:
    scope = orgs.scope_condition(PendingCard.org_id, caller)
    found = await session.exec(
        select(PendingCard, CardMember)
        .join(CardMember, col(CardMember.member_id) == col(PendingCard.member_id))
        .where(PendingCard.channel == channel, *([] if scope is None else [scope]))
        .order_by(col(PendingCard.id))
        .with_for_update(of=PendingCard)
    )
    return list(found.all())


async def _number(session: AsyncSession, now: datetime) -> str:
    minute = f"{now.astimezone(SHANGHAI):%Y%m%d%H%M}"
    seq = (await session.exec(_NEXT_IN_MINUTE, params={"minute": minute})).scalar_one()  # type: ignore[call-overload]
    return rules.batch_number(now, seq)


def _batch_card(batch_no: str, p: PendingCard, m: CardMember) -> BatchCard:
    return BatchCard(
        batch_no=batch_no, member_id=p.member_id, org_id=p.org_id, member_no=m.member_no, name=m.name,
        id_type=p.id_type, id_number_masked=m.id_number_masked, work_unit=m.work_unit, work_address=m.work_address,
        id_expiry=p.id_expiry, id_long_term=p.id_long_term, nationality=p.nationality,
    )  # fmt: skip


async def _lock_in(session: AsyncSession, batch_no: str, rows: list[tuple[PendingCard, CardMember]]) -> None:
    """The rows leave the pending list; their members stay 待办中, now held by the batch."""
    member_ids = [p.member_id for p, _ in rows]
    await session.exec(sa.delete(PendingCard).where(col(PendingCard.id).in_([p.id for p, _ in rows])))
    await session.exec(
        sa.update(CardMember).where(col(CardMember.member_id).in_(member_ids)).values(batch_no=batch_no, card_note=None)
    )


def _event(batch: CardBatch, outlet: Outlet, rows: list[tuple[PendingCard, CardMember]]) -> CardBatchSubmitted:
    cards = [
        CardRequest(
            member_id=p.member_id,
            name=m.name,
            id_type=p.id_type,
            id_sealed=m.id_sealed,
            id_expiry=p.id_expiry,
            id_long_term=p.id_long_term,
            nationality=p.nationality,
            gender=m.gender,
            birth_date=m.birth_date,
            work_unit=m.work_unit,
            work_address=m.work_address,
        )  # fmt: skip
        for p, m in rows
    ]
    return CardBatchSubmitted(
        batch_no=batch.batch_no, org_id=batch.org_id, channel=CardChannel(batch.channel), branch=outlet.branch,
        outlet=outlet.outlet, outlet_address=outlet.address, contact=outlet.contact, contact_phone=outlet.phone,
        submitted_at=batch.submitted_at, cards=cards, version=batch.version,
    )  # fmt: skip
