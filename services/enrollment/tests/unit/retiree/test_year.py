"""The plan's year and windows (manual 003, 三(三)1 参保类型介绍; the payment-mode page's 友情提醒), in
Asia/Shanghai from configuration (enrollment.demo.retiree_year)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from contracts.enrollment import EnrollmentType
from enrollment.demo import retiree_year
from enrollment.domain.coverage import Period
from enrollment.domain.retiree.year import (
    check_kind_open,
    check_withholding_channel,
    check_withholding_request,
    cover,
    covered_from,
    is_new_retiree,
    kind_open,
)
from enrollment.domain.windows import Window, check_bounds
from runtime.clock import SHANGHAI
from runtime.errors import DomainError

YEAR = retiree_year(2025)
WINDOWS = {k: check_bounds(k, w.opens_at, w.closes_at) for k, w in YEAR.windows.items()}
PERIOD = Period(YEAR.insurance_start, YEAR.insurance_end)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


def refused(check, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as e:
        check(*args)
    return e.value.code


def test_the_collective_window_is_may_12_to_june_30_17_00_shanghai():
    """集中参保 "2025年5月12日零时起至2025年6月30日17时止"."""
    collective = EnrollmentType.COLLECTIVE
    assert refused(check_kind_open, WINDOWS, collective, at(2025, 5, 11, 23, 59)) == "window.not_open"
    check_kind_open(WINDOWS, collective, at(2025, 5, 12, 0, 0))
    check_kind_open(WINDOWS, collective, at(2025, 6, 30, 16, 59))
    assert refused(check_kind_open, WINDOWS, collective, at(2025, 6, 30, 17, 0)) == "window.closed"
    # 09:00 UTC on June 30 is 17:00 in Shanghai: closed whatever the host's zone
    assert not kind_open(WINDOWS, collective, datetime(2025, 6, 30, 9, 0, tzinfo=UTC))
    assert kind_open(WINDOWS, collective, datetime(2025, 6, 30, 8, 59, tzinfo=UTC))


def test_instant_enrollment_opens_on_july_1():
    """即时参保 "2025年7月1日零时起"."""
    assert refused(check_kind_open, WINDOWS, EnrollmentType.INSTANT, at(2025, 6, 30, 23, 59)) == "window.not_open"
    check_kind_open(WINDOWS, EnrollmentType.INSTANT, at(2025, 7, 1, 0, 0))
    check_kind_open(WINDOWS, EnrollmentType.INSTANT, at(2026, 6, 30, 23, 59))


def test_the_withholding_channel_closes_may_31_17_00_and_requests_june_4_16_00():
    """ "委托代扣款缴费参保通道，5月31日17点关闭；委托代扣申请，需在6月4日16点完成提交"."""
    check_withholding_channel(WINDOWS, at(2025, 5, 31, 16, 59))
    assert refused(check_withholding_channel, WINDOWS, at(2025, 5, 31, 17, 0)) == "window.closed"
    check_withholding_request(WINDOWS, at(2025, 6, 4, 15, 59))
    assert refused(check_withholding_request, WINDOWS, at(2025, 6, 4, 16, 0)) == "window.closed"
    assert refused(check_withholding_request, {}, at(2025, 6, 1)) == "window.not_configured"


def test_collective_cover_is_the_whole_year_without_a_waiting_period():
    """ "保障期限为12个月，自2025年7月1日零时起至2026年6月30日24时止。（集中参保无免责期）"."""
    assert cover(EnrollmentType.COLLECTIVE, PERIOD, None) == (date(2025, 7, 1), date(2026, 6, 30))
    assert covered_from(EnrollmentType.COLLECTIVE, date(2025, 7, 1), 30) == date(2025, 7, 1)


def test_instant_cover_starts_the_day_after_and_has_a_30_day_waiting_period():
    """ "自参保单位…办妥参保手续的次日零时起至2026年6月30日24时止" (即时参保设有30天免责期)."""
    assert cover(EnrollmentType.INSTANT, PERIOD, None) == (None, date(2026, 6, 30))
    start, end = cover(EnrollmentType.INSTANT, PERIOD, at(2025, 7, 1, 15, 0))
    assert (start, end) == (date(2025, 7, 2), date(2026, 6, 30))
    assert covered_from(EnrollmentType.INSTANT, start, 30) == date(2025, 8, 1)
    # 16:30 UTC is the next day in Shanghai
    assert cover(EnrollmentType.INSTANT, PERIOD, datetime(2025, 9, 9, 16, 30, tzinfo=UTC))[0] == date(2025, 9, 11)
    assert refused(cover, EnrollmentType.INSTANT, PERIOD, at(2026, 6, 30, 12)) == "enrollment.year_over"


def test_new_retirees_retired_from_july_1_of_the_year_before_to_june_30():
    """ "(新退休) 上年度7月1至本年度6月30号办理退休" — for the 2025 year: 2024-07 … 2025-06."""
    start = date(2025, 7, 1)
    assert [is_new_retiree(m, start) for m in ("2024-06", "2024-07", "2025-06", "2025-07", None, "bad")] == [
        False, True, True, False, False, False,
    ]  # fmt: skip


def test_the_windows_are_configuration():
    moved = {"collective": Window("collective", at(2026, 5, 12), at(2026, 6, 30, 17) + timedelta(hours=1))}
    check_kind_open(moved, EnrollmentType.COLLECTIVE, at(2026, 6, 30, 17, 30))
