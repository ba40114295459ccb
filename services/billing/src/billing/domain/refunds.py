"""Refunds (退款): an approved voucher's over-payment, paid back by the insurer once."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from runtime.errors import DomainError, InvalidInput


class RefundState(StrEnum):
    PENDING = "待退款"
    ISSUED = "已退款"


def check_issuable(state: RefundState, paid_on: date, today: date) -> None:
    if state is not RefundState.PENDING:
        raise DomainError("refund.not_pending", "该退款已办理，不能重复退款")
    if paid_on > today:
        raise InvalidInput("refund.paid_on", "退款日期不能晚于今天")
