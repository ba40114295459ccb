"""Receipts: several, any titles, their sum equal to the premium (manual 002's 450 + 9,000) — for the
retiree plan at most what was paid (manual 003) — and never issued beyond it; the amount in capital numerals."""

from __future__ import annotations

import pytest

from billing.domain.receipts import (
    ReceiptLine,
    ReceiptRule,
    amount_in_words,
    check_issuable,
    check_lines,
    receipt_rule,
)
from runtime.errors import DomainError, InvalidInput
from runtime.identity import make_uscc

LINES = [ReceiptLine("上海YYYY公司", 45000), ReceiptLine("上海XXX公司", 900000, remark="需发票备注栏显示的内容")]


def test_several_receipts_with_free_titles_summing_to_the_premium():
    clean = check_lines(LINES, due_fen=945000, issued_fen=0)
    assert [(r.title, r.amount_fen) for r in clean] == [("上海YYYY公司", 45000), ("上海XXX公司", 900000)]


def test_the_sum_must_equal_the_premium_counting_receipts_already_issued():
    with pytest.raises(InvalidInput) as exc:
        check_lines(LINES, due_fen=1000000, issued_fen=0)
    assert exc.value.code == "receipt.sum_mismatch"
    assert (exc.value.extra["due_fen"], exc.value.extra["total_fen"]) == (1000000, 945000)
    assert check_lines([ReceiptLine("上海ZZZ公司", 55000)], due_fen=1000000, issued_fen=945000)


def test_each_line_needs_a_title_a_positive_amount_and_a_valid_uscc_if_any():
    for line, code in ((ReceiptLine(" ", 100), "receipt.title"), (ReceiptLine("A", 0), "receipt.amount"),
                       (ReceiptLine("A", 100, uscc="91310000ABCDEFGHIJ"), "uscc.check_digit")):  # fmt: skip
        with pytest.raises(InvalidInput) as exc:
            check_lines([line], due_fen=100, issued_fen=0)
        assert exc.value.code.startswith(code.split(".")[0])
    uscc = make_uscc(7)
    assert check_lines([ReceiptLine("A", 100, uscc=uscc.lower())], 100, 0)[0].uscc == uscc


def test_receipts_are_issued_only_for_a_confirmed_payment_and_never_beyond_it():
    with pytest.raises(DomainError) as unpaid:
        check_issuable(False, 0, 945000)
    assert unpaid.value.code == "receipt.not_paid"
    with pytest.raises(DomainError) as beyond:
        check_issuable(True, 900000, 945000)
    assert beyond.value.code == "receipt.exceeds_paid"
    check_issuable(True, 945000, 945000)


@pytest.mark.parametrize(("fen", "words"), [
    (78000, "柒佰捌拾元整"), (122000, "壹仟贰佰贰拾元整"), (1075000, "壹万零柒佰伍拾元整"),
    (10001000, "壹拾万零壹拾元整"), (101000000, "壹佰零壹万元整"), (10000000100, "壹亿零壹元整"),
    (1050, "壹拾元伍角整"), (1005, "壹拾元零伍分"),
    (5, "伍分"), (0, "零元整"),
])  # fmt: skip
def test_amounts_in_capital_numerals(fen: int, words: str):
    assert amount_in_words(fen) == words


# --- the retiree plan (manual 003): any number of receipts, their total within what was paid ---------------


def test_each_programme_has_its_receipt_rule():
    assert receipt_rule("retiree-hospital") is ReceiptRule.UP_TO_PAID
    assert receipt_rule("member-basic") is receipt_rule("mutual-aid") is ReceiptRule.EQUAL_TO_PREMIUM


def test_retiree_receipts_may_total_less_than_the_premium_but_not_more_than_was_paid():
    """29 persons × 450 = 13,050 元; 2,300 withheld and a voucher of 10,750 approved: paid in full. Before
    the voucher, only the withheld 2,300 may be receipted."""
    rule, due = ReceiptRule.UP_TO_PAID, 29 * 45000
    two = [ReceiptLine("上海某公司退管会", 500000), ReceiptLine("上海某公司", 300000)]
    assert len(check_lines(two, due, 0, rule=rule, paid_fen=230000 + 1075000)) == 2
    assert check_lines([ReceiptLine("上海某公司", 1305000)], due, 0, rule=rule, paid_fen=1305000)
    with pytest.raises(InvalidInput) as exc:
        check_lines(two, due, 0, rule=rule, paid_fen=230000)
    assert exc.value.code == "receipt.sum_exceeds_paid" and exc.value.status == 422
    assert "不能超过已缴金额" in exc.value.title and "2,300.00元" in exc.value.title
    assert (exc.value.extra["paid_fen"], exc.value.extra["total_fen"]) == (230000, 800000)
    # receipts already issued count too
    with pytest.raises(InvalidInput):
        check_lines([ReceiptLine("上海某公司", 100)], due, 230000, rule=rule, paid_fen=230000)
