"""个人办卡: what the 申工社 channel must send."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cards.domain.applicants import Application, check_application
from runtime.errors import InvalidInput
from runtime.identity import make_id_number

TODAY = date(2026, 3, 2)
ID = make_id_number("310104", date(1990, 5, 6), 12, False)
GOOD = Application(
    name="𠮷田花子", id_type="身份证", id_number=ID.lower(), phone="13912345678", category="灵活就业类",
    work_unit="某某外卖平台", work_address="上海市徐汇区虹漕路88号", id_expiry=date(2030, 1, 1),
)  # fmt: skip


def test_a_resident_id_gives_birth_date_and_sex() -> None:
    a = check_application(GOOD, TODAY)
    assert (a.id_number, a.birth_date, a.gender, a.name) == (ID.upper(), date(1990, 5, 6), "女", "𠮷田花子")
    assert (a.id_expiry, a.id_long_term, a.nationality) == (date(2030, 1, 1), False, "中国")


def test_other_documents_need_gender_and_birth_date() -> None:
    passport = replace(GOOD, id_type="护照", id_number="e12345678", nationality="日本")
    with pytest.raises(InvalidInput) as caught:
        check_application(passport, TODAY)
    assert caught.value.code == "cards.gender_required"
    a = check_application(replace(passport, gender="女", birth_date=date(1988, 1, 2)), TODAY)
    assert (a.id_number, a.gender, a.nationality) == ("E12345678", "女", "日本")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"category": "关联企业类"}, "cards.personal_category"),
        ({"id_number": ID[:-1] + ("0" if ID[-1] != "0" else "1")}, "id_number.check_digit"),
        ({"id_type": "驾驶证"}, "cards.id_type_invalid"),
        ({"phone": "1391234567"}, "phone.format"),
        ({"work_address": "上海市徐汇"}, "cards.address_too_short"),
        ({"work_unit": "  "}, "cards.work_unit_required"),
        ({"name": ""}, "cards.name_required"),
        ({"id_expiry": date(2026, 3, 2)}, "cards.expiry_past"),
        ({"id_expiry": None}, "cards.expiry_required"),
    ],
)
def test_each_bad_field_is_named(change: dict[str, object], code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_application(replace(GOOD, **change), TODAY)  # type: ignore[arg-type]
    assert caught.value.code == code and caught.value.extra.get("field")
