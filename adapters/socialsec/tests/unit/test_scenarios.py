"""Scenario ID numbers (region 310199): the retiree plan's anomalies by digit, under any seed and rates;
and the unit (单位社保编码, USCC) every person found is filed under."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from contracts.socialsec import CheckKind, CheckResult
from runtime.identity import make_id_number
from socialsec.domain.answers import expected_result
from socialsec.domain.people import RegisterRates, seeded_person
from socialsec.domain.register import Register
from socialsec.domain.scenarios import Case, scenario_id_number, scenario_person, scenario_unit
from socialsec.domain.units import POOL, employer, employer_of

TODAY = date(2025, 5, 20)
RETIREE_CHECKS = [CheckKind.RETIREMENT, CheckKind.NAME, CheckKind.MEDICAL, CheckKind.WITHHOLDABLE, CheckKind.DECEASED]
MAN_1955 = date(1955, 3, 8)  # retired 2015-03 at 60
SURPRISING = RegisterRates(not_found=1.0, name_differs=1.0, missing_retirement_month=1.0, deceased=1.0, medical=0)


def result(case: Case, *, unit: int = 3, birth: date = MAN_1955, male: bool = True) -> CheckResult:
    return expected_result(scenario_id_number(case, birth, unit=unit, male=male), "王晓明", RETIREE_CHECKS, TODAY)


def test_a_scenario_number_carries_case_unit_and_sex_in_its_order_code() -> None:
    number = scenario_id_number(Case.DECEASED, MAN_1955, unit=3, n=2, male=False)
    assert number[:6] == "310199" and number[6:14] == "19550308"
    assert (number[14], number[15], int(number[16]) % 2) == ("4", "3", 0)
    assert number == make_id_number("310199", MAN_1955, 5 * 43 + 2, False)
    with pytest.raises(ValueError):
        scenario_id_number(Case.ORDINARY, MAN_1955, unit=10)


def test_an_ordinary_retiree_passes_every_check_under_the_slots_unit() -> None:
    ordinary = result(Case.ORDINARY)
    assert (ordinary.found, ordinary.name_on_record, ordinary.name_matches) == (True, "王晓明", True)
    assert (ordinary.retired, ordinary.retirement_month) == (True, "2015-03")
    assert (ordinary.medical_insured, ordinary.withholdable, ordinary.deceased) == (True, True, False)
    assert (ordinary.unit_code, ordinary.unit_uscc) == ("99000003", scenario_unit(3).uscc)
    woman = result(Case.ORDINARY, male=False, unit=0)
    assert (woman.retirement_month, woman.unit_code) == ("2005-03", "99000000")  # retired at 50


def test_each_case_gives_its_anomaly() -> None:
    assert not result(Case.NOT_FOUND).found and result(Case.NOT_FOUND).unit_code == ""
    differs = result(Case.NAME_DIFFERS)
    assert (differs.name_on_record, differs.name_matches, differs.withholdable) == ("王晓铭", False, True)
    missing = result(Case.MONTH_MISSING)
    assert (missing.retired, missing.retirement_month, missing.withholdable) == (True, None, False)
    dead = result(Case.DECEASED)
    assert (dead.deceased, dead.medical_insured, dead.withholdable) == (True, False, False)
    assert (result(Case.NOT_WITHHOLDABLE).withholdable, result(Case.NOT_WITHHOLDABLE).medical_insured) == (False, True)
    assert (result(Case.NOT_MEDICAL).medical_insured, result(Case.NOT_MEDICAL).withholdable) == (False, True)
    working = result(Case.NOT_RETIRED)
    assert (working.retired, working.retirement_month, working.withholdable) == (False, None, False)
    no_unit = result(Case.NO_UNIT)
    assert (no_unit.unit_code, no_unit.unit_uscc, no_unit.withholdable) == ("", "", True)
    assert result(Case.SPARE) == result(Case.ORDINARY)  # kept free: ordinary


def test_scenarios_ignore_seed_and_rates_but_pins_still_win() -> None:
    number = scenario_id_number(Case.ORDINARY, MAN_1955, unit=1)
    calm = Register("s1", RegisterRates()).person("身份证", number, "赵静", TODAY)
    assert Register("s2", SURPRISING).person("身份证", number, "赵静", TODAY) == calm
    pinned = Register("s1", RegisterRates(), {number: {"deceased": True}}).person("身份证", number, "赵静", TODAY)
    assert pinned.deceased and pinned.unit_code == "99000001"
    gone = scenario_id_number(Case.NOT_FOUND, MAN_1955)
    pinned_back = Register("s1", RegisterRates(), {gone: {"retired": True}})
    assert pinned_back.person("身份证", gone, "赵静", TODAY).found  # a pinned person is on the register


def test_a_young_scenario_person_is_not_retired_and_other_numbers_are_no_scenario() -> None:
    young = result(Case.ORDINARY, birth=date(1980, 1, 1))
    assert (young.found, young.retired, young.withholdable) == (True, False, False)
    number = scenario_id_number(Case.NOT_FOUND, MAN_1955)
    wrong = number[:17] + ("1" if number[17] == "0" else "0")
    assert scenario_person("身份证", wrong, "赵静", TODAY) is None
    assert scenario_person("护照", number, "赵静", TODAY) is None
    assert scenario_person("身份证", make_id_number("310104", MAN_1955, 5 * 10, True), "赵静", TODAY) is None


def test_everyone_found_on_the_seeded_register_is_filed_under_a_unit() -> None:
    numbers = [make_id_number("310104", date(1965, 1, 1) + timedelta(days=17 * i), i, i % 2 == 0) for i in range(300)]
    for number in numbers:
        facts = seeded_person("s1", RegisterRates(not_found=0), "身份证", number, "某某", TODAY)
        last = employer_of("s1", number)
        assert (facts.unit_code, facts.unit_uscc) == (last.code, last.uscc)
        assert facts.employment_unit in ("", last.name)  # the current employer is that unit, if any
    assert any(seeded_person("s1", RegisterRates(), "身份证", n, "某某", TODAY).employment_unit for n in numbers)
    codes = [employer("s1", i).code for i in range(POOL)]
    assert len(set(codes)) == POOL and all(len(c) == 8 and c.isdigit() for c in codes)
    assert employer("s2", 0).code != employer("s1", 0).code


def test_the_unit_is_answered_whatever_was_asked() -> None:
    number = scenario_id_number(Case.ORDINARY, MAN_1955, unit=5)
    only_name = expected_result(number, "王晓明", [CheckKind.NAME], TODAY)
    assert (only_name.unit_code, only_name.unit_uscc, only_name.retired) == ("99000005", scenario_unit(5).uscc, False)
