"""Money as integer fen (分): exact arithmetic, no floats anywhere."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

# Plain decimal yuan, optionally with correct thousands grouping so fen_to_yuan_str output reads back.
_YUAN_TEXT: Final = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


def yuan_to_fen(value: str | int | Decimal) -> int:
    """Convert a yuan amount to fen exactly.

    Accepts int, Decimal, or text such as "1220", "1,220.00", "-0.5". Refuses floats (already inexact)
    and anything that is not a whole number of fen, e.g. "1.234" — raising ValueError, never rounding.
    """
    # bool is an int subclass; True yuan is a bug, not 100 fen.
    if isinstance(value, bool | float):
        raise ValueError(f"金额不能是 {type(value).__name__} 类型，请使用字符串、整数或 Decimal")
    if isinstance(value, int):
        return value * 100
    if isinstance(value, str):
        text = value.strip()
        # Checked by regex first: Decimal() would also take "1e3", "NaN" and full-width digits.
        if not _YUAN_TEXT.fullmatch(text):
            raise ValueError(f"金额格式不正确：{value!r}")
        value = Decimal(text.replace(",", ""))
    if not isinstance(value, Decimal):
        raise ValueError(f"金额类型不支持：{type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"金额必须是有限数值：{value}")
    # Work on the digit tuple so huge amounts are not rounded by the decimal context's precision.
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite, so never 'n'/'N'/'F'
    magnitude = int("".join(map(str, digits)) or "0")
    shift = exponent + 2
    if shift >= 0:
        fen = magnitude * _pow10(shift)
    else:
        fen, remainder = divmod(magnitude, _pow10(-shift))
        if remainder:
            raise ValueError(f"金额最多保留两位小数：{value}")
    return -fen if sign else fen


def fen_to_decimal(fen: int) -> Decimal:
    """Fen to a yuan Decimal with exactly two places: 122000 -> Decimal("1220.00")."""
    _require_int(fen)
    sign, digits, _ = Decimal(fen).as_tuple()
    # Built from the tuple rather than divided, so no context rounding can touch it.
    return Decimal((sign, digits, -2))


def fen_to_yuan_str(fen: int) -> str:
    """Fen to display text with thousands separators: 122000 -> "1,220.00", -5 -> "-0.05"."""
    _require_int(fen)
    yuan, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{yuan:,}.{cents:02d}"


def _pow10(n: int) -> int:
    # int ** int is typed as Any (a negative exponent gives a float); n is never negative here.
    return int(10**n)


def _require_int(fen: object) -> None:
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be int, got {type(fen).__name__}")
