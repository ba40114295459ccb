"""The workbench figures' rules: the Shanghai calendar periods and how group counts add up."""

from __future__ import annotations

from datetime import date

from members.domain.statistics import GroupCount, activation_rate, add_up, join_periods


def test_weeks_start_on_monday_and_months_on_the_first() -> None:
    sunday = join_periods(date(2024, 3, 31))
    assert (sunday.week_start, sunday.month_start) == (date(2024, 3, 25), date(2024, 3, 1))
    monday_the_first = join_periods(date(2024, 4, 1))
    assert (monday_the_first.week_start, monday_the_first.month_start) == (date(2024, 4, 1), date(2024, 4, 1))
    # a week that began last month still counts from its Monday
    assert join_periods(date(2024, 5, 2)).week_start == date(2024, 4, 29)


def test_an_empty_scope_has_every_key_and_a_zero_rate() -> None:
    figures = add_up([])
    assert figures.members == 0 and figures.e_card_rate == 0.0
    assert figures.by_status == {"正常": 0, "已删除": 0}
    assert figures.by_category == {"灵活就业类": 0, "企业外入会类": 0, "关联企业类": 0}


def test_deleted_members_count_as_joins_but_not_as_members() -> None:
    figures = add_up(
        [
            GroupCount("正常", "关联企业类", 10, 3, 9, 1, 2, 5),
            GroupCount("正常", "灵活就业类", 2, 1, 2, 0, 0, 2),
            GroupCount("已删除", "关联企业类", 4, 4, 4, 1, 1, 1),
        ]
    )
    assert (figures.members, figures.by_status) == (12, {"正常": 12, "已删除": 4})
    assert figures.by_category == {"灵活就业类": 2, "企业外入会类": 0, "关联企业类": 10}
    assert (figures.e_card_activated, figures.e_card_rate) == (4, 0.3333)
    assert (figures.numbered, figures.unnumbered) == (11, 1)
    assert (figures.joined_today, figures.joined_week, figures.joined_month) == (2, 3, 8)


def test_the_rate_is_rounded_to_four_places() -> None:
    assert activation_rate(2, 7) == 0.2857 and activation_rate(7, 7) == 1.0 and activation_rate(0, 0) == 0.0
