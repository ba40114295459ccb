"""The roster upload template (manual 002, 二(三) 方式三): the manual's two rows and each column's rule."""

from __future__ import annotations

from datetime import date

import pytest

from enrollment.domain.mutual_aid.template import IdType, Person, TemplateRow, read_row, read_rows
from runtime.errors import InvalidInput
from runtime.identity import make_id_number

TODAY = date(2023, 6, 16)
WANG_ID = make_id_number("310101", date(1990, 1, 1), 7, male=False)


def row(n: int = 2, **kw: str) -> TemplateRow:
    return TemplateRow(
        n, **({"name": "王豆豆", "id_type": "身份证", "id_number": WANG_ID, "has_social_security": "是"} | kw)
    )


def problems(result):  # type: ignore[no-untyped-def]
    assert not isinstance(result, Person), result
    return [(p.column, p.code) for p in result]


def test_the_manuals_sample_rows_are_taken():
    """王豆豆 身份证 … 是; 王豆 非身份证 1998-12-09 男 是."""
    read = read_rows(
        [
            row(2),
            TemplateRow(3, "王豆", "非身份证", "E12345678", "1998-12-09", "男", "", "是"),
        ],
        TODAY,
    )
    assert read.problems == []
    id_card, passport = read.people
    # an ID card gives birth date and sex from the number
    assert (id_card.id_type, id_card.birth_date, id_card.gender) == (IdType.ID_CARD, date(1990, 1, 1), "女")
    assert (passport.id_type, passport.birth_date, passport.gender) == (IdType.OTHER, date(1998, 12, 9), "男")
    assert passport.has_social_security and passport.phone is None


def test_birth_date_and_gender_are_required_for_non_id_documents():
    """ "证件类型为非身份证的（例如：护照、港澳台居住证等），出生日期和性别栏为必填项"."""
    result = read_row(row(id_type="非身份证", id_number="E12345678"), TODAY)
    assert problems(result) == [("出生日期", "template.birth_date_required"), ("性别", "template.gender_required")]
    bad_date = read_row(row(id_type="非身份证", id_number="E12345678", birth_date="1998/12/09", gender="男"), TODAY)
    assert problems(bad_date) == [("出生日期", "template.birth_date_invalid")]


def test_required_columns_and_their_values():
    result = read_row(TemplateRow(5), TODAY)
    assert problems(result) == [
        ("姓名", "template.name_required"),
        ("是否有社保", "template.social_security_required"),
        ("证件类型", "template.id_type_invalid"),
    ]
    assert problems(read_row(row(id_number=""), TODAY)) == [("证件号码", "template.id_number_required")]
    assert problems(read_row(row(has_social_security="有"), TODAY)) == [
        ("是否有社保", "template.social_security_required")
    ]


def test_id_numbers_and_phones_use_the_shared_validators():
    wrong_check = WANG_ID[:17] + ("0" if WANG_ID[17] != "0" else "1")
    assert problems(read_row(row(id_number=wrong_check), TODAY)) == [("证件号码", "id_number.check_digit")]
    assert problems(read_row(row(phone="1391111"), TODAY)) == [("手机号", "phone.format")]
    assert read_row(row(phone=" 13911112222 "), TODAY).phone == "13911112222"  # type: ignore[union-attr]


def test_the_same_number_twice_in_a_file_takes_neither_row():
    read = read_rows(
        [row(2), row(3, name="王梅"), row(4, id_number=make_id_number("310101", date(1990, 1, 1), 8, True))], TODAY
    )
    assert [p.row_no for p in read.people] == [4]
    assert [(p.row_no, p.code, p.reason) for p in read.problems] == [
        (2, "template.id_number_repeated", "证件号码与第3行重复"),
        (3, "template.id_number_repeated", "证件号码与第2行重复"),
    ]


def test_at_most_5000_rows_per_file():
    """ "单个模板导入上限5000人，超出请分多个文件逐个上传"."""
    with pytest.raises(InvalidInput) as refused:
        read_rows([row(n) for n in range(2, 5003)], TODAY)
    assert refused.value.code == "template.too_many_rows"
