"""The retiree roster template and phones (manual 003, 三(三) 1、添加参保人员): required cells, 出生日期 and 性别
for 非身份证, phones required, unique and ≥ 50 % valid."""

from __future__ import annotations

from datetime import date

import pytest

from enrollment.domain.retiree.template import TemplateRow, check_person, phone_of, read_rows
from enrollment.service.retiree import workbook
from runtime.errors import DomainError, InvalidInput
from runtime.identity import make_id_number

TODAY = date(2025, 5, 20)


def pid(n: int) -> str:
    return make_id_number("310101", date(1955, 3, 1), n, True)


def row(
    n: int, name: str, id_type: str, number: str, birth: str = "", gender: str = "", phone: str = ""
) -> TemplateRow:
    return TemplateRow(n, name, id_type, number, birth, gender, phone)


def test_the_manuals_two_sample_rows_are_taken():
    """王豆豆 身份证; 王豆 非身份证 1998-12-09 男 (birth date and gender required for it)."""
    read = read_rows([
        row(2, "王豆豆", "身份证", pid(1), phone="13900000001"),
        row(3, "王豆", "非身份证", "E12345678", "1998-12-09", "男", "13900000002"),
    ], TODAY, [], 0, 0, 50)  # fmt: skip
    assert read.problems == []
    assert [(p.name, p.id_type.value, p.birth_date, p.gender, p.phone_valid) for p in read.people] == [
        ("王豆豆", "身份证", date(1955, 3, 1), "男", True), ("王豆", "非身份证", date(1998, 12, 9), "男", True),
    ]  # fmt: skip


def test_required_cells_are_reported_by_row_and_column():
    """典型错误: 必填信息有“空”."""
    read = read_rows([
        row(2, "", "身份证", pid(1), phone="13900000001"),
        row(3, "李四", "身份证", pid(2), phone=""),
        row(4, "王五", "非身份证", "E1234567", "", "", "13900000003"),
        row(5, "赵六", "护照", "E7654321", phone="13900000004"),
        row(6, "孙七", "身份证", pid(3), phone="13900000005"),
    ], TODAY, [], 0, 0, 50)  # fmt: skip
    assert [(p.row_no, p.column, p.code) for p in read.problems] == [
        (2, "姓名", "template.name_required"), (3, "手机号", "template.phone_required"),
        (4, "出生日期", "template.birth_date_required"), (4, "性别", "template.gender_required"),
        (5, "证件类型", "template.id_type_invalid"),
    ]  # fmt: skip
    assert [p.name for p in read.people] == ["孙七"]


def test_phones_must_not_repeat_in_the_file_or_the_roster():
    """ "1、手机号不能重复": both rows of a repeated phone are refused, as is a phone already on the roster."""
    read = read_rows([
        row(2, "甲", "身份证", pid(1), phone="13900000001"),
        row(3, "乙", "身份证", pid(2), phone="139 0000 0001"),
        row(4, "丙", "身份证", pid(3), phone="13900000009"),
        row(5, "丁", "身份证", pid(4), phone="13900000004"),
    ], TODAY, ["13900000009"], 1, 1, 50)  # fmt: skip
    assert [(p.row_no, p.code, p.reason) for p in read.problems] == [
        (2, "template.phone_repeated", "手机号与第3行重复"), (3, "template.phone_repeated", "手机号与第2行重复"),
        (4, "template.phone_repeated", "手机号与名单中已有人员重复"),
    ]  # fmt: skip
    assert [p.name for p in read.people] == ["丁"]


def test_at_least_half_the_rosters_phones_must_be_valid():
    """ "2、手机号有效率需达到50%": invalid phones are kept but counted; a file leaving the roster below
    half valid is refused whole (导入失败)."""
    half = [row(2, "甲", "身份证", pid(1), phone="13900000001"), row(3, "乙", "身份证", pid(2), phone="021-64000000")]
    read = read_rows(half, TODAY, [], 0, 0, 50)
    assert [p.phone_valid for p in read.people] == [True, False]
    with pytest.raises(DomainError) as e:
        read_rows(half, TODAY, [], 0, 1, 50)  # the roster already holds one invalid phone: 1 of 3
    assert (e.value.code, e.value.extra) == ("roster.phones_invalid", {"valid": 1, "total": 3})
    assert phone_of(" 139 0000 0001 ") == ("13900000001", True)


def test_an_id_number_twice_in_the_file_takes_neither_row():
    read = read_rows([row(2, "甲", "身份证", pid(1), phone="13900000001"),
                      row(3, "乙", "身份证", pid(1), phone="13900000002")], TODAY, [], 0, 0, 50)  # fmt: skip
    assert [(p.row_no, p.code) for p in read.problems] == [(2, "template.id_number_repeated"),
                                                           (3, "template.id_number_repeated")]  # fmt: skip


def test_adding_one_person_refuses_the_first_problem():
    """新增参保人员: the same rules, one at a time."""
    assert check_person(row(0, "钱八", "身份证", pid(5), phone="13900000008"), TODAY).birth_date == date(1955, 3, 1)
    with pytest.raises(InvalidInput) as e:
        check_person(row(0, "钱八", "非身份证", "E1234567", "1950-01-01", "", "13900000008"), TODAY)
    assert e.value.code == "template.gender_required"


def test_the_template_file_reads_back():
    content = workbook.rows_of([("王豆豆", "身份证", pid(1), "", "", "13900000001"),
                                ("王豆", "非身份证", "E12345678", "1998-12-09", "男", "13900000002")])  # fmt: skip
    rows = workbook.read(content, 5000)
    assert [(r.row_no, r.name, r.birth_date, r.phone) for r in rows] == [
        (2, "王豆豆", "", "13900000001"), (3, "王豆", "1998-12-09", "13900000002"),
    ]  # fmt: skip
    with pytest.raises(DomainError) as e:
        workbook.read(workbook.template(), 5000)
    assert e.value.code == "import.empty"
