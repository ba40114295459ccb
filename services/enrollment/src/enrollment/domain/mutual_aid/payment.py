"""Paying a batch — manual 002, 二(四) ("提交确认保费后，请于15天内将保费汇至以下账号") and 二(五) 缴费凭证、退款填报.

The unit transfers the premium and uploads the voucher within the year's number of days (15) of
confirming the premium (the 时间安排 page says "参保清册提交后15天内"; the premium is only known once
confirmed, so the count starts there); a voucher larger than what its chosen batches are due computes the refund
(缴费金额 − 应缴纳保费合计: 2,000 − 1,220 = 780 元) and then asks for the refund account. Billing keeps
the vouchers and refunds; these are the figures the batch screens show.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from runtime.clock import SHANGHAI


def voucher_due(premium_confirmed_at: datetime, days: int) -> date:
    """The last day (Shanghai) to transfer and upload the voucher: confirmed on June 10 → June 25."""
    return premium_confirmed_at.astimezone(SHANGHAI).date() + timedelta(days=days)


def voucher_late(due: date, today: date) -> bool:
    return today > due


def refund_fen(paid_fen: int, due_fens: Iterable[int]) -> int:
    """退款金额: what the voucher pays beyond the batches it pays; 0 when it pays exactly or less."""
    return max(paid_fen - sum(due_fens), 0)


def shortfall_fen(paid_fen: int, due_fens: Iterable[int]) -> int:
    return max(sum(due_fens) - paid_fen, 0)
