"""Scenario ID numbers: people whose answers follow from their ID number alone, whatever the seed and
the rates, so a test or a demo can ask for a given anomaly without an overrides file.

A resident ID number (身份证) of region **310199** — a code no Shanghai district uses, so no real
number is caught — is a scenario number. Its order code (digits 15–17) reads:

    digit 15  the case (below)
    digit 16  the unit slot u (0–9): unit_code "9900000u", unit_uscc `scenario_unit(u).uscc`
    digit 17  the sex, as in every ID number (odd: man)

`scenario_id_number(case, birth, unit=u, n=i, male=…)` makes one; with `runtime.identity.make_id_number`
it is `make_id_number("310199", birth, 5 * (10 * case + u) + i, male)` for i in 0–4.

Retirement goes by age as for everyone (men 60, women 50, the month they reached it), so give a
retiree a birth date far enough back. The cases, as the retiree plan's validation shows them:

    0  ordinary: found, retired with its month, name as sent, medical insured, withholdable  (校验通过, 可代扣)
    1  not on the register                                                 (未匹配到社保信息)
    2  name on record differs: the last character a homophone (王晓明 → 王晓铭)  (参保姓名和社保姓名不一致)
    3  retired, retirement month missing, not withholdable                 (退休年月为空或值无效)
    4  deceased: not medical insured, not withholdable                     (死亡)
    5  not withholdable                                                    (不可代扣)
    6  not medical insured
    7  not retired whatever the age: employed by the slot's unit, not withholdable
    8  no unit on the register: unit_code and unit_uscc empty              (未匹配到单位社保编码)
    9  as 0 (kept free)

Everyone found holds an SS card. Pinned facts (the overrides file) still win over a scenario.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Final

from runtime.identity import InvalidIdentifier, make_id_number, make_uscc, validate_id_number

from .people import RESIDENT_ID, PersonFacts, recorded_name, retirement_date
from .units import Employer

SCENARIO_REGION: Final = "310199"


class Case(IntEnum):
    ORDINARY = 0
    NOT_FOUND = 1
    NAME_DIFFERS = 2
    MONTH_MISSING = 3
    DECEASED = 4
    NOT_WITHHOLDABLE = 5
    NOT_MEDICAL = 6
    NOT_RETIRED = 7
    NO_UNIT = 8
    SPARE = 9


def scenario_id_number(case: Case, birth: date, *, unit: int = 0, n: int = 0, male: bool = True) -> str:
    """A scenario number; `n` (0–4) tells apart people of the same case, unit, birth date and sex."""
    if not 0 <= unit <= 9 or not 0 <= n <= 4:
        raise ValueError("unit must be 0–9 and n 0–4")
    return make_id_number(SCENARIO_REGION, birth, 5 * (10 * int(case) + unit) + n, male)


def scenario_unit(slot: int) -> Employer:
    """The unit of slot 0–9: the same code and USCC under every seed."""
    return Employer(name=f"上海情景测试单位{slot}号有限公司", uscc=make_uscc(9_900_000 + slot), code=f"9900000{slot}")


def scenario_person(id_type: str, id_number: str, name: str, today: date) -> PersonFacts | None:
    """The facts of a scenario number, or None when the number is not one."""
    key = id_number.strip().upper()
    if id_type != RESIDENT_ID or not key.startswith(SCENARIO_REGION):
        return None
    try:
        info = validate_id_number(key, today=today)
    except InvalidIdentifier:
        return None  # not a valid number: the register does not know it either
    case, unit = Case(int(key[14])), scenario_unit(int(key[15]))
    if case is Case.NOT_FOUND:
        return PersonFacts(found=False)
    retired_on = retirement_date(info.birth_date, info.sex)
    retired = retired_on <= today and case is not Case.NOT_RETIRED
    month = f"{retired_on:%Y-%m}" if retired and case is not Case.MONTH_MISSING else None
    deceased = case is Case.DECEASED
    employed = case is Case.NOT_RETIRED
    return PersonFacts(
        found=True,
        name_on_record=recorded_name(name, case is Case.NAME_DIFFERS),
        retired=retired,
        retirement_month=month,
        employment_unit=unit.name if employed else "",
        employment_uscc=unit.uscc if employed else "",
        unit_code="" if case is Case.NO_UNIT else unit.code,
        unit_uscc="" if case is Case.NO_UNIT else unit.uscc,
        ss_card_held=True,
        medical_insured=case not in (Case.DECEASED, Case.NOT_MEDICAL),
        withholdable=retired and case not in (Case.MONTH_MISSING, Case.DECEASED, Case.NOT_WITHHOLDABLE),
        deceased=deceased,
    )
