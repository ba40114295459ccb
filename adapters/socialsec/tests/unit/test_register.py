"""The seeded register: deterministic, rates roughly honoured, retirement by age, pinned facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from runtime.identity import make_id_number
from socialsec.domain.people import RegisterRates, recorded_name, retirement_date, seeded_person
from socialsec.domain.register import Register
from socialsec.domain.units import UnitInsured, employer, unit_insured

TODAY = date(2026, 3, 15)
CALM = RegisterRates(not_found=0, name_differs=0, early_retirement=0, missing_retirement_month=0, deceased=0)


def people(n: int, born: date = date(1960, 1, 1)) -> list[tuple[str, str]]:
    return [
        (make_id_number("310104", born + timedelta(days=13 * i), i % 500, i % 2 == 0), f"会员{i}明") for i in range(n)
    ]


def test_same_seed_and_person_give_the_same_facts() -> None:
    register, again = Register("s1", RegisterRates()), Register("s1", RegisterRates())
    for number, name in people(500):
        assert register.person("身份证", number, name, TODAY) == again.person("身份证", number, name, TODAY)


def test_another_seed_gives_another_register() -> None:
    a, b = Register("s1", RegisterRates()), Register("s2", RegisterRates())
    assert [a.person("身份证", n, m, TODAY) for n, m in people(300)] != [
        b.person("身份证", n, m, TODAY) for n, m in people(300)
    ]


def test_rates_are_roughly_honoured_over_1000_people() -> None:
    register = Register("s1", RegisterRates())
    answered = [(register.person("身份证", n, name, TODAY), name) for n, name in people(1000)]
    found = [(facts, name) for facts, name in answered if facts.found]
    assert 1 <= 1000 - len(found) <= 25  # 1 % not found
    assert 5 <= sum(facts.name_on_record != name for facts, name in found) <= 40  # 2 % under another name
    assert sum(facts.ss_card_held for facts, _ in found) / len(found) > 0.9
    assert sum(facts.deceased for facts, _ in found) <= 10  # 0.2 %


def test_men_retire_at_60_and_women_at_50_with_their_month() -> None:
    man_60 = make_id_number("310104", date(1966, 3, 15), 1, True)  # 60 today
    man_59 = make_id_number("310104", date(1966, 3, 16), 2, True)
    woman_50 = make_id_number("310104", date(1976, 2, 28), 3, False)
    woman_49 = make_id_number("310104", date(1977, 1, 1), 4, False)
    facts = {n: seeded_person("s1", CALM, "身份证", n, "某某", TODAY) for n in (man_60, man_59, woman_50, woman_49)}
    assert (facts[man_60].retired, facts[man_60].retirement_month) == (True, "2026-03")
    assert (facts[man_59].retired, facts[man_59].retirement_month) == (False, None)
    assert (facts[woman_50].retired, facts[woman_50].retirement_month) == (True, "2026-02")
    assert not facts[woman_49].retired
    assert facts[man_60].employment_unit == ""  # a retiree has no current employer


def test_a_seeded_share_retires_up_to_five_years_early() -> None:
    always_early = replace(CALM, early_retirement=1.0)
    woman_47 = make_id_number("310104", date(1979, 1, 10), 5, False)
    woman_44 = make_id_number("310104", date(1982, 1, 10), 6, False)
    assert seeded_person("s1", always_early, "身份证", woman_47, "某某", TODAY).retirement_month == "2024-01"
    assert not seeded_person("s1", always_early, "身份证", woman_44, "某某", TODAY).retired
    assert retirement_date(date(1964, 2, 29), "男") == date(2024, 2, 29)
    assert retirement_date(date(1964, 2, 29), "女", early=True) == date(2009, 2, 28)


def test_a_missing_retirement_month_is_a_seeded_share_of_retirees() -> None:
    always_missing = replace(CALM, missing_retirement_month=1.0)
    facts = seeded_person("s1", always_missing, "身份证", people(1)[0][0], "某某", TODAY)
    assert facts.retired and facts.retirement_month is None


def test_an_invalid_id_number_is_not_on_the_register_and_other_documents_carry_no_age() -> None:
    number = people(1)[0][0]
    wrong = number[:17] + ("1" if number[17] == "0" else "0")
    assert not seeded_person("s1", CALM, "身份证", wrong, "某某", TODAY).found
    passport = seeded_person("s1", CALM, "护照", "E12345678", "某某", TODAY)
    assert passport.found and not passport.retired


def test_another_name_on_record_is_a_homophone_of_the_last_character() -> None:
    assert recorded_name("王晓明", True) == "王晓铭"
    assert recorded_name("李铭", True) == "李明"
    assert recorded_name("张三", True) not in ("张三", "") and len(recorded_name("张三", True)) == 2
    assert recorded_name("张三", False) == "张三"


def test_pinned_facts_win_over_the_seed_and_a_pinned_person_is_found() -> None:
    young = make_id_number("310104", date(1996, 5, 20), 7, True)
    nobody = RegisterRates(not_found=1.0)
    register = Register("s1", nobody, {young: {"retired": True, "retirement_month": "2019-07"}})
    facts = register.person("身份证", young, "王晓明", TODAY)
    assert (facts.found, facts.retired, facts.retirement_month, facts.name_on_record) == (
        True,
        True,
        "2019-07",
        "王晓明",
    )
    gone = Register("s1", CALM, {young: {"found": False}}).person("身份证", young, "王晓明", TODAY)
    assert not gone.found


def test_unit_headcounts_are_deterministic_and_fall_on_both_sides_of_75_percent() -> None:
    units = [unit_insured("s1", employer("s1", i).uscc) for i in range(300)]
    assert units == [unit_insured("s1", employer("s1", i).uscc) for i in range(300)]
    assert all(0 <= u.insured <= u.headcount and u.headcount >= 3 for u in units)
    ratios = [u.insured / u.headcount for u in units]
    assert min(ratios) < 0.75 < max(ratios)
    pinned = UnitInsured("91310000MA1K000000", 40, 29)
    assert Register("s1", CALM, units={pinned.uscc: pinned}).unit(pinned.uscc) == pinned
    assert employer("s1", 3).uscc != employer("s1", 4).uscc
