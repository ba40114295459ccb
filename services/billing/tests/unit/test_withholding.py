"""The retiree plan's money (manual 003): the batch is persons × 450 元, the pensions' withholding (代扣行,
successes × amount) is paid already, the unit pays the rest — 13 persons with 9 withheld at 300 元 →
3,150 元; 29 with 23 withheld at 100 元 → 10,750 元; everyone withheld at 450 → nothing left, covered."""

from __future__ import annotations

from datetime import date

import pytest

from billing.domain.documents import Notice, Split, TypeCount, notice_html
from billing.domain.payables import check_withholding, covered, outstanding, payer_due, shortfall
from billing.domain.vouchers import Outstanding, allocate
from runtime.errors import DomainError

PREMIUM = 45000  # 450 元 per person per year


@pytest.mark.parametrize(
    ("persons", "withheld", "each_fen", "unit_pays_fen"),
    [(13, 9, 30000, 315000), (29, 23, 10000, 1075000), (12, 8, 10000, 460000), (12, 12, 45000, 0)],
)
def test_the_unit_pays_the_premium_less_what_pensions_paid(persons, withheld, each_fen, unit_pays_fen):
    due, withheld_fen = persons * PREMIUM, withheld * each_fen
    check_withholding(due, persons, withheld_fen, withheld)
    assert payer_due(due, withheld_fen) == unit_pays_fen
    assert outstanding(due, 0, withheld_fen) == shortfall(due, 0, 0, withheld_fen) == unit_pays_fen
    assert covered(due, 0, withheld_fen) is (unit_pays_fen == 0)


def test_a_voucher_for_the_rest_covers_the_batch_and_more_is_refunded():
    due, withheld_fen = 13 * PREMIUM, 9 * 30000
    assert shortfall(due, 0, 315000, withheld_fen) == 0 and not covered(due, 0, withheld_fen)
    assert covered(due, 315000, withheld_fen) and outstanding(due, 315000, withheld_fen) == 0
    # a voucher of 3,500 元 for what is left (3,150): 350 元 back, as for the other programmes
    a = allocate(350000, [Outstanding("TX1", due, shortfall(due, 0, 0, withheld_fen))])
    assert (a.due_fen, a.applied_fen, a.refund_fen, a.shortfall_fen) == (315000, 315000, 35000, 0)


def test_other_programmes_withhold_nothing():
    assert payer_due(122000, 0) == outstanding(122000, 0) == 122000
    check_withholding(122000, 61, 0, 0)


@pytest.mark.parametrize(
    ("withheld_fen", "withheld_persons"),
    [(13 * PREMIUM + 1, 13), (30000, 14), (30000, 0), (0, 3)],
)
def test_a_withholding_beyond_the_batch_is_refused(withheld_fen, withheld_persons):
    with pytest.raises(DomainError) as exc:
        check_withholding(13 * PREMIUM, 13, withheld_fen, withheld_persons)
    assert exc.value.code == "payable.withholding_invalid"


NOTICE = Notice(
    payer_name="上海某退休职工单位", batch_no="CB202504300003", programme_name="退休职工住院补充医疗互助保障计划",
    year=2025, enrollment_type="集中参保", by_type=[TypeCount("退休住院计划", 29, 29 * PREMIUM)], persons=29,
    split=Split(29 * PREMIUM, 0, 0, 29 * PREMIUM), pay_by=date(2025, 6, 30), coverage_start=date(2025, 7, 1),
    coverage_end=date(2026, 6, 30), account=None, issuer="上海市职工保障互助会", issued_on=date(2025, 6, 10),
    withheld_fen=23 * 10000, withheld_persons=23,
)  # fmt: skip


def test_the_notice_asks_only_for_what_pensions_did_not_pay():
    html = notice_html(NOTICE)
    assert "代扣成功 23 人，已代扣 2,300 元" in html and "需单位缴纳的 10,750 元" in html
    whole = notice_html(NOTICE.__class__(**{**NOTICE.__dict__, "withheld_fen": 29 * PREMIUM, "withheld_persons": 29}))
    assert "无需单位另行缴纳" in whole and "2025年6月30日之前" not in whole
