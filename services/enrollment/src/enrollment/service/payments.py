"""What billing says of a batch: a voucher was uploaded (billing.voucher.submitted → the roster is
frozen), then the batch ends once: paid (billing.payment.confirmed → cover active) or lapsed (pay-by
date passed unpaid → every enrollment in it void, as the notice warns)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.billing import BillingPaymentConfirmed, BillingVoucherSubmitted
from contracts.enrollment import EnrollmentBatchCompleted, EnrollmentBatchLapsed, EnrollmentType
from contracts.envelope import Envelope
from runtime import outbox
from runtime.clock import SHANGHAI, Clock
from runtime.db import Sessions
from runtime.logs import get_logger

from ..domain.batches import BatchState, freeze_roster, overdue
from ..domain.coverage import LineState, Period, instant_cover_start
from ..models import Batch, Enrollment, ProgrammeYear, Submission
from . import SOURCE
from .mutual_aid import payments as mutual_aid_payments
from .programmes import year_by_id

log = get_logger(__name__)


async def on_voucher_submitted(session: AsyncSession, event: BillingVoucherSubmitted, _: Envelope) -> None:
    """缴费凭证上传后清册不能再修改: the batch's lines were fixed when it went to the insurer; from now on
    billing holds the payer to them too, and the batch shows the voucher (凭证上传时间)."""
    batch = await session.get(Batch, event.batch_no, with_for_update=True)
    if batch is None and await mutual_aid_payments.on_voucher_submitted(session, event):
        return  # a mutual-aid payable (HZ…)
    if batch is None or event.version <= batch.billing_version:
        # Unknown, or older than what billing already told (a replay): nothing changes.
        log.info("voucher.ignored", batch_no=event.batch_no, version=event.version)
        return
    freeze_roster(batch, event.voucher_no, event.roster_frozen_at, event.submitted_at)
    batch.billing_version = event.version
    batch.version += 1
    batch.updated_at = datetime.now(UTC)
    session.add(batch)


async def on_payment_confirmed(session: AsyncSession, event: BillingPaymentConfirmed, _: Envelope) -> None:
    batch = await session.get(Batch, event.batch_no, with_for_update=True)
    if batch is None and await mutual_aid_payments.on_payment_confirmed(session, event):
        return  # a mutual-aid payable (HZ…)
    if batch is None or batch.state != BatchState.AWAITING_PAYMENT:
        # Unknown, already complete (a repeat) or lapsed: nothing changes; billing refunds a late payment.
        log.info("payment.ignored", batch_no=event.batch_no, state=batch.state if batch else None)
        return
    ctx = await year_by_id(session, batch.programme_year_id)
    start = _cover_start(batch, ctx.period, event.confirmed_at)
    if start is None:  # confirmed after the year ended: nothing left to cover
        await lapse(session, batch, event.confirmed_at)
        return
    batch.state, batch.paid_amount_fen, batch.confirmed_at = (
        BatchState.COMPLETED,
        event.paid_amount_fen,
        event.confirmed_at,
    )
    batch.coverage_start = start
    batch.billing_version = max(batch.billing_version, event.version)
    await _end(session, batch, LineState.ACTIVE, cover_start=start, cover_end=ctx.period.end)
    outbox.record(
        session,
        SOURCE,
        EnrollmentBatchCompleted(
            batch_no=batch.batch_no,
            payer_org_id=batch.payer_org_id,
            persons=batch.persons,
            paid_amount_fen=event.paid_amount_fen,
            coverage_start=start,
            coverage_end=ctx.period.end,
            completed_at=event.confirmed_at,
            version=batch.version,
        ),  # fmt: skip
    )


def _cover_start(batch: Batch, period: Period, confirmed_at: datetime) -> date | None:
    """Collective: the year's start. Instant: the day after confirmation (Shanghai), never backdated."""
    if batch.enrollment_type == EnrollmentType.COLLECTIVE:
        return period.start
    return instant_cover_start(confirmed_at.astimezone(SHANGHAI).date(), period)


async def lapse(session: AsyncSession, batch: Batch, at: datetime) -> None:
    batch.state, batch.lapsed_at = BatchState.LAPSED, at
    await _end(session, batch, LineState.LAPSED)
    outbox.record(
        session,
        SOURCE,
        EnrollmentBatchLapsed(
            batch_no=batch.batch_no,
            payer_org_id=batch.payer_org_id,
            persons=batch.persons,
            pay_by=batch.pay_by,
            lapsed_at=at,
            version=batch.version,
        ),  # fmt: skip
    )


async def _end(session: AsyncSession, batch: Batch, state: LineState, **line_values: object) -> None:
    batch.version += 1
    batch.updated_at = datetime.now(UTC)
    session.add(batch)
    await session.exec(
        sa.update(Submission)
        .where(col(Submission.batch_no) == batch.batch_no)
        .values(state=state, updated_at=batch.updated_at)
    )
    await session.exec(
        sa.update(Enrollment)
        .where(col(Enrollment.batch_no) == batch.batch_no)
        .values(state=state, updated_at=batch.updated_at, **line_values)
    )


def shanghai_day(at: datetime | None) -> date | None:
    return at.astimezone(SHANGHAI).date() if at else None


async def lapse_overdue(sessions: Sessions, clock: Clock) -> list[str]:
    """Every unpaid batch past its pay-by date (plus the year's grace) lapses; one transaction per batch."""
    today = clock.today()
    async with sessions() as session:
        rows = await session.exec(
            select(Batch.batch_no, Batch.pay_by, ProgrammeYear.lapse_grace_days, Batch.frozen_at)  # type: ignore[call-overload]
            .join(ProgrammeYear, col(ProgrammeYear.id) == col(Batch.programme_year_id))
            .where(Batch.state == BatchState.AWAITING_PAYMENT, col(Batch.pay_by) < today)
        )
        due = [no for no, pay_by, grace, voucher_at in rows if overdue(pay_by, today, grace, shanghai_day(voucher_at))]
    lapsed = []
    for no in due:
        async with sessions() as session, session.begin():
            batch = await session.get(Batch, no, with_for_update=True)
            if batch is not None and batch.state == BatchState.AWAITING_PAYMENT:  # paid meanwhile: keep it
                await lapse(session, batch, clock.now())
                lapsed.append(no)
    if lapsed:
        log.info("batches.lapsed", count=len(lapsed))
    return lapsed


class LapseWatch:
    """Lapses overdue batches every `seconds` (0: never; POST /batches/lapse-overdue does it on request)."""

    def __init__(self, sessions: Sessions, clock: Clock, seconds: float) -> None:
        self.sessions, self.clock, self.seconds = sessions, clock, seconds
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            try:
                await lapse_overdue(self.sessions, self.clock)
            except Exception:  # the database is away: try again next round
                log.exception("batches.lapse_failed")
            await asyncio.sleep(self.seconds)

    def start(self) -> None:
        if self.seconds > 0:
            self._task = asyncio.create_task(self._run(), name="lapse-watch")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
