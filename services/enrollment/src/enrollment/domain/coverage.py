"""Cover: when it starts and ends, the once-per-year rule, and which premium applies.

Collective cover is the whole insurance year (2023-01-01 → 2023-12-31) when the batch is paid by its
pay-by date. Instant cover starts the day after the payment is confirmed — never backdated, never
before the year — and ends with the year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from runtime.errors import DomainError, InvalidInput


class LineState(StrEnum):
    """One member's enrollment, as the submission and then the batch carry it."""

    PENDING_REVIEW = "待审核"
    STAGED = "待提交"
    WITH_INSURER = "待缴费"  # in a batch at the insurer, awaiting payment
    ACTIVE = "已生效"
    RETURNED = "已退回"
    SUPERSEDED = "已替代"
    LAPSED = "已失效"


# A member has at most one enrollment in these states per programme-year.
LIVE: frozenset[str] = frozenset({LineState.PENDING_REVIEW, LineState.STAGED, LineState.WITH_INSURER, LineState.ACTIVE})


@dataclass(frozen=True)
class Period:
    """The insurance year, both days included."""

    start: date
    end: date

    @property
    def midpoint(self) -> date:
        """Six calendar months after the start: Jan 1 of a July–June year, Jul 1 of a calendar year."""
        month = self.start.month + 6
        year, month = self.start.year + (month - 1) // 12, (month - 1) % 12 + 1
        return self.start.replace(year=year, month=month, day=min(self.start.day, 28))


def check_period(start: date, end: date) -> Period:
    if end <= start:
        raise InvalidInput("year.period_order", "保障结束日期必须晚于开始日期")
    return Period(start, end)


def collective_cover(period: Period) -> tuple[date, date]:
    return period.start, period.end


def instant_cover_start(confirmed_on: date, period: Period) -> date | None:
    """The day after the payment is confirmed, not before the year starts; None when the year is over."""
    start = max(confirmed_on + timedelta(days=1), period.start)
    return start if start <= period.end else None


def expected_instant_start(today: date, period: Period) -> date | None:
    """What the instant screen shows as 起保日期 before payment: the day after submission, at the earliest."""
    return instant_cover_start(today, period)


def half_year(cover_start: date | None, period: Period) -> bool:
    """Cover starting in the second half of the year (the mutual-aid programme's half-year prices)."""
    return cover_start is not None and cover_start >= period.midpoint


def premium_for(full_fen: int, half_fen: int | None, cover_start: date | None, period: Period) -> int:
    """The per-person premium: the half-year price where the type has one and cover starts in the second half."""
    if half_fen is not None and half_year(cover_start, period):
        return half_fen
    return full_fen


def check_once_per_year(names_already_covered: Iterable[str]) -> None:
    """One person is covered at most once per insurance year: name who is already enrolled."""
    names = list(names_already_covered)
    if names:
        shown = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
        raise DomainError(
            "enrollment.already_covered",
            f"{shown}本保障年度已参保（或已提交参保），同一人员每年只能参保一次",
            count=len(names),
        )
