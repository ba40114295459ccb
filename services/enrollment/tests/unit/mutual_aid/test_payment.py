"""The voucher deadline and the refund (manual 002, 二(四) and 二(五))."""

from __future__ import annotations

from datetime import UTC, date, datetime

from enrollment.domain.mutual_aid.payment import refund_fen, shortfall_fen, voucher_due, voucher_late
from runtime.clock import SHANGHAI


def test_the_voucher_is_due_within_15_days_of_confirming_the_premium_in_shanghai():
    """ "提交确认保费后，请于15天内将保费汇至以下账号"."""
    assert voucher_due(datetime(2023, 6, 10, 15, 0, tzinfo=SHANGHAI), 15) == date(2023, 6, 25)
    # 16:30 UTC on June 10 is already June 11 in Shanghai
    assert voucher_due(datetime(2023, 6, 10, 16, 30, tzinfo=UTC), 15) == date(2023, 6, 26)
    assert not voucher_late(date(2023, 6, 25), date(2023, 6, 25))
    assert voucher_late(date(2023, 6, 25), date(2023, 6, 26))


def test_the_refund_is_what_was_paid_beyond_the_chosen_batches():
    """缴费金额 2,000.00, one batch 1,220 → 退款金额 780."""
    assert refund_fen(200000, [122000]) == 78000
    assert refund_fen(122000, [122000]) == 0  # "缴费金额与应缴纳保费合计一致，不必填写退款信息"
    assert (refund_fen(100000, [122000]), shortfall_fen(100000, [122000])) == (0, 22000)
