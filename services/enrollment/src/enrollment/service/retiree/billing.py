"""参保名单确定，前往上传缴费凭证 → billing, and what billing says back — manual 003, 三(五) 上传缴费凭证 and
三(六) 完成参保.

Confirming the roster (a voucher-mode batch once approved, a withholding batch once 代扣完成) fixes the
people and the money — persons × 450 元, the 代扣行 (successes × the amount) already withheld, the unit
owing the rest (13 persons, 9 withheld at 300 元 → 3,150 元) — and sends `enrollment.batch.submitted`
(programme retiree-hospital → billing's 退休 account, with `withheld_fen` / `withheld_persons`). Then
billing.voucher.submitted → 凭证审核中 and billing.payment.confirmed → 投保成功 (instant cover from the next
day, covered after the waiting period) with enrollment.batch.completed. Older or repeated news changes
nothing.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.billing import BillingPaymentConfirmed, BillingVoucherSubmitted
from contracts.enrollment import (
    BatchLine,
    Channel,
    EnrollmentBatchCompleted,
    EnrollmentBatchSubmitted,
    EnrollmentType,
    GuaranteeTotal,
    PremiumSplit,
)
from runtime import outbox
from runtime.logs import get_logger
from runtime.tokens import Principal

from ...domain.batches import chunks
from ...domain.mutual_aid.payment import voucher_due
from ...domain.retiree.batch import BatchAction, BatchStatus, check_mode_step, transition
from ...domain.retiree.payment import Money, money
from ...domain.retiree.roster import WithholdingResult
from ...domain.retiree.year import cover
from ...models import RetireeBatch, RetireePerson
from .. import SOURCE
from . import PROGRAMME, PROGRAMME_NAME, batches, years
from .batches import BILLING, Actor
from .years import YearData

log = get_logger(__name__)
PREFIX = "TXZY"
GUARANTEE = "TX"  # the plan has one cover: 退休住院计划, 450 元


async def money_of(session: AsyncSession, batch: RetireeBatch, year: YearData) -> Money:
    rows = await session.exec(
        select(RetireePerson.withholding_result, sa.func.count())  # type: ignore[call-overload]
        .where(RetireePerson.batch_no == batch.batch_no)
        .group_by(col(RetireePerson.withholding_result))
    )
    counts = {r: int(n) for r, n in rows.all()}
    withheld = counts.get(WithholdingResult.SUCCEEDED.value, 0)
    return money(sum(counts.values()), year.rules.premium_fen, withheld, batch.withholding_amount_fen)


async def confirm(session: AsyncSession, caller: Principal, no: str, now: datetime) -> None:
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        status = BatchStatus(batch.status)
        transition(status, BatchAction.CONFIRM_ROSTER)  # refuses before any work
        check_mode_step(BatchAction.CONFIRM_ROSTER, status, batches.mode_of(batch))
        year = await years.of_batch(session, batch.programme_year_id)
        figures = await money_of(session, batch, year)
        kind = EnrollmentType(batch.enrollment_type)
        batch.cover_start, batch.cover_end = cover(kind, year.ctx.period, None)
        batch.persons, batch.amount_fen = figures.persons, figures.amount_fen
        batch.withheld_persons, batch.withheld_fen = figures.withheld_persons, figures.withheld_fen
        batch.roster_confirmed_at, batch.payable_no = now, no
        batch.pay_by = voucher_due(now, year.ctx.row.instant_pay_days)
        await session.exec(
            sa.update(RetireePerson).where(col(RetireePerson.batch_no) == no).values(premium_fen=year.rules.premium_fen)
        )
        batches.step(session, batch, BatchAction.CONFIRM_ROSTER, Actor.of(caller), detail={
            "persons": figures.persons, "amount_fen": figures.amount_fen, "withheld_persons": figures.withheld_persons,
            "withheld_fen": figures.withheld_fen, "unit_owes_fen": figures.unit_owes_fen,
        })  # fmt: skip
        await _publish(session, batch, year, figures, now)


async def _publish(session: AsyncSession, batch: RetireeBatch, year: YearData, figures: Money,
                   now: datetime) -> None:  # fmt: skip
    assert batch.payable_no is not None and batch.pay_by is not None and batch.cover_end is not None
    rows = await session.exec(
        select(RetireePerson).where(RetireePerson.batch_no == batch.batch_no).order_by(col(RetireePerson.id))
    )
    lines = [
        BatchLine(member_id=f"rt-{r.id}", org_id=batch.org_id or 0, name=r.name, id_number_masked=r.id_masked,
                  channel=Channel.UNIT_ROSTER, guarantee_type=GUARANTEE, premium_fen=year.rules.premium_fen)
        for r in rows
    ]  # fmt: skip
    total = GuaranteeTotal(code=GUARANTEE, name=PROGRAMME_NAME, premium_fen=year.rules.premium_fen,
                           persons=figures.persons, amount_fen=figures.amount_fen)  # fmt: skip
    parts = list(chunks(lines))
    for i, part in enumerate(parts):
        outbox.record(
            session,
            SOURCE,
            EnrollmentBatchSubmitted(
                batch_no=batch.payable_no, chunk=i, chunks=len(parts), lines_total=len(lines),
                payer_org_id=batch.org_id or 0, payer_org_name=batch.unit_name, payer_account=batch.owner_user_id,
                programme=PROGRAMME, programme_name=PROGRAMME_NAME, year=year.ctx.row.year,
                enrollment_type=EnrollmentType(batch.enrollment_type), guarantee_types=[total],
                persons_member_card=len(lines), persons_ss_card=0,
                split=PremiumSplit(amount_fen=figures.amount_fen, city_fen=0, district_fen=0,
                                   grassroots_fen=figures.amount_fen),
                pay_by=batch.pay_by, coverage_start=batch.cover_start, coverage_end=batch.cover_end,
                handler_name=batch.handler_name, handler_phone_masked=batch.handler_phone_masked,
                handler_email=batch.handler_email, submitted_at=now, lines=part,
                withheld_fen=figures.withheld_fen, withheld_persons=figures.withheld_persons, version=1,
            ),
        )  # fmt: skip


# --- what billing says -------------------------------------------------------------------------------------


def ours(batch_no: str) -> bool:
    return batch_no.startswith(PREFIX)


async def _payable(session: AsyncSession, payable_no: str) -> RetireeBatch | None:
    found = await session.exec(select(RetireeBatch).where(RetireeBatch.payable_no == payable_no).with_for_update())
    return found.first()


async def on_voucher_submitted(session: AsyncSession, event: BillingVoucherSubmitted) -> None:
    batch = await _payable(session, event.batch_no)
    if batch is None or event.version <= batch.billing_version:
        log.info("retiree.voucher.ignored", payable_no=event.batch_no, version=event.version)
        return
    detail = {"voucher_no": event.voucher_no, "applied_fen": event.applied_fen}
    if BatchStatus(batch.status) is BatchStatus.VOUCHER_PENDING:
        batches.step(session, batch, BatchAction.UPLOAD_VOUCHER, BILLING, detail=detail)
    else:  # a corrected voucher of a batch already 凭证审核中
        batches.record(session, batch.batch_no, "voucher_corrected", "缴费凭证更正", BILLING, detail=detail)
        batches.touch(session, batch)
    batch.voucher_no, batch.voucher_submitted_at = event.voucher_no, event.submitted_at
    batch.billing_version = event.version
    session.add(batch)


async def on_payment_confirmed(session: AsyncSession, event: BillingPaymentConfirmed) -> None:
    """凭证审核通过 → 投保成功 (a batch the withholding paid in full may be confirmed without a voucher)."""
    batch = await _payable(session, event.batch_no)
    if batch is None or BatchStatus(batch.status) not in (BatchStatus.VOUCHER_PENDING, BatchStatus.VOUCHER_REVIEW):
        log.info("retiree.payment.ignored", payable_no=event.batch_no, status=batch.status if batch else None)
        return
    year = await years.of_batch(session, batch.programme_year_id)
    start, end = cover(EnrollmentType(batch.enrollment_type), year.ctx.period, event.confirmed_at)
    assert start is not None
    batch.cover_start, batch.cover_end = start, end
    batch.paid_amount_fen, batch.completed_at = event.paid_amount_fen, event.confirmed_at
    batch.billing_version = max(batch.billing_version, event.version)
    batches.step(session, batch, BatchAction.CONFIRM_PAYMENT, BILLING,
                 detail={"paid_amount_fen": event.paid_amount_fen, "cover_start": start.isoformat()})  # fmt: skip
    outbox.record(
        session,
        SOURCE,
        EnrollmentBatchCompleted(
            batch_no=batch.payable_no or batch.batch_no, payer_org_id=batch.org_id or 0, persons=batch.persons,
            paid_amount_fen=event.paid_amount_fen, coverage_start=start, coverage_end=end,
            completed_at=event.confirmed_at, version=batch.version,
        ),
    )  # fmt: skip
