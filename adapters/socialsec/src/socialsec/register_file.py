"""The register overrides file (SOCIALSEC_REGISTER_FILE): facts pinned per ID number and figures
pinned per unit, read once when the adapter starts.

    {
      "310104196001012013": {"retired": true, "retirement_month": "2020-01", "name_on_record": "张三",
                             "unit_code": "00012345", "unit_uscc": "913100000E7FE1000E"},
      "units": {"913100000E7FE1000E": {"headcount": 40, "insured": 29}}
    }

Any field of PersonFacts may be pinned; the rest stay as the seed makes them. A pinned person is on
the register unless `"found": false` is pinned.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from runtime.identity import mask_id_number

from .domain.register import Register
from .domain.units import UnitInsured
from .settings import SocialsecSettings

UNITS_KEY = "units"


class RegisterFileError(ValueError):
    """The overrides file cannot be used: the adapter refuses to start rather than answer wrongly."""


class PinnedPerson(BaseModel):
    model_config = ConfigDict(extra="forbid")

    found: bool = True
    name_on_record: str = ""
    retired: bool = False
    retirement_month: str | None = Field(None, pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")
    employment_unit: str = ""
    employment_uscc: str = ""
    unit_code: str = Field("", max_length=20)
    unit_uscc: str = ""
    ss_card_held: bool = False
    medical_insured: bool = False
    withholdable: bool = False
    deceased: bool = False


class PinnedUnit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    headcount: int = Field(ge=0)
    insured: int = Field(ge=0)

    @model_validator(mode="after")
    def _insured_within_headcount(self) -> PinnedUnit:
        if self.insured > self.headcount:
            raise ValueError("insured exceeds headcount")
        return self


def register_from(settings: SocialsecSettings) -> Register:
    people, units = load_pins(settings.register_file) if settings.register_file else ({}, {})
    return Register(settings.seed, settings.rates(), people, units)


def load_pins(path: Path) -> tuple[dict[str, dict[str, Any]], dict[str, UnitInsured]]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RegisterFileError(f"{path}: {type(exc).__name__}: {exc}") from None
    if not isinstance(raw, dict):
        raise RegisterFileError(f"{path}: expected a JSON object of ID number -> facts")
    units = {uscc: _unit(path, uscc, facts) for uscc, facts in (raw.pop(UNITS_KEY, None) or {}).items()}
    return {number: _person(path, number, facts) for number, facts in raw.items()}, units


def _person(path: Path, number: str, facts: Any) -> dict[str, Any]:
    try:
        return PinnedPerson.model_validate(facts).model_dump(exclude_unset=True)
    except ValidationError as exc:
        # The ID number is masked: this message ends up in the log.
        raise RegisterFileError(f"{path}: {mask_id_number(number)}: {_fields(exc)}") from None


def _unit(path: Path, uscc: str, facts: Any) -> UnitInsured:
    try:
        pinned = PinnedUnit.model_validate(facts)
    except ValidationError as exc:
        raise RegisterFileError(f"{path}: unit {uscc}: {_fields(exc)}") from None
    return UnitInsured(uscc=uscc, headcount=pinned.headcount, insured=pinned.insured)


def _fields(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors())
