"""A payable (应缴) per submitted batch: what is due, what the pensions' withholding (代扣行, the retiree
plan) and approved vouchers already paid, what vouchers under review cover, the shortfall, and the
status a clerk sees."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from runtime.errors import DomainError


class PayableState(StrEnum):
    """What is stored: open until the insurer confirms the payment, or void when enrollment lapsed it."""

    AWAITING = "待缴费"
    CONFIRMED = "已确认"
    LAPSED = "已失效"


class PayableStatus(StrEnum):
    """What a clerk sees (缴费状态), derived from the state and the vouchers."""

    NO_VOUCHER = "缴费凭证待上传"
    UNDER_REVIEW = "审核中"
    SHORT = "未缴足"
    CONFIRMED = "已确认"
    LAPSED = "已失效"


def status(state: PayableState, paid_fen: int, pending_fen: int) -> PayableStatus:
    if state is PayableState.CONFIRMED:
        return PayableStatus.CONFIRMED
    if state is PayableState.LAPSED:
        return PayableStatus.LAPSED
    if pending_fen > 0:
        return PayableStatus.UNDER_REVIEW
    return PayableStatus.SHORT if paid_fen > 0 else PayableStatus.NO_VOUCHER


def check_withholding(due_fen: int, persons: int, withheld_fen: int, withheld_persons: int) -> None:
    """The 代扣行 enrollment reports (successes × amount) is part of the premium of part of the people."""
    if withheld_fen > due_fen or withheld_persons > persons or (withheld_fen > 0) != (withheld_persons > 0):
        raise DomainError(
            "payable.withholding_invalid", "代扣金额或代扣人数超出批次的应缴保费或参保人数",
            due_fen=due_fen, persons=persons, withheld_fen=withheld_fen, withheld_persons=withheld_persons,
        )  # fmt: skip


def payer_due(due_fen: int, withheld_fen: int) -> int:
    """需单位缴纳: the premium less what the pensions' withholding already paid — 13 persons × 450 with 9
    withheld at 300 → 5,850 − 2,700 = 3,150 元 (manual 003); the other programmes withhold nothing."""
    return max(due_fen - withheld_fen, 0)


def outstanding(due_fen: int, paid_fen: int, withheld_fen: int = 0) -> int:
    """What the withholding and approved vouchers still leave unpaid."""
    return max(due_fen - withheld_fen - paid_fen, 0)


def shortfall(due_fen: int, paid_fen: int, pending_fen: int, withheld_fen: int = 0) -> int:
    """What is missing even if every voucher under review is approved (shown as 未缴足 / 差额)."""
    return max(due_fen - withheld_fen - paid_fen - pending_fen, 0)


def covered(due_fen: int, paid_fen: int, withheld_fen: int = 0) -> bool:
    """Paid in full: a batch wholly withheld from pensions is, the moment it arrives."""
    return withheld_fen + paid_fen >= due_fen


def overdue(state: PayableState, pay_by: date, today: date) -> bool:
    """Unpaid after the pay-by day (Shanghai): flagged; enrollment lapses the batch on its own clock."""
    return state is PayableState.AWAITING and today > pay_by


def complete(chunks_received: int, chunks: int, lines_received: int, lines_total: int) -> bool:
    """Every chunk of enrollment.batch.submitted and every line arrived."""
    return chunks_received >= chunks and lines_received >= lines_total
