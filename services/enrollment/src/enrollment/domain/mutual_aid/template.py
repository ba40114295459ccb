"""The roster upload template (参保名单导入模板) — manual 002, 二(三) 形成参保名单 方式三.

Columns: *姓名, *证件类型 (身份证、非身份证), *证件号码, 出生日期 (非身份证类型为必填, 格式例如 1990-01-01),
性别 (非身份证类型为必填), 手机号, *是否有社保. "证件类型为非身份证的（例如：护照、港澳台居住证等），出生日期和
性别栏为必填项"; for an ID card both come from the number. "单个模板导入上限5000人，超出请分多个文件逐个上传."
Every problem of a row is reported with its Excel row number (the header is row 1), the column as the
clerk sees it, a stable code and a Chinese reason; a row with a problem is not taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from runtime.errors import InvalidInput
from runtime.identity import InvalidIdentifier, validate_id_number, validate_mobile

MAX_ROWS = 5000  # the legacy system's limit per file
MAX_NAME = 50
GENDERS = ("男", "女")
YES_NO = {"是": True, "否": False}
OTHER_NUMBER = re.compile(r"[A-Z0-9]{5,20}")  # passports, permits, residence cards: letters and digits
BIRTH_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

_Report = Callable[[str, str, str], None]  # (column, code, reason) of the row being read


class IdType(StrEnum):
    ID_CARD = "身份证"
    OTHER = "非身份证"


@dataclass(frozen=True)
class TemplateRow:
    """A row as read from the file: cell texts, empty when blank."""

    row_no: int
    name: str = ""
    id_type: str = ""
    id_number: str = ""
    birth_date: str = ""
    gender: str = ""
    phone: str = ""
    has_social_security: str = ""


@dataclass(frozen=True)
class Person:
    """A row taken into the roster."""

    row_no: int
    name: str
    id_type: IdType
    id_number: str
    birth_date: date
    gender: str
    phone: str | None
    has_social_security: bool


@dataclass(frozen=True)
class RowProblem:
    row_no: int
    column: str
    code: str
    reason: str


@dataclass(frozen=True)
class Read:
    people: list[Person] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def check_size(rows: int, max_rows: int = MAX_ROWS) -> None:
    if rows > max_rows:
        raise InvalidInput(
            "template.too_many_rows", f"单个模板导入上限{max_rows}人，超出请分多个文件逐个上传", rows=rows
        )


def read_rows(rows: Sequence[TemplateRow], today: date, max_rows: int = MAX_ROWS) -> Read:
    """Check every row; the same 证件号码 twice in one file takes neither (which one is right is unknown)."""
    check_size(len(rows), max_rows)
    read = Read()
    checked = [(row, read_row(row, today)) for row in rows]
    seen: dict[str, list[int]] = {}
    for _, result in checked:
        if isinstance(result, Person):
            seen.setdefault(result.id_number, []).append(result.row_no)
    for row, result in checked:
        if isinstance(result, Person) and len(seen[result.id_number]) > 1:
            others = "、".join(str(n) for n in seen[result.id_number] if n != row.row_no)
            read.problems.append(
                RowProblem(row.row_no, "证件号码", "template.id_number_repeated", f"证件号码与第{others}行重复")
            )
        elif isinstance(result, Person):
            read.people.append(result)
        else:
            read.problems.extend(result)
    return read


def read_row(row: TemplateRow, today: date) -> Person | list[RowProblem]:
    problems: list[RowProblem] = []

    def problem(column: str, code: str, reason: str) -> None:
        problems.append(RowProblem(row.row_no, column, code, reason))

    name = row.name.strip()
    if not name:
        problem("姓名", "template.name_required", "姓名不能为空")
    elif len(name) > MAX_NAME:
        problem("姓名", "template.name_too_long", f"姓名不能超过{MAX_NAME}字")
    has_ss = YES_NO.get(row.has_social_security.strip())
    if has_ss is None:
        problem("是否有社保", "template.social_security_required", "是否有社保应填“是”或“否”")
    phone = row.phone.strip() or None
    if phone is not None:
        try:
            phone = validate_mobile(phone)
        except InvalidIdentifier as bad:
            problem("手机号", bad.code, bad.message)
    document = _document(row, today, problem)
    if problems or document is None or has_ss is None:
        return problems
    id_type, number, birth, gender = document
    return Person(row.row_no, name, id_type, number, birth, gender, phone, has_ss)


def _document(row: TemplateRow, today: date, problem: _Report) -> tuple[IdType, str, date, str] | None:
    id_type = {t.value: t for t in IdType}.get(row.id_type.strip())
    number = "".join(row.id_number.split()).upper()
    if id_type is None:
        problem("证件类型", "template.id_type_invalid", "证件类型应为“身份证”或“非身份证”")
        return None
    if not number:
        problem("证件号码", "template.id_number_required", "证件号码不能为空")
        return None
    if id_type is IdType.ID_CARD:
        try:
            info = validate_id_number(number, today=today)
        except InvalidIdentifier as bad:
            problem("证件号码", bad.code, bad.message)
            return None
        return id_type, info.number, info.birth_date, info.sex
    if not OTHER_NUMBER.fullmatch(number):
        problem("证件号码", "template.id_number_format", "非身份证的证件号码应为5–20位字母或数字")
    birth = _birth_date(row.birth_date.strip(), today, problem)
    gender = row.gender.strip()
    if gender not in GENDERS:
        problem("性别", "template.gender_required", "证件类型为非身份证的，性别为必填项（男或女）")
        return None
    if birth is None or not OTHER_NUMBER.fullmatch(number):
        return None
    return id_type, number, birth, gender


def _birth_date(text: str, today: date, problem: _Report) -> date | None:
    if not text:
        problem(
            "出生日期", "template.birth_date_required", "证件类型为非身份证的，出生日期为必填项（格式例如1990-01-01）"
        )
        return None
    match = BIRTH_DATE.fullmatch(text)
    try:
        birth = date(*(int(g) for g in match.groups())) if match else None
    except ValueError:
        birth = None
    if birth is None or not date(1900, 1, 1) <= birth <= today:
        problem("出生日期", "template.birth_date_invalid", "出生日期无效，格式例如1990-01-01")
        return None
    return birth
