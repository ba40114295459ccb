"""Premium split arithmetic in fen, with the manuals' figures."""

from __future__ import annotations

import pytest

from enrollment.domain.split import Amounts, Split, amounts, check_split, district_split, scaled
from runtime.errors import InvalidInput

A = Split(1300, 1300, 0)  # A类 26 元 = 13 + 13 + 0
A_PLUS = Split(1300, 6300, 0)  # A+类 76 元 = 13 + 63 + 0
A_PLUS_60 = Split(2000, 4000, 0)  # another year: A+ 60 = 20 + 40 + 0


def test_the_manuals_types_add_up():
    assert check_split(2600, A) == A
    assert check_split(7600, A_PLUS) == A_PLUS
    assert check_split(6000, A_PLUS_60) == A_PLUS_60


def test_collective_enrollment_of_95_a_members_costs_2470_split_1235_1235_0():
    # 集中参保办理 (manual 000): 参保人数 95 人，保障费用 2470 元；
    # 市总统一划拨 1235 元；区局/各级工会 1235 元；基层 0 元
    assert amounts(A, 95) == Amounts(247000, 123500, 123500, 0)


def test_the_to_submit_list_of_1064_a_plus_members_totals_63840_split_21280_42560_0():
    # 待提交参保列表 (manual 000): 1064 人，保障费用 63840 元；市总 21280 元；区局/各级工会 42560 元；基层 0
    assert amounts(A_PLUS_60, 1064) == Amounts(6384000, 2128000, 4256000, 0)


def test_the_district_notice_of_2014_b_plus_members_is_201400_yuan():
    assert amounts(check_split(10000, Split(2000, 8000, 0)), 2014).amount_fen == 20140000


def test_instant_figures_of_2024_31_persons_806_and_a_mixed_review_of_3_persons_78():
    # manual 001: 可参保人数 31，保障费用 806 元；市总 403 元；区局/各级工会 403 元；基层 0 元
    assert amounts(A, 31) == Amounts(80600, 40300, 40300, 0)
    # 合计参保人数 3 人（会员卡 1 人，社保卡 2 人）。保障费用 78 元；市总 39 元；区局/各级工会 39 元
    assert amounts(A, 1) + amounts(A, 2) == Amounts(7800, 3900, 3900, 0)


@pytest.mark.parametrize(
    ("premium", "split"),
    [(2600, Split(1300, 1200, 0)), (7600, Split(1300, 6300, 100)), (2600, Split(2600, 100, -100))],
)
def test_a_split_that_does_not_add_up_is_refused(premium: int, split: Split):
    """Checked: 26 = 13 + 12 + 0 and its kin are refused with a specific code, nothing is returned."""
    with pytest.raises(InvalidInput) as refused:
        check_split(premium, split)
    assert refused.value.code in ("split.not_adding_up", "split.negative")


def test_a_premium_must_be_positive():
    """Checked: a zero premium is refused even when its shares are zero."""
    with pytest.raises(InvalidInput) as refused:
        check_split(0, Split(0, 0, 0))
    assert refused.value.code == "type.premium_invalid"


def test_a_district_moves_the_non_city_part_but_keeps_the_city_share():
    assert district_split(7600, A_PLUS, 3300, 3000) == Split(1300, 3300, 3000)
    with pytest.raises(InvalidInput) as refused:  # 13 + 63 + 10 = 86 ≠ 76
        district_split(7600, A_PLUS, 6300, 1000)
    assert refused.value.code == "split.not_adding_up"


def test_a_half_year_premium_keeps_a_split_that_adds_up():
    half = scaled(Split(1300, 1300, 0), 1300)
    assert half == Split(650, 650, 0) and half.total_fen == 1300
    odd = scaled(Split(1300, 1300, 1), 1301)
    assert odd.total_fen == 1301
    assert scaled(A, 2600) == A
