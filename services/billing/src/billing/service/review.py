"""The insurer reviews vouchers (职保会审核): approve — the batches' shares count as paid, a batch now
covered is confirmed (billing.payment.confirmed → enrollment completes it) and an over-payment becomes a
refund to pay back — or return with reasons the payer sees and answers by correcting the voucher."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.billing import BillingPaymentConfirmed
from runtime import outbox
from runtime.errors import DomainError, NotFound
from runtime.logs import get_logger
from runtime.tokens import Principal

from ..domain.numbers import Prefix
from ..domain.payables import PayableState, covered
from ..domain.refunds import RefundState
from ..domain.vouchers import VoucherState, check_reason, check_reviewable
from ..models import Payable, Refund, Voucher, VoucherBatch
from . import SOURCE, counters, voucher_views
from .idempotency import Idempotent

log = get_logger(__name__)


async def approve(
    session: AsyncSession, caller: Principal, voucher_no: str, key: str | None, now: datetime
) -> dict[str, Any]:
    """审核通过: one transaction for the voucher, its batches, their confirmations and the refund."""
    idem = Idempotent(caller, key, f"POST /vouchers/{voucher_no}/approve", {})
    async with session.begin():
        if (done := await idem.recall(session)) is not None:
            return done
        voucher = await _voucher(session, voucher_no)
        check_reviewable(VoucherState(voucher.state))
        links, payables = await _batches(session, voucher_no)
        lapsed = [p.batch_no for p in payables.values() if p.state == PayableState.LAPSED]
        if lapsed:
            raise DomainError("payable.lapsed", "凭证所缴批次已逾期失效，请退回该凭证", batch_nos=lapsed)
        confirmed = [no for no in (_count_paid(payables[link.batch_no], link.applied_fen, now) for link in links) if no]
        _announce(session, payables, confirmed, now)
        voucher.state, voucher.reviewed_by, voucher.reviewed_at = VoucherState.APPROVED, caller.user_id, now
        _touch(session, voucher, now)
        if voucher.refund_fen > 0:
            await _open_refund(session, voucher, now)
        log.info("voucher.approved", voucher_no=voucher_no, confirmed=len(confirmed), refund_fen=voucher.refund_fen)
        body = (await voucher_views.out(session, voucher, caller, confirmed)).model_dump(mode="json")
        return idem.remember(session, body)


async def return_voucher(
    session: AsyncSession, caller: Principal, voucher_no: str, reason: str, now: datetime
) -> dict[str, Any]:
    """审核不通过: the reasons are shown to the payer; the voucher's shares no longer count."""
    text = check_reason(reason)
    async with session.begin():
        voucher = await _voucher(session, voucher_no)
        check_reviewable(VoucherState(voucher.state))
        links, payables = await _batches(session, voucher_no)
        for link in links:
            p = payables[link.batch_no]
            p.pending_fen -= link.applied_fen
            _touch(session, p, now)
        voucher.state, voucher.review_reason = VoucherState.RETURNED, text
        voucher.reviewed_by, voucher.reviewed_at = caller.user_id, now
        _touch(session, voucher, now)
        return (await voucher_views.out(session, voucher, caller)).model_dump(mode="json")


async def _voucher(session: AsyncSession, voucher_no: str) -> Voucher:
    voucher = await session.get(Voucher, voucher_no, with_for_update=True)
    if voucher is None:
        raise NotFound("缴费凭证")
    return voucher


async def _batches(session: AsyncSession, voucher_no: str) -> tuple[Sequence[VoucherBatch], dict[str, Payable]]:
    links = list(await session.exec(select(VoucherBatch).where(VoucherBatch.voucher_no == voucher_no)))
    rows = await session.exec(
        select(Payable)
        .where(col(Payable.batch_no).in_([link.batch_no for link in links]))
        .order_by(col(Payable.batch_no))
        .with_for_update()
    )
    return links, {p.batch_no: p for p in rows}


def _count_paid(p: Payable, applied_fen: int, now: datetime) -> str | None:
    """The share moves from under review to paid; the batch number when this completes the payment."""
    p.pending_fen -= applied_fen
    p.paid_fen += applied_fen
    p.version += 1
    p.updated_at = datetime.now(UTC)
    if p.state != PayableState.AWAITING or not covered(p.amount_fen, p.paid_fen, p.withheld_fen):
        return None
    p.state, p.confirmed_at = PayableState.CONFIRMED, now
    return p.batch_no


def _touch(session: AsyncSession, row: Payable | Voucher, now: datetime) -> None:
    row.version += 1
    row.updated_at = now
    session.add(row)


async def _open_refund(session: AsyncSession, v: Voucher, now: datetime) -> None:
    assert v.refund_account_enc is not None and v.refund_account_name is not None
    session.add(
        Refund(
            refund_no=await counters.next_number(session, Prefix.REFUND, now.date()),
            voucher_no=v.voucher_no,
            payer_org_id=v.payer_org_id,
            payer_account=v.payer_account,
            programme=v.programme,
            year=v.year,
            amount_fen=v.refund_fen,
            account_category=v.refund_account_category or "",
            account_name=v.refund_account_name,
            account_enc=v.refund_account_enc,
            account_masked=v.refund_account_masked or "",
            bank=v.refund_bank or "",
            method=v.refund_method or "",
            state=RefundState.PENDING,
            created_at=now,
        )  # fmt: skip
    )
    await session.flush()


def _announce(session: AsyncSession, payables: dict[str, Payable], confirmed: list[str], now: datetime) -> None:
    """Once per batch: a confirmed payable never goes back to awaiting."""
    for no in confirmed:
        announce_confirmed(session, payables[no], now)


def announce_confirmed(session: AsyncSession, p: Payable, now: datetime) -> None:
    """billing.payment.confirmed: what reached the insurer for the batch, the pensions' withholding included."""
    outbox.record(
        session, SOURCE,
        BillingPaymentConfirmed(
            batch_no=p.batch_no, paid_amount_fen=p.withheld_fen + p.paid_fen, confirmed_at=now, version=p.version
        ),
    )  # fmt: skip
