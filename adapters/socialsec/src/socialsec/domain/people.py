"""A person on the simulated register, derived from the seed, the ID number and the name given.

Retirement follows the statutory ages as the platform checks them (men 60, women 50; the gradual
reform from 2025 is not modelled), plus a seeded share who retired up to five years early. Every
other fact is a seeded draw at the rates given; the same inputs always give the same person.
Everyone found is filed under a unit (单位社保编码 and USCC): the current employer of those employed,
the last one of everybody else. Scenario ID numbers (scenarios.py) skip the draws altogether.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from runtime.identity import InvalidIdentifier, validate_id_number

from .draws import draw
from .units import employer_of

DEFAULT_SEED: Final = "socialsec-reference"
RESIDENT_ID: Final = "身份证"
RETIREMENT_AGE: Final = {"男": 60, "女": 50}
EARLY_YEARS: Final = 5
# Names on record that differ from the one given: usually a homophone in the last character.
_HOMOPHONE_PAIRS: Final = (
    "明铭 华化 丽莉 伟炜 芳方 军君 静婧 敏闽 强蔷 磊垒 洋阳 艳燕 杰洁 娟鹃 涛滔 红虹 平萍 刚钢 玲琳 英瑛"
)
_HOMOPHONES: Final = {a: b for pair in _HOMOPHONE_PAIRS.split() for a, b in (pair, pair[::-1])}
_FALLBACK: Final = "伟芳娜敏静丽强磊军洋"


@dataclass(frozen=True)
class RegisterRates:
    not_found: float = 0.01
    name_differs: float = 0.02
    early_retirement: float = 0.05
    missing_retirement_month: float = 0.02
    deceased: float = 0.002
    employed: float = 0.9  # of those not retired
    ss_card: float = 0.95
    medical: float = 0.97
    withholdable: float = 0.9  # of living retirees


@dataclass(frozen=True)
class PersonFacts:
    found: bool
    name_on_record: str = ""
    retired: bool = False
    retirement_month: str | None = None  # YYYY-MM
    employment_unit: str = ""
    employment_uscc: str = ""
    unit_code: str = ""  # 单位社保编码 of the current or last employer
    unit_uscc: str = ""
    ss_card_held: bool = False
    medical_insured: bool = False
    withholdable: bool = False
    deceased: bool = False


def seeded_person(
    seed: str, rates: RegisterRates, id_type: str, id_number: str, name: str, today: date, *, always_found: bool = False
) -> PersonFacts:
    key = id_number.strip().upper()
    birth_and_sex = _birth_and_sex(id_type, key, today)
    if id_type == RESIDENT_ID and birth_and_sex is None and not always_found:
        return PersonFacts(found=False)  # no such resident ID number
    if draw(seed, "found", key) < rates.not_found and not always_found:
        return PersonFacts(found=False)
    retired, month = _retirement(seed, rates, key, birth_and_sex, today)
    deceased = draw(seed, "deceased", key) < rates.deceased
    employed = not retired and not deceased and draw(seed, "employed", key) < rates.employed
    unit = employer_of(seed, key)  # employed: the current employer; otherwise the last one
    return PersonFacts(
        found=True,
        name_on_record=recorded_name(name, draw(seed, "name", key) < rates.name_differs),
        retired=retired,
        retirement_month=month,
        employment_unit=unit.name if employed else "",
        employment_uscc=unit.uscc if employed else "",
        unit_code=unit.code,
        unit_uscc=unit.uscc,
        ss_card_held=draw(seed, "ss_card", key) < rates.ss_card,
        medical_insured=not deceased and draw(seed, "medical", key) < rates.medical,
        withholdable=retired and not deceased and draw(seed, "withholdable", key) < rates.withholdable,
        deceased=deceased,
    )


def retirement_date(birth: date, sex: str, *, early: bool = False) -> date:
    return _add_years(birth, RETIREMENT_AGE[sex] - (EARLY_YEARS if early else 0))


def recorded_name(name: str, differs: bool) -> str:
    if not differs or not name:
        return name
    last = name[-1]
    other = _HOMOPHONES.get(last) or next(ch for ch in _FALLBACK if ch != last)
    return name[:-1] + other


def _retirement(
    seed: str, rates: RegisterRates, key: str, birth_and_sex: tuple[date, str] | None, today: date
) -> tuple[bool, str | None]:
    if birth_and_sex is None:
        return False, None  # other documents carry no birth date the register could go by
    birth, sex = birth_and_sex
    retired_on = retirement_date(birth, sex)
    if retired_on > today:
        early = retirement_date(birth, sex, early=True)
        if early > today or draw(seed, "early", key) >= rates.early_retirement:
            return False, None
        retired_on = early
    missing = draw(seed, "month", key) < rates.missing_retirement_month
    return True, None if missing else f"{retired_on:%Y-%m}"


def _birth_and_sex(id_type: str, number: str, today: date) -> tuple[date, str] | None:
    if id_type != RESIDENT_ID:
        return None
    try:
        info = validate_id_number(number, today=today)
    except InvalidIdentifier:
        return None
    return info.birth_date, info.sex


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)
