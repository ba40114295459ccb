"""The insurer's two loads of a year, as files (manual 002, 清册校验: "根据职保会提供的建议清册", "单位社保编码的
参保人数/社保在职人数"):

- 建议清册: 姓名, 证件号码, 单位社保编码, 职退状态 (在职 / 退休 / - unknown) — the social-security name and unit of
  each ID number that 清册校验 matches rosters against;
- 社保在职人数: 单位社保编码, 单位名称, 社保在职人数 — the denominator of 单位社保比例校验.

A file is taken whole or not at all: one wrong row and nothing is loaded, and every wrong row is answered
with its Excel row number (the header is row 1), the column, a stable code and a Chinese reason, so the
clerk fixes the file once. A key twice in one file is refused on every row that has it (which one is
right is unknown); loading a key again later replaces what the earlier load said.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, Protocol, TypeVar

from runtime.errors import InvalidInput
from runtime.identity import InvalidIdentifier, validate_id_number

from .roster import Employment
from .template import OTHER_NUMBER, RowProblem

MAX_ROWS = 50_000  # per file; a bigger roster is loaded as several files (each replaces its own people)
MAX_NAME, MAX_UNIT_CODE, MAX_UNIT_NAME = 50, 20, 100
MAX_HEADCOUNT = 9_999_999
SUGGESTED_COLUMNS = ("姓名", "证件号码", "单位社保编码", "职退状态")
HEADCOUNT_COLUMNS = ("单位社保编码", "单位名称", "社保在职人数")
# A resident ID number: digits only (an X last), 15–18 long — anything else is another document's number.
ID_CARD_LIKE = re.compile(r"[0-9]{14,17}[0-9X]")
UNIT_CODE = re.compile(r"[0-9A-Z-]+")
HEADCOUNT = re.compile(r"[0-9]+")

_Report = Callable[[str, str, str], None]  # (column, code, reason) of the row being read


class _Numbered(Protocol):
    @property
    def row_no(self) -> int: ...


T = TypeVar("T")
N = TypeVar("N", bound=_Numbered)


@dataclass(frozen=True)
class SuggestedLine:
    """A 建议清册 row as read from the file: cell texts, empty when blank."""

    row_no: int
    name: str = ""
    id_number: str = ""
    unit_code: str = ""
    employment: str = ""


@dataclass(frozen=True)
class SuggestedEntry:
    row_no: int
    name: str
    id_number: str
    unit_code: str
    employment: Employment


@dataclass(frozen=True)
class HeadcountLine:
    """A 社保在职人数 (or retiree 退休人数) row as read from the file."""

    row_no: int
    unit_code: str = ""
    unit_name: str = ""
    headcount: str = ""


@dataclass(frozen=True)
class HeadcountEntry:
    row_no: int
    unit_code: str
    unit_name: str
    headcount: int


@dataclass(frozen=True)
class Loaded(Generic[T]):
    entries: list[T] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def check_rows(rows: int, max_rows: int = MAX_ROWS) -> None:
    if rows > max_rows:
        raise InvalidInput("load.too_many_rows", f"单个文件最多{max_rows}行，超出请分多个文件逐个上传", rows=rows)


def read_suggested(lines: Sequence[SuggestedLine], today: date) -> Loaded[SuggestedEntry]:
    check_rows(len(lines))
    read: Loaded[SuggestedEntry] = Loaded()
    checked = [suggested_entry(line, today) for line in lines]
    entries = [e for e in checked if isinstance(e, SuggestedEntry)]
    repeated = _repeats(entries, lambda e: e.id_number)
    for result in checked:
        if isinstance(result, SuggestedEntry) and result.row_no in repeated:
            others = repeated[result.row_no]
            read.problems.append(
                RowProblem(result.row_no, "证件号码", "suggested.id_number_repeated", f"证件号码与第{others}行重复")
            )
        elif isinstance(result, SuggestedEntry):
            read.entries.append(result)
        else:
            read.problems.extend(result)
    return read


def suggested_entry(line: SuggestedLine, today: date) -> SuggestedEntry | list[RowProblem]:
    problems: list[RowProblem] = []

    def problem(column: str, code: str, reason: str) -> None:
        problems.append(RowProblem(line.row_no, column, code, reason))

    name = line.name.strip()
    if not name:
        problem("姓名", "suggested.name_required", "姓名不能为空")
    elif len(name) > MAX_NAME:
        problem("姓名", "suggested.name_too_long", f"姓名不能超过{MAX_NAME}字")
    number = "".join(line.id_number.split()).upper()
    if not number:
        problem("证件号码", "suggested.id_number_required", "证件号码不能为空")
    elif ID_CARD_LIKE.fullmatch(number):
        try:
            number = validate_id_number(number, today=today).number
        except InvalidIdentifier as bad:
            problem("证件号码", bad.code, bad.message)
    elif not OTHER_NUMBER.fullmatch(number):
        reason = "证件号码应为18位身份证号码，或5–20位字母、数字的其他证件号码"
        problem("证件号码", "suggested.id_number_format", reason)
    unit_code = _unit_code(line.unit_code, problem)
    # our exports write "-" as "'-" (never a formula): a file exported and loaded again reads the same
    employment = {e.value: e for e in Employment}.get(line.employment.strip().removeprefix("'"))
    if employment is None:
        problem("职退状态", "suggested.employment_invalid", "职退状态应填“在职”、“退休”或“-”（未知）")
    if problems or employment is None or unit_code is None:
        return problems
    return SuggestedEntry(line.row_no, name, number, unit_code, employment)


def read_headcounts(lines: Sequence[HeadcountLine], label: str = "社保在职人数") -> Loaded[HeadcountEntry]:
    """`label` names the count column: 社保在职人数 (mutual aid) or 退休人数 (the retiree plan's 社保人数)."""
    check_rows(len(lines))
    read: Loaded[HeadcountEntry] = Loaded()
    checked = [headcount_entry(line, label) for line in lines]
    repeated = _repeats([e for e in checked if isinstance(e, HeadcountEntry)], lambda e: e.unit_code)
    for result in checked:
        if isinstance(result, HeadcountEntry) and result.row_no in repeated:
            others = repeated[result.row_no]
            read.problems.append(
                RowProblem(
                    result.row_no, "单位社保编码", "headcount.unit_code_repeated", f"单位社保编码与第{others}行重复"
                )
            )
        elif isinstance(result, HeadcountEntry):
            read.entries.append(result)
        else:
            read.problems.extend(result)
    return read


def headcount_entry(line: HeadcountLine, label: str = "社保在职人数") -> HeadcountEntry | list[RowProblem]:
    problems: list[RowProblem] = []

    def problem(column: str, code: str, reason: str) -> None:
        problems.append(RowProblem(line.row_no, column, code, reason))

    unit_code = _unit_code(line.unit_code, problem, prefix="headcount")
    unit_name = line.unit_name.strip()
    if len(unit_name) > MAX_UNIT_NAME:
        problem("单位名称", "headcount.unit_name_too_long", f"单位名称不能超过{MAX_UNIT_NAME}字")
    text = line.headcount.strip()
    headcount = int(text) if HEADCOUNT.fullmatch(text) and int(text) <= MAX_HEADCOUNT else None
    if not text:
        problem(label, "headcount.headcount_required", f"{label}不能为空")
    elif headcount is None:
        problem(label, "headcount.headcount_invalid", f"{label}应为不小于0的整数")
    if problems or unit_code is None or headcount is None:
        return problems
    return HeadcountEntry(line.row_no, unit_code, unit_name, headcount)


def _unit_code(text: str, problem: _Report, prefix: str = "suggested") -> str | None:
    code = text.strip().upper()
    if not code:
        problem("单位社保编码", f"{prefix}.unit_code_required", "单位社保编码不能为空")
        return None
    if len(code) > MAX_UNIT_CODE or not UNIT_CODE.fullmatch(code):
        problem("单位社保编码", f"{prefix}.unit_code_format", f"单位社保编码应为不超过{MAX_UNIT_CODE}位的数字或字母")
        return None
    return code


def _repeats(entries: Sequence[N], key: Callable[[N], str]) -> dict[int, str]:
    """Row number → the other rows with the same key, for every row whose key is in the file twice."""
    rows: dict[str, list[int]] = {}
    for e in entries:
        rows.setdefault(key(e), []).append(e.row_no)
    return {n: "、".join(str(m) for m in same if m != n) for same in rows.values() if len(same) > 1 for n in same}
