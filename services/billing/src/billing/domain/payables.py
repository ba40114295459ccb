"""A payable (应缴) per submitted batch: what is due, what vouchers under review and approved vouchers
cover, the shortfall, and the status a clerk sees."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


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


def outstanding(due_fen: int, paid_fen: int) -> int:
    """What approved vouchers still leave unpaid."""
    return max(due_fen - paid_fen, 0)


def shortfall(due_fen: int, paid_fen: int, pending_fen: int) -> int:
    """What is missing even if every voucher under review is approved (shown as 未缴足 / 差额)."""
    return max(due_fen - paid_fen - pending_fen, 0)


def covered(due_fen: int, paid_fen: int) -> bool:
    return paid_fen >= due_fen


def overdue(state: PayableState, pay_by: date, today: date) -> bool:
    """Unpaid after the pay-by day (Shanghai): flagged; enrollment lapses the batch on its own clock."""
    return state is PayableState.AWAITING and today > pay_by


def complete(chunks_received: int, chunks: int, lines_received: int, lines_total: int) -> bool:
    """Every chunk of enrollment.batch.submitted and every line arrived."""
    return chunks_received >= chunks and lines_received >= lines_total
