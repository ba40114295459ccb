"""What one row of a roster must be to become a member: required cells, no formula-like text, a
valid document, phone and sex, a union in the uploader's scope, tags, and for 关联企业类 an address
a service card can use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from contracts.members import MemberCategory
from runtime.identity import InvalidIdentifier, mask_id_number, validate_mobile

from .documents import Document, InvalidDocument, check_document, parse_id_type
from .roster import (
    FORMULA_START,
    GENDERS,
    LABELS,
    MAX_LEN,
    MAX_TAGS,
    MIN_ADDRESS_LEN,
    NAME_FORBIDDEN,
    REQUIRED,
    UNION_CODE,
    Problems,
    RawRow,
    Rejection,
    split_tags,
)


@dataclass(frozen=True, slots=True)
class OrgPlace:
    org_id: int
    name: str
    path: str
    in_scope: bool  # whether the uploader's scope covers it


@dataclass(frozen=True, slots=True)
class Enterprise:
    """The covered enterprise a 关联企业类 file is linked to."""

    name: str
    uscc: str


@dataclass(frozen=True)
class ImportContext:
    category: MemberCategory
    orgs: Mapping[str, OrgPlace]  # by union code
    today: date
    enterprise: Enterprise | None = None


# Not frozen: one is made for every row of an import, and a frozen dataclass's __init__ costs three
# times as much (object.__setattr__ per field). Nothing changes it after check_row.
@dataclass(slots=True)
class ValidRow:
    row_no: int
    name: str
    document: Document
    phone: str
    gender: str
    birth_date: date | None
    org_id: int
    work_unit: str
    tags: tuple[str, ...]
    work_address: str


def check_row(row: RawRow, ctx: ImportContext) -> ValidRow | list[Rejection]:
    problems = Problems(row)
    _check_cells(row.cells, problems)
    if problems.found:
        return problems.found  # required or formula-like cells: the rest would only repeat them
    document = _document(row, ctx.today, problems)
    phone = _phone(row, problems)
    gender = _gender(row, document, problems)
    place = _union(row, ctx, problems)
    tags = _tags(row, problems)
    address = _address(row, ctx.category, problems)
    if problems.found or document is None or place is None:
        return problems.found
    cells = row.cells
    return ValidRow(
        row_no=row.row_no,
        name=cells["name"],
        document=document,
        phone=phone,
        gender=gender,
        birth_date=document.birth_date,
        org_id=place.org_id,
        work_unit=cells.get("work_unit") or (ctx.enterprise.name if ctx.enterprise else ""),
        tags=tags,
        work_address=address,
    )


# Every column's length limit (a column without one still stops at 10,000): a subscript per cell.
_LIMITS = {key: MAX_LEN.get(key, 10_000) for key in LABELS}


def _check_cells(cells: Mapping[str, str], problems: Problems) -> None:
    limits = _LIMITS
    for key, text in cells.items():
        if text.startswith(FORMULA_START):
            problems.add(key, "import.cell_formula", "单元格内容不能以 = + - @ 开头")
        elif len(text) > limits[key]:
            problems.add(key, "import.cell_too_long", f"{LABELS[key]}不能超过{limits[key]}个字")
    for key in REQUIRED:
        if not cells.get(key):
            problems.add(key, "import.required", f"{LABELS[key]}为必填项")
    name = cells.get("name", "")
    if NAME_FORBIDDEN.search(name) and not any(p.column == LABELS["name"] for p in problems.found):
        problems.add("name", "member.name_invalid", "姓名不能包含数字或控制字符")


def _document(row: RawRow, today: date, problems: Problems) -> Document | None:
    try:
        return check_document(parse_id_type(row.get("id_type")), row.get("id_number"), today)
    except InvalidDocument as exc:
        key = "id_type" if exc.code == "member.id_type_invalid" else "id_number"
        problems.add(key, exc.code, exc.message)
        return None


def _phone(row: RawRow, problems: Problems) -> str:
    try:
        return validate_mobile(row.get("phone").replace(" ", ""))
    except InvalidIdentifier as exc:
        problems.add("phone", exc.code, "手机号码格式不正确，应为11位手机号")
        return ""


def _gender(row: RawRow, document: Document | None, problems: Problems) -> str:
    gender = row.get("gender")
    if gender not in GENDERS:
        problems.add("gender", "member.gender_invalid", "性别应为“男”或“女”")
    elif document is not None and document.sex is not None and document.sex != gender:
        problems.add("gender", "member.gender_mismatch", f"性别与证件号码不符（证件号码显示为{document.sex}）")
    return gender


def _union(row: RawRow, ctx: ImportContext, problems: Problems) -> OrgPlace | None:
    code = row.get("union_code")
    if not UNION_CODE.fullmatch(code):
        problems.add("union_code", "import.union_code_format", "工会编号应为12位数字")
        return None
    place = ctx.orgs.get(code)
    if place is None:
        problems.add("union_code", "import.union_unknown", f"工会编号 {code} 不存在")
        return None
    if not place.in_scope:
        problems.add("union_code", "import.union_out_of_scope", f"工会编号 {code} 不在您的管理范围内")
        return None
    if row.get("union_name") != place.name:
        problems.add("union_name", "import.union_name_mismatch", f"所在工会与工会编号不符（该编号为“{place.name}”）")
        return None
    return place


def _tags(row: RawRow, problems: Problems) -> tuple[str, ...]:
    text = row.get("tags")
    if not text:
        return ()
    tags = split_tags(text)
    if len(tags) > MAX_TAGS or any(len(t) > 20 for t in tags):
        problems.add("tags", "import.tags_invalid", f"会员标签最多{MAX_TAGS}个，每个不超过20个字")
    return tags


def _address(row: RawRow, category: MemberCategory, problems: Problems) -> str:
    address = row.get("work_address")
    if category is MemberCategory.LINKED_ENTERPRISE and len(address) < MIN_ADDRESS_LEN:
        problems.add(
            "work_address", "import.address_too_short", f"关联企业类会员的工作单位地址不能少于{MIN_ADDRESS_LEN}个字"
        )
    return address


def member_elsewhere(row: ValidRow, union_name: str) -> Rejection:
    """A member of another union is not moved by an import: that is what a transfer is for."""
    return Rejection(
        row.row_no,
        LABELS["id_number"],
        "import.member_of_another_union",
        f"该人员已是“{union_name}”会员，请通过会员转移办理",
        row.name,
        mask_id_number(row.document.number),
    )
