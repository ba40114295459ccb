"""Receipts: several, any titles, their sum equal to the premium (manual 002's 450 + 9,000) and never
more than was paid; the amount in capital numerals."""

from __future__ import annotations

import pytest

from billing.domain.receipts import ReceiptLine, amount_in_words, check_issuable, check_lines
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
