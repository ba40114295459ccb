"""The overrides file: pins people and units; a bad file stops the adapter with a clear message."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from runtime.identity import make_id_number
from socialsec.register_file import RegisterFileError, load_pins, register_from
from socialsec.settings import SocialsecSettings

NUMBER = make_id_number("310104", date(1996, 5, 20), 7, True)


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "register.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def test_people_and_units_are_pinned_from_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            NUMBER: {"retired": True, "retirement_month": "2019-07", "unit_code": "00012345", "unit_uscc": "U1"},
            "units": {"U1": {"headcount": 40, "insured": 29}},
        },
    )
    register = register_from(SocialsecSettings(register_file=path))
    facts = register.person("身份证", NUMBER, "王晓明", date(2026, 3, 15))
    assert (facts.retired, facts.retirement_month) == (True, "2019-07")
    assert (facts.unit_code, facts.unit_uscc) == ("00012345", "U1")
    assert (register.unit("U1").headcount, register.unit("U1").insured) == (40, 29)


def test_a_bad_field_names_the_person_masked_and_the_rule(tmp_path: Path) -> None:
    path = write(tmp_path, {NUMBER: {"retirement_month": "2019-13"}})
    with pytest.raises(RegisterFileError) as caught:
        load_pins(path)
    assert "retirement_month" in str(caught.value) and NUMBER not in str(caught.value)
    assert NUMBER[:3] + "*" in str(caught.value)


@pytest.mark.parametrize(
    "content",
    ["{not json", [1, 2], {NUMBER: {"retierd": True}}, {"units": {"U1": {"headcount": 3, "insured": 4}}}],
)
def test_a_file_that_cannot_be_used_is_refused(tmp_path: Path, content: object) -> None:
    with pytest.raises(RegisterFileError):
        load_pins(write(tmp_path, content))
