"""A payable's status, outstanding amount, shortfall, overdue flag and completeness."""

from __future__ import annotations

from datetime import date

from billing.domain.payables import PayableState, PayableStatus, complete, outstanding, overdue, shortfall, status


def test_status_follows_the_vouchers():
    assert status(PayableState.AWAITING, 0, 0) is PayableStatus.NO_VOUCHER
    assert status(PayableState.AWAITING, 0, 122000) is PayableStatus.UNDER_REVIEW
    assert status(PayableState.AWAITING, 100000, 0) is PayableStatus.SHORT
    assert status(PayableState.CONFIRMED, 122000, 0) is PayableStatus.CONFIRMED
    assert status(PayableState.LAPSED, 0, 0) is PayableStatus.LAPSED


def test_shortfall_counts_vouchers_under_review_outstanding_only_approved_ones():
    assert shortfall(122000, 0, 100000) == 22000
    assert outstanding(122000, 0) == 122000
    assert shortfall(122000, 100000, 22000) == 0
    assert shortfall(122000, 122000, 0) == outstanding(122000, 122000) == 0


def test_overdue_only_after_the_pay_by_day_and_only_while_unpaid():
    pay_by = date(2024, 1, 20)
    assert not overdue(PayableState.AWAITING, pay_by, date(2024, 1, 20))
    assert overdue(PayableState.AWAITING, pay_by, date(2024, 1, 21))
    assert not overdue(PayableState.CONFIRMED, pay_by, date(2024, 2, 1))


def test_a_batch_is_complete_with_every_chunk_and_line():
    assert not complete(1, 2, 1000, 1500)
    assert complete(2, 2, 1500, 1500)
