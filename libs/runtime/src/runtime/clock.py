"""Time in Asia/Shanghai, behind a protocol so rules with deadlines can be tested with a fixed clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

SHANGHAI: Final = ZoneInfo("Asia/Shanghai")


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime in Asia/Shanghai."""
        ...

    def today(self) -> date:
        """The calendar date in Shanghai (not the host's local date, which may be UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(SHANGHAI)

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, at: datetime) -> None:
        self._at = _to_shanghai(at)

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self._at.date()

    def set(self, at: datetime) -> None:
        self._at = _to_shanghai(at)

    def advance(self, delta: timedelta) -> datetime:
        self._at = self._at + delta
        return self._at


def _to_shanghai(at: datetime) -> datetime:
    # A naive datetime is ambiguous (host time? UTC?), so refuse it rather than guess.
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("FixedClock needs an aware datetime")
    return at.astimezone(SHANGHAI)
