"""参保时间, 保障期限, 免责期 of the 2023 year (manual 002, 一、参保要点), in Asia/Shanghai time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from contracts.enrollment import EnrollmentType
from enrollment.domain.coverage import Period
from enrollment.domain.mutual_aid.items import Item
from enrollment.domain.mutual_aid.year import Cause, cover, covered_from, enrollment_kind, priced_half_year
from enrollment.domain.windows import check_bounds
from runtime.clock import SHANGHAI
from runtime.errors import DomainError

COLLECTIVE, INSTANT = EnrollmentType.COLLECTIVE, EnrollmentType.INSTANT
# 保障年度 2023: 2023年7月1日零时起至2024年6月30日24时止
PERIOD = Period(date(2023, 7, 1), date(2024, 6, 30))
WINDOWS = {
    # 集中参保：2023年6月1日零时起至6月30日24时止 (24时 = July 1 00:00, exclusive)
    "collective": check_bounds("collective", datetime(2023, 6, 1), datetime(2023, 7, 1)),
    # 即时参保：2023年7月1日零时起 — until the year ends (configuration)
    "instant": check_bounds("instant", datetime(2023, 7, 1), datetime(2024, 7, 1)),
}
A0 = Item("A0", "住院基本保障", 12000, 6000, waiting_days=30, social_security_only=True)
A3 = Item("A3", "住院加强保障", 33000, 16500, waiting_days=30, accident_exempt=True)
B0 = Item("B0", "特种重病保障", 5500, 2750, waiting_days=60)
C3 = Item("C3", "意外伤害保障", 22500, 11250, waiting_days=0)


def test_june_is_collective_and_july_1_midnight_in_shanghai_opens_instant_enrollment():
    assert enrollment_kind(WINDOWS, datetime(2023, 6, 1, 0, 0, tzinfo=SHANGHAI)) is COLLECTIVE
    assert enrollment_kind(WINDOWS, datetime(2023, 6, 30, 23, 59, tzinfo=SHANGHAI)) is COLLECTIVE
    # 2023-06-30 16:00 UTC is July 1 00:00 in Shanghai
    assert enrollment_kind(WINDOWS, datetime(2023, 6, 30, 16, 0, tzinfo=UTC)) is INSTANT
    assert enrollment_kind(WINDOWS, datetime(2024, 6, 30, 12, 0, tzinfo=SHANGHAI)) is INSTANT


def test_before_june_and_after_the_year_nothing_is_open():
    """Checked: before June 1 the collective window is not open yet; after the year the instant one closed."""
    with pytest.raises(DomainError) as early:
        enrollment_kind(WINDOWS, datetime(2023, 5, 31, 23, 59, tzinfo=SHANGHAI))
    assert early.value.code == "window.not_open"
    assert "2023年06月01日 00:00" in early.value.title
    with pytest.raises(DomainError) as late:
        enrollment_kind(WINDOWS, datetime(2024, 7, 1, 0, 0, tzinfo=SHANGHAI))
    assert late.value.code == "window.closed"


def test_collective_cover_is_twelve_months_from_july_1():
    submitted = datetime(2023, 6, 20, 10, 0, tzinfo=SHANGHAI)
    assert cover(COLLECTIVE, PERIOD, submitted) == (date(2023, 7, 1), date(2024, 6, 30))


def test_instant_cover_runs_from_the_day_after_the_roster_is_submitted_to_june_30():
    assert cover(INSTANT, PERIOD, datetime(2023, 7, 1, 10, 0, tzinfo=SHANGHAI)) == (date(2023, 7, 2), date(2024, 6, 30))
    # submitted at 00:30 on January 1 in Shanghai (still December 31 in UTC): cover from January 2
    assert cover(INSTANT, PERIOD, datetime(2023, 12, 31, 16, 30, tzinfo=UTC))[0] == date(2024, 1, 2)


def test_no_instant_cover_once_the_year_is_over():
    """Checked: a roster submitted on the year's last day would start after it: refused."""
    with pytest.raises(DomainError) as over:
        cover(INSTANT, PERIOD, datetime(2024, 6, 30, 9, 0, tzinfo=SHANGHAI))
    assert over.value.code == "enrollment.year_over"


def test_half_year_prices_for_instant_cover_starting_january_1_to_june_30():
    """ "起保日在2023年7月1日至2023年12月31日之间的，按一年缴费标准…2024年1月1日至2024年6月30日之间的，按半年"."""
    assert not priced_half_year(INSTANT, date(2023, 12, 31), PERIOD)
    assert priced_half_year(INSTANT, date(2024, 1, 1), PERIOD)
    assert priced_half_year(INSTANT, date(2024, 6, 30), PERIOD)
    assert not priced_half_year(COLLECTIVE, date(2023, 7, 1), PERIOD)


def test_waiting_periods_of_an_instant_enrollment():
    """A0 (and its 疾病身故) 30 days, A1–A3 30 days except accident hospitalisation, B 60 days, C none."""
    start = date(2023, 7, 2)
    assert covered_from(A0, INSTANT, start) == date(2023, 8, 1)
    assert covered_from(A0, INSTANT, start, Cause.ACCIDENT) == date(2023, 8, 1)
    assert covered_from(A3, INSTANT, start) == date(2023, 8, 1)
    assert covered_from(A3, INSTANT, start, Cause.ACCIDENT) == start
    assert covered_from(B0, INSTANT, start) == date(2023, 8, 31)
    assert covered_from(C3, INSTANT, start, Cause.ACCIDENT) == start


def test_collective_enrollment_has_no_waiting_period():
    assert covered_from(B0, COLLECTIVE, date(2023, 7, 1)) == date(2023, 7, 1)
