"""保障项目: the manual's price table, the choice rules and its premium tables (manual 002, 二(四), 三 4.)."""

from __future__ import annotations

import pytest

from enrollment.domain.mutual_aid.items import (
    Bundle,
    Catalogue,
    Item,
    check_everyone_has_basic,
    check_same_as_collective,
    check_selection,
    items_for,
    person_premium,
    premium_table,
)
from runtime.errors import DomainError, InvalidInput
from runtime.money import yuan_to_fen

# 2023's 一览表 and 半年缴费标准 table, in 元: (code, full, half, 免责期 days)
TABLE = [
    ("A0", "120", "60", 30), ("B0", "55", "27.5", 60), ("C0", "15", "7.5", 0),
    ("A1", "135", "67.5", 30), ("B1", "100", "50", 60), ("C1", "40", "20", 0),
    ("A2", "230", "115", 30), ("B2", "235", "117.5", 60), ("C2", "75", "37.5", 0),
    ("A3", "330", "165", 30), ("B3", "460", "230", 60), ("C3", "225", "112.5", 0),
]  # fmt: skip
CATALOGUE = Catalogue(
    tuple(
        Item(
            code,
            code,
            yuan_to_fen(full),
            yuan_to_fen(half),
            days,
            accident_exempt=code in ("A1", "A2", "A3"),
            social_security_only=code == "A0",
            sort=n,
        )  # fmt: skip
        for n, (code, full, half, days) in enumerate(TABLE)
    ),
    Bundle(("A0", "B0", "C0"), discount_fen=yuan_to_fen(10)),
)


def rows(table):  # type: ignore[no-untyped-def]
    """As the manual prints 保费信息: 参加项目, 费用标准, 优惠费用标准, 社保人员 人数 and 实际费用,
    非社保人员 人数 and 实际费用, 合计费用."""
    return [
        (r.label, r.standard_fen, r.discount_fen, r.ss_persons, r.ss_fen, r.non_ss_persons, r.non_ss_fen, r.total_fen)
        for r in table.rows
    ]


def test_every_half_year_price_is_half_the_full_one():
    assert all(2 * i.half_fen == i.full_fen for i in CATALOGUE.items)
    assert CATALOGUE.item("B0").half_fen == 2750  # 27.5 元


def test_the_manuals_instant_premium_table_four_insured_with_social_security():
    """三 4.: 4 社保人员, A0 B0 C0 + A3 B3 C3, full year → 720 + 1,320 + 1,840 + 900 = 4,780 元."""
    chosen = check_selection(CATALOGUE, ["A0", "B0", "C0", "A3", "B3", "C3"])
    table = premium_table(CATALOGUE, chosen, ss_persons=4, non_ss_persons=0, half_year=False)
    assert rows(table) == [
        ("A0 B0 C0", 19000, 1000, 4, 72000, 0, 0, 72000),
        ("A3", 33000, 0, 4, 132000, 0, 0, 132000),
        ("B3", 46000, 0, 4, 184000, 0, 0, 184000),
        ("C3", 22500, 0, 4, 90000, 0, 0, 90000),
    ]
    assert (table.total_fen, table.ss_fen, table.non_ss_fen) == (478000, 478000, 0)


def test_the_collective_screenshot_rows_seven_with_and_one_without_social_security():
    """二(四): the bundle for the 7 社保人员 (7 × 180 = 1,260), B0 55 and C0 15 for the one 非社保人员 (no A0
    outside 职保), C3 for all 8 (1,800). (The screenshot's A3 and B3 rows — 330 and 460 for "7 + 1"
    persons — do not add up and are not reproduced.)"""
    chosen = check_selection(CATALOGUE, ["C3", "A0", "B0", "C0"])
    table = premium_table(CATALOGUE, chosen, ss_persons=7, non_ss_persons=1, half_year=False)
    assert rows(table) == [
        ("A0 B0 C0", 19000, 1000, 7, 126000, 0, 0, 126000),
        ("B0", 5500, 0, 0, 0, 1, 5500, 5500),
        ("C0", 1500, 0, 0, 0, 1, 1500, 1500),
        ("C3", 22500, 0, 7, 157500, 1, 22500, 180000),
    ]
    assert table.total_fen == 313000


