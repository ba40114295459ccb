"""Payables from enrollment.batch.submitted: made from the header of whichever chunk comes first (one
per batch number, whatever is redelivered), lines collected per chunk, the notice issued at once.
A retiree-plan batch brings its 代扣行 (what pensions already paid): the payer owes the rest, and a batch
wholly withheld is confirmed on arrival (billing.payment.confirmed).
enrollment.batch.lapsed voids the payable: no voucher is taken or approved for it afterwards."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentBatchLapsed, EnrollmentBatchSubmitted
from contracts.envelope import Envelope
from runtime.clock import Clock
from runtime.logs import get_logger

from ..domain.payables import PayableState, check_withholding, covered
from ..models import Payable, PayableChunk
from . import accounts, notices, review

log = get_logger(__name__)

INSERT_LINES = sa.text(
    "WITH added AS (INSERT INTO payable_line (batch_no, member_id, org_id, name, id_number_masked, channel, "
    "guarantee_type, premium_fen) SELECT :batch_no, * FROM unnest(CAST(:member_ids AS text[]), "
    "CAST(:org_ids AS int[]), CAST(:names AS text[]), CAST(:ids AS text[]), CAST(:channels AS text[]), "
    "CAST(:types AS text[]), CAST(:premiums AS bigint[])) ON CONFLICT DO NOTHING RETURNING 1) "
    "SELECT count(*) FROM added"
)


class Intake:
    """The consumers' use cases, with what they need beyond the event: who signs the notice, the date."""

    def __init__(self, issuer: str, clock: Clock) -> None:
        self.issuer, self.clock = issuer, clock

    async def on_batch_submitted(self, session: AsyncSession, event: EnrollmentBatchSubmitted, _: Envelope) -> None:
        payable = await session.get(Payable, event.batch_no, with_for_update=True)
        if payable is None:
            payable = await _create(session, event)
            await notices.issue(session, payable, self.issuer, self.clock.today())
            if payable.withheld_fen and covered(payable.amount_fen, payable.paid_fen, payable.withheld_fen):
                _confirm_withheld(session, payable, self.clock.now())
        await _take_chunk(session, payable, event)

    async def on_batch_lapsed(self, session: AsyncSession, event: EnrollmentBatchLapsed, _: Envelope) -> None:
        payable = await session.get(Payable, event.batch_no, with_for_update=True)
        if payable is None or payable.state != PayableState.AWAITING:
            log.info("lapse.ignored", batch_no=event.batch_no, state=payable.state if payable else None)
            return
        payable.state, payable.lapsed_at = PayableState.LAPSED, event.lapsed_at
        payable.version += 1
        payable.updated_at = datetime.now(UTC)
        session.add(payable)


async def _create(session: AsyncSession, e: EnrollmentBatchSubmitted) -> Payable:
    persons = e.persons_member_card + e.persons_ss_card
    check_withholding(e.split.amount_fen, persons, e.withheld_fen, e.withheld_persons)
    category = await accounts.category_of(session, e.programme)
    payable = Payable(
        batch_no=e.batch_no, payer_org_id=e.payer_org_id, payer_org_name=e.payer_org_name,
        payer_account=e.payer_account, programme=e.programme,
        programme_name=e.programme_name, year=e.year, enrollment_type=e.enrollment_type.value,
        guarantee_types=[g.model_dump(mode="json") for g in e.guarantee_types],
        persons=persons, persons_member_card=e.persons_member_card,
        persons_ss_card=e.persons_ss_card, amount_fen=e.split.amount_fen, city_fen=e.split.city_fen,
        district_fen=e.split.district_fen, grassroots_fen=e.split.grassroots_fen, pay_by=e.pay_by,
        coverage_start=e.coverage_start, coverage_end=e.coverage_end, handler_name=e.handler_name,
        handler_phone_masked=e.handler_phone_masked, handler_email=e.handler_email, submitted_at=e.submitted_at,
        chunks=e.chunks, lines_total=e.lines_total, account_category=category.value, state=PayableState.AWAITING,
        withheld_fen=e.withheld_fen, withheld_persons=e.withheld_persons,
    )  # fmt: skip
    session.add(payable)
    await session.flush()
    log.info("payable.created", batch_no=e.batch_no, amount_fen=e.split.amount_fen, withheld_fen=e.withheld_fen,
             chunks=e.chunks)  # fmt: skip
    return payable


def _confirm_withheld(session: AsyncSession, payable: Payable, now: datetime) -> None:
    """Everyone withheld at the full premium: nothing for the payer to pay, no voucher to review."""
    payable.state, payable.confirmed_at = PayableState.CONFIRMED, now
    session.add(payable)
    review.announce_confirmed(session, payable, now)
    log.info("payable.confirmed_by_withholding", batch_no=payable.batch_no, withheld_fen=payable.withheld_fen)


async def _take_chunk(session: AsyncSession, payable: Payable, e: EnrollmentBatchSubmitted) -> None:
    """A chunk counts once: its row is the guard, its lines are inserted only the first time."""
    taken = await session.exec(
        insert(PayableChunk)
        .values(batch_no=e.batch_no, chunk=e.chunk, lines=len(e.lines))
        .on_conflict_do_nothing()
        .returning(col(PayableChunk.chunk))
    )
    if taken.first() is None:
        log.info("chunk.repeated", batch_no=e.batch_no, chunk=e.chunk)
        return
    lines = e.lines
    params = {
        "batch_no": e.batch_no, "member_ids": [x.member_id for x in lines], "org_ids": [x.org_id for x in lines],
        "names": [x.name for x in lines], "ids": [x.id_number_masked for x in lines],
        "channels": [x.channel.value for x in lines], "types": [x.guarantee_type for x in lines],
        "premiums": [x.premium_fen for x in lines],
    }  # fmt: skip
    added = (await session.exec(INSERT_LINES, params=params)).scalar_one()  # type: ignore[call-overload]
    payable.chunks_received += 1
    payable.lines_received += int(added)
    payable.updated_at = datetime.now(UTC)
    session.add(payable)
