"""Batches to the insurer (参保批次): number, pay-by date, handler (经办人), states, chunks of lines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from contracts.enrollment import MAX_LINES, EnrollmentType
from runtime.errors import InvalidInput
from runtime.identity import InvalidIdentifier, validate_mobile

T = TypeVar("T")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class BatchState(StrEnum):
    AWAITING_PAYMENT = "待缴费"  # 缴费凭证待上传 / 审核中: billing knows which
    COMPLETED = "已完成"
    LAPSED = "已失效"


def batch_no(day: date, seq: int) -> str:
    """CB + YYYYMMDD + 4 digits (CB202208080004); beyond 9,999 a day the number simply grows."""
    return f"CB{day:%Y%m%d}{seq:04d}"


def pay_by(kind: EnrollmentType, submitted_on: date, collective_pay_by: date, instant_pay_days: int) -> date:
    """Collective batches pay by the year's date (2023-01-20); instant ones within N days of submission."""
    if kind is EnrollmentType.COLLECTIVE:
        return collective_pay_by
    return submitted_on + timedelta(days=instant_pay_days)


class Frozen(Protocol):
    """What a voucher changes on a batch."""

    roster_frozen: bool
    frozen_at: datetime | None
    voucher_no: str | None
    voucher_submitted_at: datetime | None


def freeze_roster(batch: Frozen, voucher_no: str, frozen_at: datetime, submitted_at: datetime) -> None:
    """The roster froze with the batch's first voucher and stays frozen; a later voucher (a corrected
    one, or one paying a shortfall) only becomes the batch's latest."""
    if not batch.roster_frozen:
        batch.roster_frozen, batch.frozen_at = True, frozen_at
    batch.voucher_no, batch.voucher_submitted_at = voucher_no, submitted_at


def overdue(pay_by_day: date, today: date, grace_days: int = 0, voucher_on: date | None = None) -> bool:
    """Unpaid after the pay-by day (plus any configured grace): the batch lapses. A voucher uploaded
    in time (`voucher_on`, its Shanghai date) shows the money left in time: the batch waits for the
    insurer's review instead (逾期未划款 is what fails a batch, not a slow review)."""
    last_day = pay_by_day + timedelta(days=grace_days)
    paid_in_time = voucher_on is not None and voucher_on <= last_day
    return today > last_day and not paid_in_time


@dataclass(frozen=True)
class Handler:
    name: str
    phone: str
    email: str


def check_handler(name: str, phone: str, email: str) -> Handler:
    """经办人: all three required (请填写当前批次经办人信息)."""
    name = name.strip()
    if not name or len(name) > 50:
        raise InvalidInput("batch.handler_name", "请填写经办人姓名（不超过50字）", field="handler.name")
    try:
        phone = validate_mobile(phone)
    except InvalidIdentifier:
        raise InvalidInput(
            "batch.handler_phone", "经办人手机号格式不正确，应为11位手机号", field="handler.phone"
        ) from None
    email = email.strip()
    if len(email) > 100 or not EMAIL.fullmatch(email):
        raise InvalidInput("batch.handler_email", "经办人电子邮箱格式不正确", field="handler.email")
    return Handler(name, phone, email)


def chunks(lines: Sequence[T], size: int = MAX_LINES) -> Iterable[list[T]]:
    """Lines per event: 1,000 at most (a batch of 2,014 is three events)."""
    for start in range(0, max(len(lines), 1), size):
        yield list(lines[start : start + size])
