"""Voucher arithmetic in fen with the manuals' figures: refund = paid − due, the shortfall, several
vouchers and several batches; the refund account rules."""

from __future__ import annotations

from datetime import date

import pytest

from billing.domain.vouchers import (
    Declared,
    Method,
    Outstanding,
    RefundAccount,
    RefundMethod,
    allocate,
    check_allocation,
    check_declared,
    check_refund,
    mask_account,
    needs_refund_explanation,
)
from runtime.errors import DomainError, InvalidInput
from runtime.money import yuan_to_fen

ACCOUNT = RefundAccount("在职", "xx测试帐户", "0000 0000 0000 0000", "上海银行", RefundMethod.TRANSFER)


def test_over_payment_is_refunded_paid_minus_due_as_in_manual_002():
    """2,000 yuan paid for a batch due 1,220 → 1,220 applied, 780 refunded, nothing short."""
    a = allocate(yuan_to_fen("2000.00"), [Outstanding("CB1", yuan_to_fen(1220), yuan_to_fen(1220))])
    assert a.applied == (("CB1", 122000),)
    assert (a.due_fen, a.refund_fen, a.shortfall_fen) == (122000, 78000, 0)


def test_under_payment_leaves_the_shortfall_and_no_refund():
    a = allocate(yuan_to_fen(1000), [Outstanding("CB1", 122000, 122000)])
    assert (a.applied_fen, a.refund_fen, a.shortfall_fen) == (100000, 0, 22000)


def test_exact_payment_needs_no_refund_information():
    a = allocate(122000, [Outstanding("CB1", 122000, 122000)])
    assert (a.refund_fen, a.shortfall_fen) == (0, 0)
    assert check_refund(a.refund_fen, None) is None
    assert check_refund(a.refund_fen, ACCOUNT) is None  # given anyway: dropped, nothing to refund


def test_one_voucher_pays_several_batches_oldest_first_and_the_rest_is_refunded():
    owed = [Outstanding("CB1", 122000, 122000), Outstanding("CB2", 4780_00, 4780_00)]
    a = allocate(7000_00, owed)
    assert a.applied == (("CB1", 122000), ("CB2", 478000))
    assert (a.due_fen, a.refund_fen) == (600000, 100000)


def test_a_second_voucher_pays_only_what_the_first_left_retiree_withholding_figures():
    """Manual 003: 13 persons × 450 = 5,850; 9 withheld at 300 = 2,700; the unit pays 3,150."""
    due = 13 * yuan_to_fen(450)
    withheld = allocate(9 * yuan_to_fen(300), [Outstanding("TX1", due, due)])
    assert (withheld.applied_fen, withheld.shortfall_fen) == (270000, 315000)
    unit = allocate(yuan_to_fen(3150), [Outstanding("TX1", due, due - withheld.applied_fen)])
    assert (unit.applied_fen, unit.refund_fen, unit.shortfall_fen) == (315000, 0, 0)
    # and 29 persons with 23 withheld at 100: the unit pays 10,750
    due29 = 29 * yuan_to_fen(450)
    assert due29 - 23 * yuan_to_fen(100) == yuan_to_fen(10750)


def test_a_voucher_for_batches_already_covered_is_refused():
    a = allocate(1000, [Outstanding("CB1", 122000, 0)])
    with pytest.raises(DomainError) as exc:
        check_allocation(a)
    assert exc.value.code == "voucher.nothing_due"


def test_the_refund_account_is_required_in_full_when_paying_more():
    with pytest.raises(InvalidInput) as missing:
        check_refund(78000, None)
    assert missing.value.code == "voucher.refund_required" and missing.value.extra["refund_fen"] == 78000
    incomplete = RefundAccount("在职", "xx测试帐户", "", " ", RefundMethod.TRANSFER)
    with pytest.raises(InvalidInput) as partly:
        check_refund(78000, incomplete)
    assert partly.value.code == "voucher.refund_incomplete" and "退款帐号" in partly.value.title
    bad_number = RefundAccount("在职", "xx测试帐户", "abc123", "上海银行", RefundMethod.TRANSFER)
    with pytest.raises(InvalidInput):
        check_refund(78000, bad_number)
    assert check_refund(78000, ACCOUNT) == ACCOUNT


def test_a_refund_to_another_name_than_the_paying_unit_needs_an_explanation():
    assert needs_refund_explanation("xx测试", ACCOUNT)
    assert not needs_refund_explanation("xx测试帐户", ACCOUNT)
    assert not needs_refund_explanation("xx测试", None)


def test_declared_fields_are_checked():
    good = Declared(("CB1",), "xx测试", Method.ONLINE_CREDIT, 200000, "在职", date(2023, 12, 28))
    check_declared(good, date(2023, 12, 28))
    for bad, code in (
        (Declared((), "xx测试", Method.ONLINE_CREDIT, 1, "在职", date(2023, 12, 1)), "voucher.batches_required"),
        (Declared(("A", "A"), "xx", Method.ONLINE_CREDIT, 1, "在职", date(2023, 12, 1)), "voucher.batches_invalid"),
        (Declared(("A",), " ", Method.ONLINE_CREDIT, 1, "在职", date(2023, 12, 1)), "voucher.paying_unit"),
        (Declared(("A",), "xx", Method.ONLINE_CREDIT, 0, "在职", date(2023, 12, 1)), "voucher.amount"),
        (Declared(("A",), "xx", Method.ONLINE_CREDIT, 1, "在职", date(2023, 12, 29)), "voucher.transfer_date"),
    ):
        with pytest.raises(InvalidInput) as exc:
            check_declared(bad, date(2023, 12, 28))
        assert exc.value.code == code


def test_bank_accounts_are_masked_in_lists():
    assert mask_account("6222 0000 1111 2222") == "6222 **** **** 2222"
    assert mask_account("1234567") == "*******"