def test_half_a_year_pays_the_half_prices_and_loses_the_bundle_discount():
    """ "同时参保A0、B0、C0保障项目，且保障期大于半年，总费用优惠10元/人": 60 + 27.5 + 7.5 = 95, not 90."""
    chosen = check_selection(CATALOGUE, ["A0", "B0", "C0"])
    assert person_premium(CATALOGUE, chosen, True, half_year=False).fen == 18000
    assert person_premium(CATALOGUE, chosen, True, half_year=True).fen == 9500
    table = premium_table(CATALOGUE, chosen, ss_persons=4, non_ss_persons=0, half_year=True)
    assert rows(table) == [
        ("A0", 6000, 0, 4, 24000, 0, 0, 24000),
        ("B0", 2750, 0, 4, 11000, 0, 0, 11000),
        ("C0", 750, 0, 4, 3000, 0, 0, 3000),
    ]


def test_a0_is_only_for_people_with_social_security():
    chosen = check_selection(CATALOGUE, ["A0", "B0", "C0", "A1"])
    assert [i.code for i in items_for(chosen, has_social_security=False)] == ["B0", "C0", "A1"]
    outside = person_premium(CATALOGUE, chosen, False, half_year=False)
    assert (outside.fen, outside.bundled) == (5500 + 1500 + 13500, False)


def test_at_least_one_basic_item():
    with pytest.raises(InvalidInput) as refused:
        check_selection(CATALOGUE, ["A3", "C1"])
    assert refused.value.code == "items.basic_required"
    assert "A0、B0、C0至少选1种" in refused.value.title


def test_at_most_one_plus_item_per_line():
    with pytest.raises(InvalidInput) as refused:
        check_selection(CATALOGUE, ["A0", "A1", "A3"])
    assert refused.value.code == "items.one_plus_per_line"
    assert refused.value.extra["codes"] == ["A1", "A3"]
    assert [i.code for i in check_selection(CATALOGUE, ["A0", "A1", "B2", "C3"])] == ["A0", "A1", "B2", "C3"]


def test_a_plus_item_rests_on_any_basic_item():
    """ "在参保“基本保障项目” A0、B0或C0的基础上可参保“加强保障项目”": A3 on B0 alone is allowed."""
    assert [i.code for i in check_selection(CATALOGUE, ["B0", "A3"])] == ["B0", "A3"]


def test_one_unit_of_each_item_and_only_known_items():
    with pytest.raises(InvalidInput) as twice:
        check_selection(CATALOGUE, ["A0", "A0"])
    assert twice.value.code == "items.duplicate"
    with pytest.raises(InvalidInput) as unknown:
        check_selection(CATALOGUE, ["A0", "D1"])
    assert unknown.value.code == "items.unknown"


def test_people_outside_the_employee_insurance_need_a_basic_item_they_can_hold():
    only_a0 = check_selection(CATALOGUE, ["A0", "A2"])
    check_everyone_has_basic(only_a0, [])
    with pytest.raises(DomainError) as refused:
        check_everyone_has_basic(only_a0, ["王豆"])
    assert refused.value.code == "items.basic_missing_for_person"
    assert "王豆" in refused.value.title
    check_everyone_has_basic(check_selection(CATALOGUE, ["A0", "C0"]), ["王豆"])


def test_an_instant_enrollment_keeps_the_collective_items():
    """ "即时参保保障项目和集中参保项目必须保持一致"."""
    chosen = check_selection(CATALOGUE, ["A0", "B0", "C0", "A3", "B3", "C3"])
    check_same_as_collective(chosen, None)  # the unit did not take part in the collective enrollment
    check_same_as_collective(chosen, {"A0", "B0", "C0", "A3", "B3", "C3"})
    with pytest.raises(DomainError) as refused:
        check_same_as_collective(chosen, {"A0", "B0", "C0"})
    assert refused.value.code == "items.locked_by_collective"
    assert refused.value.extra["locked"] == ["A0", "B0", "C0"]
