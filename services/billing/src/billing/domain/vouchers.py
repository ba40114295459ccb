"""Vouchers (缴费凭证): what a payer declares, how its amount is spread over the batches it pays, the
refund of an over-payment (paid − due) and the shortfall of an under-payment; review states."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from runtime.errors import DomainError, InvalidInput

MAX_BATCHES = 200
MAX_REASON = 500


class VoucherState(StrEnum):
    UNDER_REVIEW = "审核中"
    APPROVED = "审核通过"
    RETURNED = "审核不通过"


LIVE = (VoucherState.UNDER_REVIEW, VoucherState.APPROVED)  # what counts against a batch's due


class Method(StrEnum):
    """缴费方式. 个人代扣 is the pension withholding row the system writes for the retiree plan."""

    ONLINE_CREDIT = "贷记(网银)"
    TRANSFER = "转账"
    CHEQUE = "支票"
    CASH = "现金"
    WITHHOLDING = "个人代扣"


class RefundMethod(StrEnum):
    TRANSFER = "划帐"
    CHEQUE = "支票"


@dataclass(frozen=True)
class Outstanding:
    """A batch the voucher pays and what it still lacks once the other live vouchers are counted."""

    batch_no: str
    due_fen: int
    outstanding_fen: int


@dataclass(frozen=True)
class Allocation:
    applied: tuple[tuple[str, int], ...]  # (batch_no, fen this voucher pays of it)
    due_fen: int  # what the chosen batches still lacked (应缴纳保费合计)
    refund_fen: int  # paid − due, when positive
    shortfall_fen: int  # due − paid, when positive

    @property
    def applied_fen(self) -> int:
        return sum(fen for _, fen in self.applied)


def allocate(amount_fen: int, batches: Sequence[Outstanding]) -> Allocation:
    """Each batch in turn (oldest pay-by first) takes what it still lacks; what is left is refunded.

    One batch due 1,220 yuan, a voucher of 2,000 → 1,220 applied and a refund of 780 (manual 002)."""
    left, applied = amount_fen, []
    for b in batches:
        take = min(left, b.outstanding_fen)
        applied.append((b.batch_no, take))
        left -= take
    due = sum(b.outstanding_fen for b in batches)
    return Allocation(tuple(applied), due, refund_fen=left, shortfall_fen=max(due - amount_fen, 0))


def check_allocation(allocation: Allocation) -> None:
    if allocation.due_fen == 0:
        raise DomainError("voucher.nothing_due", "所选批次已无待缴金额，无需再上传缴费凭证")


@dataclass(frozen=True)
class Declared:
    """What the payer fills in (凭证信息填报)."""

    batch_nos: tuple[str, ...]
    paying_unit: str
    method: Method
    amount_fen: int
    account_category: str
    transfer_date: date


def check_declared(d: Declared, today: date) -> None:
    if not d.batch_nos:
        raise InvalidInput("voucher.batches_required", "请选择该凭证缴纳的参保批次")
    if len(d.batch_nos) > MAX_BATCHES or len(set(d.batch_nos)) != len(d.batch_nos):
        raise InvalidInput("voucher.batches_invalid", f"参保批次不能重复，且一次最多选择{MAX_BATCHES}个")
    if not d.paying_unit.strip() or len(d.paying_unit.strip()) > 100:
        raise InvalidInput("voucher.paying_unit", "付款单位不能为空，且不超过100个字")
    if d.amount_fen <= 0:
        raise InvalidInput("voucher.amount", "缴费金额必须大于0")
    if d.transfer_date > today:
        raise InvalidInput("voucher.transfer_date", "转账日期不能晚于今天")


@dataclass(frozen=True)
class RefundAccount:
    """退款信息填报: where the over-payment goes back to."""

    account_category: str
    account_name: str
    account_no: str
    bank: str
    method: RefundMethod


def check_refund(refund_fen: int, account: RefundAccount | None) -> RefundAccount | None:
    """Required (every field) when the voucher pays more than is due; dropped when it does not."""
    if refund_fen <= 0:
        return None
    if account is None:
        raise InvalidInput(
            "voucher.refund_required", "缴费金额超出应缴保费，请填写退款信息（退款帐户类别、帐号、户名、银行、方式）",
            refund_fen=refund_fen,
        )  # fmt: skip
    missing = [
        label
        for label, value in (("退款帐户名称", account.account_name), ("退款帐号", account.account_no),
                             ("退款银行", account.bank), ("退款帐户类别", account.account_category))
        if not value.strip()
    ]  # fmt: skip
    if missing:
        raise InvalidInput("voucher.refund_incomplete", "请填写" + "、".join(missing), refund_fen=refund_fen)
    digits = account.account_no.replace(" ", "").replace("-", "")
    if not digits.isascii() or not digits.isdigit() or not 6 <= len(digits) <= 40:
        raise InvalidInput("voucher.refund_account_no", "退款帐号应为6–40位数字")
    return account


def needs_refund_explanation(paying_unit: str, refund: RefundAccount | None) -> bool:
    """缴费单位与退款帐户不一致，须上传情况说明 (manual 003)."""
    return refund is not None and refund.account_name.strip() != paying_unit.strip()


def check_reviewable(state: VoucherState) -> None:
    if state is not VoucherState.UNDER_REVIEW:
        raise DomainError("voucher.not_under_review", "该缴费凭证不在审核中", state=state.value)


def check_editable(state: VoucherState) -> None:
    if state is not VoucherState.RETURNED:
        raise DomainError("voucher.not_returned", "只有审核不通过的缴费凭证可以修改后重新提交", state=state.value)


def check_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise InvalidInput("voucher.reason_required", "请填写不通过原因")
    if len(text) > MAX_REASON:
        raise InvalidInput("voucher.reason_too_long", f"不通过原因不超过{MAX_REASON}个字")
    return text


def mask_account(number: str) -> str:
    """A bank account shown in lists: the first 4 and last 4 digits."""
    digits = number.replace(" ", "").replace("-", "")
    if len(digits) <= 8:
        return "*" * len(digits)
    return f"{digits[:4]} **** **** {digits[-4:]}"
