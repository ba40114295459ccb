"""缴费凭证: the payer declares a transfer and the batches it pays (新增缴费信息), or corrects a returned
one. The amount is spread over the batches; an over-payment needs the refund account, an
under-payment leaves the shortfall; the rosters freeze (billing.voucher.submitted per batch). One
transaction, under an Idempotency-Key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.billing import BillingVoucherSubmitted
from runtime import outbox
from runtime.errors import DomainError, Forbidden, InvalidInput, NotFound
from runtime.pii import PiiCipher
from runtime.tokens import Principal, Tier

from ..domain.files import CheckedFile, check_file
from ..domain.numbers import Prefix
from ..domain.payables import PayableState, shortfall
from ..domain.vouchers import (
    Allocation,
    Declared,
    Method,
    Outstanding,
    RefundAccount,
    VoucherState,
    allocate,
    check_allocation,
    check_declared,
    check_editable,
    check_refund,
    mask_account,
    needs_refund_explanation,
)
from ..models import Payable, Voucher, VoucherBatch
from ..schemas import AppliedOut, PreviewOut, VoucherIn
from . import SOURCE, counters, documents, orgs, voucher_views
from .idempotency import Idempotent

ACCOUNT_FIELD = "refund.account_no"


@dataclass(frozen=True)
class Files:
    """The uploaded parts, as sent: (file name, content)."""

    file: tuple[str, bytes] | None = None
    refund_file: tuple[str, bytes] | None = None

    @property
    def parts(self) -> dict[str, bytes]:
        """What the Idempotency-Key's request hash covers: each part's name and bytes."""
        sent = {"file": self.file, "refund_file": self.refund_file}
        return {part: name.encode() + b"\0" + content for part, (name, content) in _given(sent).items()}

    def checked(self, max_bytes: int) -> tuple[CheckedFile | None, CheckedFile | None]:
        main = check_file(*self.file, max_bytes) if self.file else None
        note = check_file(*self.refund_file, max_bytes, label="退款情况说明") if self.refund_file else None
        return main, note


def _given(parts: dict[str, tuple[str, bytes] | None]) -> dict[str, tuple[str, bytes]]:
    return {k: v for k, v in parts.items() if v is not None}


async def preview(session: AsyncSession, caller: Principal, data: VoucherIn, today: date) -> PreviewOut:
    """What the form shows before upload: 退款金额自动计算, or the shortfall."""
    check_declared(_declared(data), today)
    payables = await _chosen(session, caller, data, lock=False)
    owed = _outstanding(payables)
    a = allocate(data.amount_fen, owed)
    return PreviewOut(
        batches=_applied(owed, a), withheld_fen=sum(p.withheld_fen for p in payables), due_fen=a.due_fen,
        amount_fen=data.amount_fen, applied_fen=a.applied_fen,
        refund_fen=a.refund_fen, shortfall_fen=a.shortfall_fen, refund_required=a.refund_fen > 0,
        refund_explanation_required=a.refund_fen > 0 and data.refund is not None
        and data.refund.account_name.strip() != data.paying_unit.strip(),
    )  # fmt: skip


async def submit(
    session: AsyncSession, caller: Principal, data: VoucherIn, files: Files, key: str | None,
    cipher: PiiCipher, now: datetime, max_bytes: int,
) -> dict[str, Any]:  # fmt: skip
    idem = Idempotent(caller, key, "POST /vouchers", data.model_dump(mode="json"), files.parts)
    check_declared(_declared(data), now.date())
    main, note = files.checked(max_bytes)
    async with session.begin():
        if (done := await idem.recall(session)) is not None:
            return done
        voucher = Voucher(
            voucher_no=await counters.next_number(session, Prefix.VOUCHER, now.date()), payer_org_id=0,
            programme="", year=0, paying_unit="", method="", amount_fen=0, account_category="",
            transfer_date=data.transfer_date, due_fen=0, applied_fen=0, refund_fen=0, shortfall_fen=0,
            state=VoucherState.UNDER_REVIEW, submitted_by=caller.user_id, submitted_at=now,
        )  # fmt: skip
        await _fill(session, caller, voucher, data, main, note, cipher, now)
        body = (await voucher_views.out(session, voucher, caller)).model_dump(mode="json")
        return idem.remember(session, body, 201)


async def resubmit(
    session: AsyncSession, caller: Principal, voucher_no: str, data: VoucherIn, files: Files, key: str | None,
    cipher: PiiCipher, now: datetime, max_bytes: int,
) -> dict[str, Any]:  # fmt: skip
    """A returned voucher corrected (编辑 → 提交): back to 审核中; a file not sent again is kept."""
    idem = Idempotent(caller, key, f"PUT /vouchers/{voucher_no}", data.model_dump(mode="json"), files.parts)
    check_declared(_declared(data), now.date())
    main, note = files.checked(max_bytes)
    async with session.begin():
        if (done := await idem.recall(session)) is not None:
            return done
        voucher = await voucher_views.visible(session, caller, voucher_no, lock=True)
        check_editable(VoucherState(voucher.state))
        await session.exec(sa.delete(VoucherBatch).where(col(VoucherBatch.voucher_no) == voucher_no))
        voucher.version += 1
        voucher.state, voucher.review_reason, voucher.reviewed_by, voucher.reviewed_at = (
            VoucherState.UNDER_REVIEW, "", None, None,
        )  # fmt: skip
        await _fill(session, caller, voucher, data, main, note, cipher, now)
        body = (await voucher_views.out(session, voucher, caller)).model_dump(mode="json")
        return idem.remember(session, body, 200)


async def _fill(
    session: AsyncSession, caller: Principal, v: Voucher, data: VoucherIn, main: CheckedFile | None,
    note: CheckedFile | None, cipher: PiiCipher, now: datetime,
) -> None:  # fmt: skip
    payables = await _chosen(session, caller, data, lock=True)
    owed = _outstanding(payables)
    a = allocate(data.amount_fen, owed)
    check_allocation(a)
    refund = _refund(data, a, has_note=note is not None or v.refund_file_ref is not None)
    _check_file_given(caller, data, has_file=main is not None or v.file_ref is not None)
    first = payables[0]
    v.payer_org_id, v.payer_account = first.payer_org_id, first.payer_account
    v.programme, v.year = first.programme, first.year
    v.paying_unit, v.method, v.amount_fen = data.paying_unit.strip(), data.method.value, data.amount_fen
    v.account_category, v.transfer_date = data.account_category.value, data.transfer_date
    v.due_fen, v.applied_fen, v.refund_fen, v.shortfall_fen = a.due_fen, a.applied_fen, a.refund_fen, a.shortfall_fen
    _set_refund(v, refund, cipher)
    v.updated_at = now
    session.add(v)
    await session.flush()
    if main is not None:
        v.file_ref = documents.voucher_ref(v.voucher_no, v.version)
        documents.store(session, v.file_ref, main.name, main.kind.value, main.content)
    if note is not None and refund is not None:
        v.refund_file_ref = documents.voucher_ref(v.voucher_no, v.version, "refund")
        documents.store(session, v.refund_file_ref, note.name, note.kind.value, note.content)
    _apply(session, v.voucher_no, payables, owed, a, now)


async def _chosen(session: AsyncSession, caller: Principal, data: VoucherIn, *, lock: bool) -> list[Payable]:
    """The batches the voucher pays, oldest pay-by first: visible, of one payer and programme-year, open."""
    query = select(Payable).where(col(Payable.batch_no).in_(data.batch_nos))
    query = query.order_by(col(Payable.pay_by), col(Payable.batch_no))
    payables = list(await session.exec(query.with_for_update() if lock else query))
    if len(payables) != len(set(data.batch_nos)):
        raise NotFound("参保批次")
    for p in payables:
        if not await orgs.covers(session, caller, p):
            raise NotFound("参保批次")
    if len({(p.payer_org_id, p.payer_account) for p in payables}) > 1:
        raise InvalidInput("voucher.mixed_payers", "一张缴费凭证只能缴纳同一缴费单位的参保批次")
    if len({(p.programme, p.year) for p in payables}) > 1:
        raise InvalidInput("voucher.mixed_years", "一张缴费凭证只能缴纳同一保障项目、同一保障年度的参保批次")
    expected = payables[0].account_category
    if data.account_category.value != expected:
        raise InvalidInput(
            "voucher.account_category", f"收款帐户类别与所选批次不符，应为“{expected}”", expected=expected
        )
    lapsed = [p.batch_no for p in payables if p.state == PayableState.LAPSED]
    if lapsed:
        raise DomainError("payable.lapsed", "所选批次已逾期失效，不能再缴费", batch_nos=lapsed)
    return payables


def _outstanding(payables: Sequence[Payable]) -> list[Outstanding]:
    """What each batch still lacks: its premium less the withholding (代扣行), approved and pending vouchers."""
    return [
        Outstanding(p.batch_no, p.amount_fen, shortfall(p.amount_fen, p.paid_fen, p.pending_fen, p.withheld_fen))
        for p in payables
    ]


def _applied(owed: Sequence[Outstanding], a: Allocation) -> list[AppliedOut]:
    return [
        AppliedOut(batch_no=o.batch_no, due_fen=o.due_fen, outstanding_fen=o.outstanding_fen, applied_fen=fen)
        for o, (_, fen) in zip(owed, a.applied, strict=True)
    ]


def _declared(data: VoucherIn) -> Declared:
    return Declared(
        tuple(data.batch_nos), data.paying_unit, data.method, data.amount_fen, data.account_category.value,
        data.transfer_date,
    )  # fmt: skip


def _refund(data: VoucherIn, a: Allocation, *, has_note: bool) -> RefundAccount | None:
    given = data.refund
    account = (
        RefundAccount(given.account_category.value, given.account_name, given.account_no, given.bank, given.method)
        if given
        else None
    )
    refund = check_refund(a.refund_fen, account)
    if needs_refund_explanation(data.paying_unit, refund) and not has_note:
        raise InvalidInput(
            "voucher.refund_explanation_required", "付款单位与退款帐户名称不一致，请上传情况说明（refund_file）"
        )
    return refund


def _check_file_given(caller: Principal, data: VoucherIn, *, has_file: bool) -> None:
    if data.method is Method.WITHHOLDING and caller.tier is not Tier.SYSTEM:
        raise Forbidden("voucher.withholding_system_only", "个人代扣记录由系统根据代扣结果生成")
    if not has_file and data.method is not Method.WITHHOLDING:
        raise InvalidInput("voucher.file_required", "请上传缴费凭证图片或 PDF")


def _set_refund(v: Voucher, refund: RefundAccount | None, cipher: PiiCipher) -> None:
    if refund is None:
        v.refund_account_category = v.refund_account_name = v.refund_bank = v.refund_method = None
        v.refund_account_enc, v.refund_account_masked, v.refund_file_ref = None, None, None
        return
    number = refund.account_no.strip()
    v.refund_account_category, v.refund_account_name = refund.account_category, refund.account_name.strip()
    v.refund_account_enc = cipher.encrypt(number, field=ACCOUNT_FIELD)
    v.refund_account_masked, v.refund_bank, v.refund_method = mask_account(number), refund.bank.strip(), refund.method


def _apply(
    session: AsyncSession, voucher_no: str, payables: Sequence[Payable], owed: Sequence[Outstanding], a: Allocation,
    now: datetime,
) -> None:  # fmt: skip
    """Link the batches; their share waits for review; their rosters freeze (缴费凭证上传后清册不能再修改),
    and enrollment hears of it in the same transaction."""
    by_no = {p.batch_no: p for p in payables}
    for o, (no, fen) in zip(owed, a.applied, strict=True):
        session.add(
            VoucherBatch(voucher_no=voucher_no, batch_no=no, outstanding_fen=o.outstanding_fen, applied_fen=fen)
        )
        p = by_no[no]
        p.pending_fen += fen
        if not p.roster_frozen:
            p.roster_frozen, p.frozen_at = True, now
        p.version += 1
        p.updated_at = datetime.now(UTC)
        session.add(p)
        outbox.record(session, SOURCE, _submitted(voucher_no, p, fen, now))


def _submitted(voucher_no: str, p: Payable, applied_fen: int, now: datetime) -> BillingVoucherSubmitted:
    assert p.frozen_at is not None  # frozen just above, if not before
    return BillingVoucherSubmitted(
        batch_no=p.batch_no, voucher_no=voucher_no, payer_org_id=p.payer_org_id, applied_fen=applied_fen,
        roster_frozen_at=p.frozen_at, submitted_at=now, version=p.version,
    )  # fmt: skip
