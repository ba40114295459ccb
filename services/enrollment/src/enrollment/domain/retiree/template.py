"""The retiree roster template (参保名单导入模板) and phones — manual 003, 三(三) 梳理参保名单 1、添加参保人员.

Columns: *姓名, *证件类型 (身份证、非身份证), *证件号码, 出生日期 (非身份证类型为必填, 格式例如 1990-01-01),
性别 (非身份证类型为必填), *手机号 (有效手机号需达到50%以上). "1、手机号不能重复；2、手机号有效率需达到50%";
typical 导入失败: a required cell empty, a repeated phone, fewer than 50 % valid phones. A phone is required
but need not be a valid mobile number: the roster as a whole must hold at least half valid ones, so a
file that would leave the roster below that is refused whole. The ID-number and birth-date rules are
the mutual-aid template's (`domain.mutual_aid.template`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from runtime.errors import DomainError, InvalidInput
from runtime.identity import InvalidIdentifier, validate_mobile

from ..mutual_aid.template import MAX_NAME, IdType, RowProblem, check_size
from ..mutual_aid.template import _document as document  # the shared 证件类型 / 证件号码 / 出生日期 / 性别 rules

MAX_ROWS = 5000
MAX_PHONE = 20


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


@dataclass(frozen=True)
class Person:
    row_no: int
    name: str
    id_type: IdType
    id_number: str
    birth_date: date
    gender: str
    phone: str
    phone_valid: bool


@dataclass(frozen=True)
class Read:
    people: list[Person] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def phone_of(text: str) -> tuple[str, bool]:
    """The phone as kept and whether it is a valid mobile number."""
    phone = "".join(text.split())
    try:
        return validate_mobile(phone), True
    except InvalidIdentifier:
        return phone, False


def valid_share_ok(valid: int, total: int, min_pct: int) -> bool:
    return total == 0 or Fraction(valid, total) >= Fraction(min_pct, 100)


def check_phone_share(valid: int, total: int, min_pct: int) -> None:
    """手机号有效率需达到50%."""
    if not valid_share_ok(valid, total, min_pct):
        raise DomainError(
            "roster.phones_invalid",
            f"有效手机号未达到{min_pct}%（{valid}/{total}），请修改手机号后重新导入",
            valid=valid,
            total=total,
        )


def read_rows(
    rows: Sequence[TemplateRow], today: date, roster_phones: Iterable[str], roster_valid: int, roster_total: int,
    min_valid_pct: int, max_rows: int = MAX_ROWS,
) -> Read:  # fmt: skip
    """Check every row; an ID number or a phone twice in the file takes neither row, a phone already on
    the roster is refused; then the roster after the file must keep ≥ `min_valid_pct` % valid phones."""
    check_size(len(rows), max_rows)
    checked = [(row, read_row(row, today)) for row in rows]
    taken = [r for _, r in checked if isinstance(r, Person)]
    ids = _rows_by(taken, lambda p: p.id_number)
    phones = _rows_by(taken, lambda p: p.phone)
    on_roster = set(roster_phones)
    read = Read()
    for _, result in checked:
        if not isinstance(result, Person):
            read.problems.extend(result)
            continue
        if len(ids[result.id_number]) > 1:
            read.problems.append(_repeat(result, "证件号码", "template.id_number_repeated", ids[result.id_number]))
        elif len(phones[result.phone]) > 1:
            read.problems.append(_repeat(result, "手机号", "template.phone_repeated", phones[result.phone]))
        elif result.phone in on_roster:
            read.problems.append(
                RowProblem(result.row_no, "手机号", "template.phone_repeated", "手机号与名单中已有人员重复")
            )
        else:
            read.people.append(result)
    valid = roster_valid + sum(1 for p in read.people if p.phone_valid)
    check_phone_share(valid, roster_total + len(read.people), min_valid_pct)
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
    phone, valid = phone_of(row.phone)
    if not phone:
        problem("手机号", "template.phone_required", "手机号不能为空")
    elif len(phone) > MAX_PHONE:
        problem("手机号", "template.phone_too_long", f"手机号不能超过{MAX_PHONE}位")
    found = document(row, today, problem)  # type: ignore[arg-type]  # reads id_type … gender, as the row has them
    if problems or found is None:
        return problems
    id_type, number, birth, gender = found
    return Person(row.row_no, name, id_type, number, birth, gender, phone, valid)


def check_person(row: TemplateRow, today: date) -> Person:
    """新增参保人员 / 编辑: one person, the first problem refused as the import would report it."""
    result = read_row(row, today)
    if isinstance(result, list):
        first = result[0]
        raise InvalidInput(first.code, first.reason, column=first.column)
    return result


def _rows_by(people: Sequence[Person], key) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    found: dict[str, list[int]] = {}
    for p in people:
        found.setdefault(key(p), []).append(p.row_no)
    return found


def _repeat(person: Person, column: str, code: str, rows: list[int]) -> RowProblem:
    others = "、".join(str(n) for n in rows if n != person.row_no)
    return RowProblem(person.row_no, column, code, f"{column}与第{others}行重复")
