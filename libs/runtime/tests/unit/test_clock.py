from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from runtime.clock import SHANGHAI, Clock, FixedClock, SystemClock


def test_system_clock_is_aware_shanghai() -> None:
    clock = SystemClock()
    now = clock.now()
    assert now.tzinfo is SHANGHAI
    assert now.utcoffset() == timedelta(hours=8)
    assert isinstance(clock, Clock)
    assert clock.today() in {now.date(), now.date() + timedelta(days=1)}


def test_fixed_clock_converts_to_shanghai_date() -> None:
    # 17:00 UTC is already the next day in Shanghai.
    clock = FixedClock(datetime(2025, 3, 31, 17, 0, tzinfo=UTC))
    assert clock.now() == datetime(2025, 4, 1, 1, 0, tzinfo=SHANGHAI)
    assert clock.now().tzinfo is SHANGHAI
    assert clock.today() == date(2025, 4, 1)
    assert isinstance(clock, Clock)


def test_fixed_clock_set_and_advance() -> None:
    clock = FixedClock(datetime(2025, 1, 1, 9, 0, tzinfo=SHANGHAI))
    assert clock.advance(timedelta(days=30)) == datetime(2025, 1, 31, 9, 0, tzinfo=SHANGHAI)
    assert clock.today() == date(2025, 1, 31)
    clock.set(datetime(2026, 2, 1, 0, 0, tzinfo=SHANGHAI))
    assert clock.today() == date(2026, 2, 1)


def test_fixed_clock_refuses_naive() -> None:
    with pytest.raises(ValueError):
        FixedClock(datetime(2025, 1, 1))
    clock = FixedClock(datetime(2025, 1, 1, tzinfo=SHANGHAI))
    with pytest.raises(ValueError):
        clock.set(datetime(2025, 1, 1))
