"""Document numbers: a prefix, the Shanghai day and a per-day sequence (PZ202401100001)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class Prefix(StrEnum):
    VOUCHER = "PZ"  # 缴费凭证
    REFUND = "TK"  # 退款
    RECEIPT = "ZY"  # 专用收据


def number(prefix: Prefix, day: date, seq: int) -> str:
    return f"{prefix.value}{day:%Y%m%d}{seq:04d}"
