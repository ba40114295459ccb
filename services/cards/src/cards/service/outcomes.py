"""The bank's answers (bank.v1), one per card: 已办卡 with the masked card number, or back to 未办卡
with the bank's reason. Applied once per (batch, member): an answer for a card already answered, for
a batch we do not know, or for a revoked batch changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.bank import BankCardIssued, BankCardRejected
from contracts.cards import CardChannel, CardIssued
from contracts.envelope import Envelope
from runtime import outbox

from ..domain.batches import state_after_answer
from ..domain.states import BatchState, CardStatus, Outcome
from ..models import BatchCard, CardBatch, CardMember
from . import SOURCE


async def on_issued(session: AsyncSession, event: BankCardIssued, _: Envelope) -> None:
    found = await _waiting(session, event.batch_no, event.member_id)
    if found is None:
        return
    batch, card = found
    now = datetime.now(UTC)
    card.outcome, card.card_number_masked, card.answered_at = Outcome.ISSUED, event.card_number_masked, now
    batch.issued_count += 1
    _answered(session, batch, card, now)
    member = await session.get(CardMember, event.member_id, with_for_update=True)
    if member is None:
        return
    member.card_status, member.card_number_masked, member.issued_on = (
        CardStatus.ISSUED,
        event.card_number_masked,
        event.issued_on,
    )
    member.batch_no, member.card_note, member.card_version = batch.batch_no, None, member.card_version + 1
    member.updated_at = now
    session.add(member)
    issued = CardIssued(
        member_id=member.member_id, org_id=member.org_id or batch.org_id, batch_no=batch.batch_no,
        channel=CardChannel(batch.channel), card_number_masked=event.card_number_masked,
        issued_on=event.issued_on, version=member.card_version,
    )  # fmt: skip
    outbox.record(session, SOURCE, issued)


async def on_rejected(session: AsyncSession, event: BankCardRejected, _: Envelope) -> None:
    found = await _waiting(session, event.batch_no, event.member_id)
    if found is None:
        return
    batch, card = found
    now = datetime.now(UTC)
    card.outcome, card.reason, card.answered_at = Outcome.REJECTED, event.reason[:200], now
    batch.rejected_count += 1
    _answered(session, batch, card, now)
    member = await session.get(CardMember, event.member_id, with_for_update=True)
    if member is None or member.batch_no != batch.batch_no or member.card_status != CardStatus.PENDING:
        return
    member.card_status, member.batch_no, member.channel, member.applied_at = CardStatus.NONE, None, None, None
    member.card_note, member.updated_at = f"银行办卡失败：{event.reason}"[:200], now
    session.add(member)


async def _waiting(session: AsyncSession, batch_no: str, member_id: str) -> tuple[CardBatch, BatchCard] | None:
    batch = await session.get(CardBatch, batch_no, with_for_update=True)
    if batch is None or batch.state == BatchState.REVOKED:
        return None
    card = await session.get(BatchCard, (batch_no, member_id), with_for_update=True)
    if card is None or card.outcome != Outcome.WAITING:
        return None
    return batch, card


def _answered(session: AsyncSession, batch: CardBatch, card: BatchCard, now: datetime) -> None:
    batch.feedback_at = now
    batch.state = state_after_answer(batch.total, batch.issued_count + batch.rejected_count)
    session.add_all([batch, card])
