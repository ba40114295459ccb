"""The payment mode and the money (manual 003, 三(三)3, 三(四), 三(五)) with the manual's figures."""

from __future__ import annotations

import pytest

from enrollment.domain.retiree.payment import PaymentMode, check_amount, choose_mode, money
from runtime.errors import DomainError

PREMIUM = 45000


def code_of(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as e:
        call()
    return e.value.code


def test_the_unit_pays_persons_times_450_less_what_was_withheld():
    """ "申请代扣13人，代扣成功9人(代扣金额300元/人)…需单位缴纳参保费用3150元"."""
    m = money(13, PREMIUM, 9, 30000)
    assert (m.amount_fen, m.withheld_fen, m.unit_owes_fen) == (585000, 270000, 315000)
    assert m.unit_paid_persons == 4  # the four whose withholding failed are paid in full
    # "申请参保总人数：29人 (代扣成功23人 …需单位缴纳参保费用10750元)" at 100 元
    m = money(29, PREMIUM, 23, 10000)
    assert (m.amount_fen, m.withheld_fen, m.unit_owes_fen, m.unit_paid_persons) == (1305000, 230000, 1075000, 6)
    # "参保总人数: 12人…代扣成功8人…需单位缴纳参保费用4600元" at 100 元
    assert money(12, PREMIUM, 8, 10000).unit_owes_fen == 460000


def test_everyone_withheld_at_450_leaves_nothing_to_pay():
    """ "参保人员全部代扣成功…需单位缴费参保0人, 需单位缴纳参保费用0元" (5,400 元 withheld for 12)."""
    m = money(12, PREMIUM, 12, 45000)
    assert (m.withheld_fen, m.unit_owes_fen, m.unit_paid_persons) == (540000, 0, 0)


def test_a_voucher_batch_pays_everything():
    m = money(13, PREMIUM, 0, None)
    assert (m.amount_fen, m.withheld_fen, m.unit_owes_fen, m.unit_paid_persons) == (585000, 0, 585000, 13)
    with pytest.raises(ValueError):
        money(3, PREMIUM, 4, 10000)


def test_the_withholding_amount_is_above_0_and_at_most_450():
    """ "代扣金额须一致，须大于0且小于等于450元/人"."""
    assert check_amount(45000, PREMIUM) == 45000
    assert check_amount(1, PREMIUM) == 1
    for bad in (0, -100, 45001, None):
        assert code_of(lambda bad=bad: check_amount(bad, PREMIUM)) == "payment.amount_invalid"


def test_withholding_needs_the_sealed_entrustment_form():
    """ "上传已盖章的单位委托代扣款申请书"."""
    assert code_of(lambda: choose_mode(None, PaymentMode.WITHHOLDING, 30000, False, PREMIUM)) == (
        "payment.entrustment_required"
    )
    choice = choose_mode(None, PaymentMode.WITHHOLDING, 30000, True, PREMIUM)
    assert (choice.mode, choice.amount_fen) == (PaymentMode.WITHHOLDING, 30000)
    # the amount is checked before the form
    assert code_of(lambda: choose_mode(None, PaymentMode.WITHHOLDING, 50000, True, PREMIUM)) == "payment.amount_invalid"


def test_the_payment_mode_is_final_once_chosen():
    """ "参保缴费方式一旦选择，不能修改" — not even to choose the same again."""
    assert choose_mode(None, PaymentMode.VOUCHER, None, False, PREMIUM).amount_fen is None
    for current in PaymentMode:
        for wanted in PaymentMode:
            assert code_of(lambda c=current, w=wanted: choose_mode(c, w, 30000, True, PREMIUM)) == "payment.mode_final"
