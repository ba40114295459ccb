"""Programmes and their years as data: codes, guarantee-type codes, the year's own checks."""

from __future__ import annotations

import re

from runtime.errors import InvalidInput

PROGRAMME_CODE = re.compile(r"[a-z][a-z0-9-]{1,39}")
TYPE_CODE = re.compile(r"[A-Z][A-Z0-9]{0,3}\+?")
MIN_YEAR, MAX_YEAR = 2000, 2100


def check_programme_code(code: str) -> str:
    if not PROGRAMME_CODE.fullmatch(code):
        raise InvalidInput("programme.code_invalid", "项目编码应为小写字母开头的字母、数字或连字符（2–40位）")
    return code


def check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput("year.invalid", f"保障年度应在{MIN_YEAR}–{MAX_YEAR}之间")
    return year


def check_type_code(code: str) -> str:
    """A, B, A+, B+, A0 … C3: a capital letter, up to three more letters or digits, an optional plus."""
    if not TYPE_CODE.fullmatch(code):
        raise InvalidInput("type.code_invalid", "保障类型编码格式不正确（如 A、A+、B+、A0）")
    return code


def check_ages(male: int, female: int) -> None:
    if not (40 <= male <= 70 and 40 <= female <= 70):
        raise InvalidInput("year.retirement_age_invalid", "退休年龄应在40–70岁之间")
