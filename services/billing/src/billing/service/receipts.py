"""专用收据 / 电子票据: the payer asks for them per batch (several, any titles, summing to the premium —
for the retiree plan at most what was paid, withholding included); the insurer issues them once the
payment is confirmed (a number and a PDF each, billing.receipt.issued) or voids an issued one (作废) so
that it can be asked for again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.billing import BillingReceiptIssued
from runtime import outbox
from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.tokens import Principal

from ..domain.documents import ReceiptDoc, receipt_html
from ..domain.numbers import Prefix
from ..domain.payables import PayableState
from ..domain.receipts import ReceiptLine, ReceiptState, check_issuable, check_lines, receipt_rule
from ..models import Payable, Receipt
from ..schemas import ReceiptOut, ReceiptRequestIn, ReceiptsOut
from . import SOURCE, counters, documents, payable_views
from .idempotency import Idempotent


async def request(
    session: AsyncSession, caller: Principal, batch_no: str, data: ReceiptRequestIn, key: str | None, now: datetime
) -> dict[str, Any]:
    """新增专用收据 → 提交: replaces what was asked and not yet issued."""
    idem = Idempotent(caller, key, f"PUT /payables/{batch_no}/receipts", data.model_dump(mode="json"))
    async with session.begin():
        if (done := await idem.recall(session)) is not None:
            return done
        payable = await payable_views.visible(session, caller, batch_no, lock=True)
        if payable.state == PayableState.LAPSED:
            raise DomainError("payable.lapsed", "该批次已逾期失效，不能开具专用收据")
        held = await _of(session, batch_no)
        issued = sum(r.amount_fen for r in held if r.state == ReceiptState.ISSUED)
        lines = [ReceiptLine(x.title, x.amount_fen, x.uscc, x.remark) for x in data.lines]
        clean = check_lines(
            lines, payable.amount_fen, issued, rule=receipt_rule(payable.programme), paid_fen=_paid(payable)
        )
        await session.exec(
            sa.delete(Receipt).where(col(Receipt.batch_no) == batch_no, col(Receipt.state) == ReceiptState.REQUESTED)
        )
        for line in clean:
            session.add(
                Receipt(
                    batch_no=batch_no,
                    payer_org_id=payable.payer_org_id,
                    payer_account=payable.payer_account,
                    title=line.title,
                    uscc=line.uscc,
                    amount_fen=line.amount_fen,
                    remark=line.remark,
                    state=ReceiptState.REQUESTED,
                    requested_by=caller.user_id,
                    requested_at=now,
                )  # fmt: skip
            )
        await session.flush()
        return idem.remember(session, (await listing(session, payable)).model_dump(mode="json"))


async def issue(
    session: AsyncSession, caller: Principal, batch_no: str, key: str | None, issuer: str, now: datetime
) -> dict[str, Any]:
    """开具: every asked-for receipt of the batch, numbered, rendered and announced in one transaction."""
    idem = Idempotent(caller, key, f"POST /payables/{batch_no}/receipts/issue", {})
    async with session.begin():
        if (done := await idem.recall(session)) is not None:
            return done
        payable = await payable_views.visible(session, caller, batch_no, lock=True)
        held = await _of(session, batch_no)
        asked = [r for r in held if r.state == ReceiptState.REQUESTED]
        if not asked:
            raise DomainError("receipt.none_requested", "该批次没有待开具的专用收据")
        total = sum(r.amount_fen for r in held if r.state in (ReceiptState.REQUESTED, ReceiptState.ISSUED))
        check_issuable(payable.state == PayableState.CONFIRMED, _paid(payable), total)
        for r in asked:
            await _issue_one(session, caller, payable, r, issuer, now)
        return idem.remember(session, (await listing(session, payable)).model_dump(mode="json"))


async def _issue_one(
    session: AsyncSession, caller: Principal, p: Payable, r: Receipt, issuer: str, now: datetime
) -> None:
    r.receipt_no = await counters.next_number(session, Prefix.RECEIPT, now.date())
    r.state, r.issued_by, r.issued_at = ReceiptState.ISSUED, caller.user_id, now
    r.version += 1
    session.add(r)
    doc = ReceiptDoc(
        receipt_no=r.receipt_no, title=r.title, uscc=r.uscc, amount_fen=r.amount_fen, remark=r.remark,
        programme_name=p.programme_name, year=p.year, batch_no=p.batch_no, payer_name=p.payer_org_name,
        issuer=issuer, issued_on=now.date(),
    )  # fmt: skip
    await documents.store_pdf(session, documents.receipt_ref(r.receipt_no), f"专用收据-{r.receipt_no}.pdf",
                              receipt_html(doc))  # fmt: skip
    outbox.record(
        session, SOURCE,
        BillingReceiptIssued(
            receipt_no=r.receipt_no, batch_no=p.batch_no, payer_org_id=p.payer_org_id, title=r.title,
            amount_fen=r.amount_fen, issued_at=now, version=r.version,
        ),
    )  # fmt: skip


async def void(
    session: AsyncSession, caller: Principal, receipt_no: str, reason: str, key: str | None, now: datetime
) -> dict[str, Any]:
    """作废 (信息录入错误: at the insurer's counter): its amount can be asked for again."""
    idem = Idempotent(caller, key, f"POST /receipts/{receipt_no}/void", {"reason": reason})
    text = reason.strip()
    if not text:
        raise InvalidInput("receipt.reason_required", "请填写作废原因")
    async with session.begin():
        if (done := await idem.recall(session)) is not None:
            return done
        r = (await session.exec(select(Receipt).where(Receipt.receipt_no == receipt_no).with_for_update())).first()
        if r is None:
            raise NotFound("专用收据")
        if r.state != ReceiptState.ISSUED:
            raise DomainError("receipt.not_issued", "只有已开具的专用收据可以作废")
        r.state, r.void_reason, r.voided_at = ReceiptState.VOID, text, now
        r.version += 1
        session.add(r)
        payable = await session.get(Payable, r.batch_no)
        assert payable is not None
        return idem.remember(session, (await listing(session, payable)).model_dump(mode="json"))


def _paid(p: Payable) -> int:
    """What reached the insurer for the batch: the pensions' withholding and the approved vouchers' share."""
    return p.withheld_fen + p.paid_fen


async def _of(session: AsyncSession, batch_no: str) -> list[Receipt]:
    rows = await session.exec(select(Receipt).where(Receipt.batch_no == batch_no).order_by(col(Receipt.id)))
    return list(rows)


async def listing(session: AsyncSession, p: Payable) -> ReceiptsOut:
    held = await _of(session, p.batch_no)
    return ReceiptsOut(
        batch_no=p.batch_no, due_fen=p.amount_fen, paid_fen=_paid(p), rule=receipt_rule(p.programme).value,
        requested_fen=sum(r.amount_fen for r in held if r.state == ReceiptState.REQUESTED),
        issued_fen=sum(r.amount_fen for r in held if r.state == ReceiptState.ISSUED),
        items=outs(held, {p.batch_no: p}),
    )  # fmt: skip


def outs(rows: Sequence[Receipt], payables: dict[str, Payable]) -> list[ReceiptOut]:
    return [
        ReceiptOut(
            id=r.id or 0,
            receipt_no=r.receipt_no,
            batch_no=r.batch_no,
            payer_org_id=r.payer_org_id,
            payer_org_name=payables[r.batch_no].payer_org_name,
            programme=payables[r.batch_no].programme,
            year=payables[r.batch_no].year,
            title=r.title,
            uscc=r.uscc,
            amount_fen=r.amount_fen,
            remark=r.remark,
            state=r.state,
            requested_by=r.requested_by,
            requested_at=r.requested_at,
            issued_by=r.issued_by,
            issued_at=r.issued_at,
            void_reason=r.void_reason,
            voided_at=r.voided_at,
            pdf_url=f"/receipts/{r.receipt_no}/pdf" if r.receipt_no else None,
            version=r.version,
        )  # fmt: skip
        for r in rows
    ]
