"""The member roster file (批量导入 / 会员比对 template): its columns, reading its cells, and how a
problem with a row is reported — the Excel row number, the column as the clerk sees it and a
Chinese reason. The rules themselves are in `rows` (one row) and `file_rules` (the whole file).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from runtime.identity import mask_id_number

from .documents import normalise_number

# (key, header as in the template); a trailing * marks a required column. The address stays last:
# the manual tells clerks to look for it there.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "姓名*"),
    ("id_type", "证件类型*"),
    ("id_number", "证件号码*"),
    ("phone", "手机号码*"),
    ("gender", "性别*"),
    ("union_name", "所在工会*"),
    ("union_code", "工会编号*"),
    ("work_unit", "工作单位/服务平台"),
    ("tags", "会员标签"),
    ("work_address", "工作单位地址"),
)
LABELS = {key: header.rstrip("*") for key, header in COLUMNS}
REQUIRED = tuple(key for key, header in COLUMNS if header.endswith("*"))

FLEXIBLE_TAGS = (
    "快递物流", "网约送餐", "房屋中介", "护工护理", "货运驾驶", "物业保安",
    "商场信息", "家政服务", "工地短工", "农业临工", "保洁环卫", "街面雇员",
)  # fmt: skip
OTHER_TAGS = ("企业外入会人员", "劳务派遣", "外包工")
GENDERS = ("男", "女")
MIN_ADDRESS_LEN = 6  # a service card needs the work-unit address (manual: 不少于6个字)
MAX_TAGS = 5
FORMULA_START = ("=", "+", "-", "@")
NAME_FORBIDDEN = re.compile(r"[0-9０-９\x00-\x1f]")
TAG_SPLIT = re.compile(r"[、,，;；\s]+")
UNION_CODE = re.compile(r"[0-9]{12}")
MAX_LEN = {"name": 50, "work_unit": 100, "work_address": 200, "union_name": 100}


class FileRejected(Exception):
    """The whole file is refused (its header, its size, its data type): nothing in it is stored."""

    def __init__(self, code: str, message: str, rejections: Sequence[Rejection] = ()) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.rejections = code, message, list(rejections)

    def __reduce__(self) -> tuple[type[FileRejected], tuple[str, str, list[Rejection]]]:
        return FileRejected, (self.code, self.message, self.rejections)  # it crosses from the row checker


@dataclass(frozen=True, slots=True)
class Rejection:
    row_no: int
    column: str
    code: str
    reason: str
    name: str = ""
    id_number_masked: str = ""


@dataclass(frozen=True, slots=True)
class RawRow:
    row_no: int  # as Excel numbers it: the header is row 1
    cells: Mapping[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "")


# --- reading cells --------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: numbers typed into text columns lose their '.0', dates become ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def header_keys(header: Sequence[Any]) -> dict[int, str]:
    """Column index → key, by the header's text; refuses a file that lacks a required column."""
    found: dict[int, str] = {}
    for index, value in enumerate(header):
        text = cell_text(value).replace("*", "").replace(" ", "")
        for key, label in LABELS.items():
            # "证件类型(身份证)" in older copies of the template still means 证件类型
            if key not in found.values() and text.startswith(label):
                found[index] = key
                break
    missing = [LABELS[k] for k in REQUIRED if k not in found.values()]
    if missing:
        raise FileRejected("import.bad_header", f"文件缺少必填列：{'、'.join(missing)}，请使用下载的模板")
    return found


def raw_rows(rows: Iterable[Sequence[Any]], keys: Mapping[int, str]) -> list[RawRow]:
    """Data rows (after the header) as text, skipping blank lines; Excel numbering kept."""
    out = []
    pairs = tuple(keys.items())
    last = max(keys, default=-1)
    for offset, row in enumerate(rows):
        if len(row) > last:  # every row of a full-width sheet: _text inlined, this runs for every cell
            cells = {key: v.strip() if (v := row[i]).__class__ is str else cell_text(v) for i, key in pairs}
        else:
            width = len(row)
            cells = {key: _text(row[i]) if i < width else "" for i, key in pairs}
        if any(cells.values()):
            out.append(RawRow(offset + 2, cells))
    return out


def _text(value: Any) -> str:
    # nearly every cell is already text: skip cell_text's checks for it
    return value.strip() if value.__class__ is str else cell_text(value)


class Problems:
    """The rejections found for one row so far (a plain class: one is made for every row)."""

    __slots__ = ("found", "row")

    def __init__(self, row: RawRow) -> None:
        self.row = row
        self.found: list[Rejection] = []

    def add(self, key: str, code: str, reason: str) -> None:
        masked = mask_id_number(normalise_number(self.row.get("id_number")))
        self.found.append(Rejection(self.row.row_no, LABELS[key], code, reason, self.row.get("name"), masked))


def split_tags(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in TAG_SPLIT.split(text) if t))
