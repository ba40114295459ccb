"""What billing says of a mutual-aid payable (its number is the batch's, HZ…, suffixed after a
withdrawal): a voucher uploaded (billing.voucher.submitted → 审核中, the roster frozen), the payment
confirmed (billing.payment.confirmed → 参保已完成, enrollment.batch.completed). Older or repeated news
changes nothing. Each returns False for a payable that is not a mutual-aid one."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.billing import BillingPaymentConfirmed, BillingVoucherSubmitted
from contracts.enrollment import EnrollmentBatchCompleted
from runtime import outbox
from runtime.logs import get_logger

from ...domain.mutual_aid.batch import BatchAction, BatchStatus
from ...models import MutualAidBatch
from .. import SOURCE
from . import batches
from .batches import BILLING

log = get_logger(__name__)


async def _payable(session: AsyncSession, payable_no: str) -> MutualAidBatch | None:
    found = await session.exec(select(MutualAidBatch).where(MutualAidBatch.payable_no == payable_no).with_for_update())
    return found.first()


async def on_voucher_submitted(session: AsyncSession, event: BillingVoucherSubmitted) -> bool:
    batch = await _payable(session, event.batch_no)
    if batch is None:
        return False
    if event.version <= batch.billing_version:
        log.info("mutual_aid.voucher.ignored", payable_no=event.batch_no, version=event.version)
        return True
    detail = {"voucher_no": event.voucher_no, "applied_fen": event.applied_fen}
    if BatchStatus(batch.status) is BatchStatus.VOUCHER_PENDING:
        batches.step(session, batch, BatchAction.UPLOAD_VOUCHER, BILLING, detail=detail)
    else:  # a corrected voucher of a batch already 审核中
        batches.record(session, batch.batch_no, "voucher_corrected", "缴费凭证更正", BILLING, detail=detail)
        batches.touch(session, batch)
    batch.voucher_no, batch.voucher_submitted_at = event.voucher_no, event.submitted_at
    batch.billing_version = event.version
    session.add(batch)
    return True


async def on_payment_confirmed(session: AsyncSession, event: BillingPaymentConfirmed) -> bool:
    batch = await _payable(session, event.batch_no)
    if batch is None:
        return False
    status = BatchStatus(batch.status)
    if status not in (BatchStatus.VOUCHER_PENDING, BatchStatus.VOUCHER_REVIEW):
        log.info("mutual_aid.payment.ignored", payable_no=event.batch_no, status=status.value)
        return True
    if status is BatchStatus.VOUCHER_PENDING:  # the voucher's news was lost or is late: it was uploaded
        batches.step(session, batch, BatchAction.UPLOAD_VOUCHER, BILLING)
    batches.step(
        session, batch, BatchAction.CONFIRM_PAYMENT, BILLING, detail={"paid_amount_fen": event.paid_amount_fen}
    )
    batch.paid_amount_fen, batch.completed_at = event.paid_amount_fen, event.confirmed_at
    batch.billing_version = max(batch.billing_version, event.version)
    assert batch.payable_no is not None and batch.cover_start is not None and batch.cover_end is not None
    outbox.record(
        session,
        SOURCE,
        EnrollmentBatchCompleted(
            batch_no=batch.payable_no,
            payer_org_id=batch.org_id or 0,
            persons=batch.persons,
            paid_amount_fen=event.paid_amount_fen,
            coverage_start=batch.cover_start,
            coverage_end=batch.cover_end,
            completed_at=event.confirmed_at,
            version=batch.version,
        ),  # fmt: skip
    )
    return True
