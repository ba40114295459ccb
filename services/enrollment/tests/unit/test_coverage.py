"""Cover start and end, once per year, and which premium applies."""

from __future__ import annotations

from datetime import date

import pytest

from enrollment.domain.coverage import (
    Period,
    check_once_per_year,
    check_period,
    collective_cover,
    expected_instant_start,
    instant_cover_start,
    premium_for,
)
from runtime.errors import DomainError, InvalidInput

YEAR_2024 = Period(date(2024, 1, 1), date(2024, 12, 31))
MUTUAL_AID = Period(date(2023, 7, 1), date(2024, 6, 30))  # 互助保障: July 1 → June 30


def test_collective_cover_is_the_whole_insurance_year():
    assert collective_cover(Period(date(2023, 1, 1), date(2023, 12, 31))) == (date(2023, 1, 1), date(2023, 12, 31))


def test_instant_cover_starts_the_day_after_payment_is_confirmed_and_ends_with_the_year():
    # manual 001: submitted 2024-05-10 → 起保日期 2024-05-11, 终保日期 2024-12-31
    assert instant_cover_start(date(2024, 5, 10), YEAR_2024) == date(2024, 5, 11)
    assert expected_instant_start(date(2024, 5, 10), YEAR_2024) == date(2024, 5, 11)


def test_instant_cover_is_never_backdated_nor_before_the_year_and_nothing_after_the_year():
    assert instant_cover_start(date(2023, 12, 20), YEAR_2024) == date(2024, 1, 1)
    assert instant_cover_start(date(2024, 12, 30), YEAR_2024) == date(2024, 12, 31)
    assert instant_cover_start(date(2024, 12, 31), YEAR_2024) is None


def test_one_person_is_covered_once_per_year():
    """Checked: a second enrollment in the year is refused and names the people already enrolled."""
    check_once_per_year([])
    with pytest.raises(DomainError) as refused:
        check_once_per_year(["张苗", "刘通"])
    assert refused.value.code == "enrollment.already_covered"
    assert "张苗、刘通" in refused.value.title


def test_half_year_prices_apply_when_cover_starts_in_the_second_half():
    # mutual aid A0 120 (60): an instant enrollment starting between Jan 1 and Jun 30 pays half
    assert premium_for(12000, 6000, date(2024, 1, 1), MUTUAL_AID) == 6000
    assert premium_for(12000, 6000, date(2023, 12, 31), MUTUAL_AID) == 12000
    # a type without a half-year price (会员专享 A类) always costs the full premium
    assert premium_for(2600, None, date(2024, 11, 1), YEAR_2024) == 2600


def test_an_insurance_year_must_end_after_it_starts():
    """Checked: a reversed period is refused."""
    with pytest.raises(InvalidInput):
        check_period(date(2024, 12, 31), date(2024, 1, 1))
