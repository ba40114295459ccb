"""The insurer's files (建议清册, 社保在职人数): each column's rule, a key twice, the size limit."""

from __future__ import annotations

from datetime import date

import pytest

from enrollment.domain.mutual_aid.loads import (
    HeadcountEntry,
    HeadcountLine,
    SuggestedEntry,
    SuggestedLine,
    read_headcounts,
    read_suggested,
)
from enrollment.domain.mutual_aid.roster import Employment
from runtime.errors import InvalidInput
from runtime.identity import make_id_number

TODAY = date(2023, 6, 16)
WANG_ID = make_id_number("310101", date(1985, 5, 5), 3, male=False)


def codes(read) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    return [(p.row_no, p.column, p.code) for p in read.problems]


def test_a_suggested_row_is_taken_with_its_number_normalised():
    read = read_suggested(
        [
            SuggestedLine(2, " 王梅 ", f" {WANG_ID[:6]} {WANG_ID[6:].lower()} ", "00108537", "在职"),
            SuggestedLine(3, "JOHN SMITH", "e12345678", "ab-1", "-"),
            SuggestedLine(4, "李强", "H1234567", "00200001", "'-"),  # our own export's "-"
        ],
        TODAY,
    )
    assert read.problems == []
    assert read.entries == [
        SuggestedEntry(2, "王梅", WANG_ID, "00108537", Employment.EMPLOYED),
        SuggestedEntry(3, "JOHN SMITH", "E12345678", "AB-1", Employment.UNKNOWN),
        SuggestedEntry(4, "李强", "H1234567", "00200001", Employment.UNKNOWN),
    ]


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "suggested.id_number_required"),
        (WANG_ID[:17], "id_number.format"),  # digits only, 15–18 long: an ID card
        (WANG_ID[:-1] + ("1" if WANG_ID[-1] == "0" else "0"), "id_number.check_digit"),
        ("A1", "suggested.id_number_format"),
        ("护照123456", "suggested.id_number_format"),
    ],
)
def test_a_wrong_id_number_is_named(number: str, code: str):
    read = read_suggested([SuggestedLine(2, "王梅", number, "00108537", "在职")], TODAY)
    assert (read.entries, codes(read)) == ([], [(2, "证件号码", code)])


def test_every_problem_of_a_row_is_named_and_a_number_twice_takes_neither():
    read = read_suggested(
        [
            SuggestedLine(2, "", WANG_ID, "", "离职"),
            SuggestedLine(3, "甲" * 51, "E12345678", "0010 8537", "在职"),
            SuggestedLine(4, "王梅", "E7654321", "00108537", "在职"),
            SuggestedLine(5, "王梅", "e7654321", "00108538", "退休"),
        ],
        TODAY,
    )
    assert read.entries == []
    assert codes(read) == [
        (2, "姓名", "suggested.name_required"),
        (2, "单位社保编码", "suggested.unit_code_required"),
        (2, "职退状态", "suggested.employment_invalid"),
        (3, "姓名", "suggested.name_too_long"),
        (3, "单位社保编码", "suggested.unit_code_format"),
        (4, "证件号码", "suggested.id_number_repeated"),
        (5, "证件号码", "suggested.id_number_repeated"),
    ]
    assert read.problems[-1].reason == "证件号码与第4行重复"


def test_headcounts_are_whole_numbers_from_zero():
    read = read_headcounts(
        [
            HeadcountLine(2, "00108537", "上海卓远人力资源发展有限公司", "50"),
            HeadcountLine(3, "00108538", "", "0"),
            HeadcountLine(4, "00108539", "负数", "-1"),
            HeadcountLine(5, "00108540", "小数", "10.5"),
            HeadcountLine(6, "00108541", "太多", "10000000"),
            HeadcountLine(7, "00108542", "空", ""),
            HeadcountLine(8, "00108537", "重复", "3"),
        ]
    )
    assert read.entries == [HeadcountEntry(3, "00108538", "", 0)]
    assert codes(read) == [
        (2, "单位社保编码", "headcount.unit_code_repeated"),
        (4, "社保在职人数", "headcount.headcount_invalid"),
        (5, "社保在职人数", "headcount.headcount_invalid"),
        (6, "社保在职人数", "headcount.headcount_invalid"),
        (7, "社保在职人数", "headcount.headcount_required"),
        (8, "单位社保编码", "headcount.unit_code_repeated"),
    ]


def test_a_file_of_more_than_50000_rows_is_refused_whole():
    with pytest.raises(InvalidInput) as refused:
        read_headcounts([HeadcountLine(n, f"{n:08d}", "", "1") for n in range(2, 50_003)])
    assert (refused.value.code, refused.value.title) == (
        "load.too_many_rows", "单个文件最多50000行，超出请分多个文件逐个上传",
    )  # fmt: skip
