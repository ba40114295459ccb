from __future__ import annotations

from datetime import date

import pytest

from members.domain.documents import IdType, InvalidDocument, check_document, parse_id_type
from runtime.identity import make_id_number

TODAY = date(2025, 6, 1)


def test_a_resident_id_gives_birth_date_and_sex() -> None:
    number = make_id_number("310104", date(1990, 5, 6), 12, False)
    doc = check_document(IdType.RESIDENT_ID, f" {number[:6]} {number[6:].lower()} ", TODAY)
    assert (doc.number, doc.birth_date, doc.sex) == (number, date(1990, 5, 6), "女")


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "member.id_number_required"),
        ("31010419900506123", "id_number.format"),  # 17 characters
        ("310104199013061234", "id_number.birth_date"),  # month 13
        ("310104203001010010", "id_number.birth_date"),  # born after today
    ],
)
def test_bad_resident_ids_are_refused_with_their_reason(number: str, code: str) -> None:
    with pytest.raises(InvalidDocument) as caught:
        check_document(IdType.RESIDENT_ID, number, TODAY)
    assert caught.value.code == code and caught.value.message


def test_a_wrong_check_digit_is_named() -> None:
    number = make_id_number("310104", date(1990, 5, 6), 12, True)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(InvalidDocument, match="校验位"):
        check_document(IdType.RESIDENT_ID, wrong, TODAY)


@pytest.mark.parametrize(
    ("id_type", "good", "bad"),
    [
        (IdType.PASSPORT, "E12345678", "E12-34"),
        (IdType.HK_MACAO_PERMIT, "H12345678", "X12345678"),
        (IdType.HK_MACAO_PERMIT, "M1234567801", "M123456"),
        (IdType.TAIWAN_PERMIT, "12345678", "1234567X"),
        (IdType.FOREIGN_PERMANENT_RESIDENT, "USA310119650101", "US3101196501"),
    ],
)
def test_other_documents_follow_their_layouts(id_type: IdType, good: str, bad: str) -> None:
    doc = check_document(id_type, good.lower(), TODAY)
    assert doc.number == good and doc.birth_date is None and doc.sex is None
    with pytest.raises(InvalidDocument) as caught:
        check_document(id_type, bad, TODAY)
    assert caught.value.code == "member.id_number_format"


def test_eighteen_character_permits_carry_a_check_digit_birth_date_and_sex() -> None:
    residence = make_id_number("810000", date(1985, 2, 3), 5, True)
    doc = check_document(IdType.HK_MACAO_TAIWAN_RESIDENCE, residence, TODAY)
    assert (doc.birth_date, doc.sex) == (date(1985, 2, 3), "男")
    with pytest.raises(InvalidDocument):
        check_document(IdType.HK_MACAO_TAIWAN_RESIDENCE, residence[:-1] + ("1" if residence[-1] == "0" else "0"), TODAY)
    foreign = make_id_number("931840", date(1979, 12, 1), 3, False)
    assert check_document(IdType.FOREIGN_PERMANENT_RESIDENT, foreign, TODAY).sex == "女"


def test_id_types_are_the_listed_ones() -> None:
    assert parse_id_type(" 护照 ") is IdType.PASSPORT
    with pytest.raises(InvalidDocument) as caught:
        parse_id_type("军官证")
    assert caught.value.code == "member.id_type_invalid" and "身份证" in caught.value.message
