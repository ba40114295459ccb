"""Org info rules: what an org record must satisfy, and when an org may be deleted."""

from __future__ import annotations

import re
from collections.abc import Callable

from contracts.org import OrgKind
from runtime.errors import DomainError, InvalidInput
from runtime.identity import InvalidIdentifier, validate_mobile, validate_uscc

UNION_CODE = re.compile(r"^\d{12}$")


def check_uscc(value: str | None) -> str | None:
    return _optional(validate_uscc, value, "uscc")


def check_phone(value: str | None) -> str | None:
    return _optional(validate_mobile, value, "contact_phone")


def _optional(validate: Callable[[str], str], value: str | None, field: str) -> str | None:
    """An optional identifier: empty stays empty; anything given must be valid."""
    if not value:
        return None
    try:
        return validate(value)
    except InvalidIdentifier as exc:
        raise InvalidInput(exc.code, exc.message, field=field) from None


def check_union_code(value: str) -> str:
    if not UNION_CODE.match(value):
        raise InvalidInput("org.union_code_format", "工会编号应为12位数字，如 310106000016", field="union_code")
    return value


def check_deletable(kind: OrgKind, children: int, members: int) -> None:
    if kind in (OrgKind.CITY, OrgKind.TEMPORARY):
        raise DomainError("org.delete_not_allowed", f"“{kind.value}”不能删除")
    if children:
        raise DomainError("org.has_children", f"该组织下还有 {children} 个下级组织，不能删除", children=children)
    if members:
        raise DomainError("org.has_members", f"该组织还有 {members} 名会员，请先转移或删除会员", members=members)
