"""Windows and deadlines, enforced in Asia/Shanghai time from configuration."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from enrollment.domain.windows import WindowKind, check_bounds, check_open
from runtime.clock import SHANGHAI
from runtime.errors import DomainError, InvalidInput

# 基层集中参保提交功能，在2022年12月25日前可多次操作: open until the end of Dec 25, Shanghai time.
COLLECTIVE = check_bounds("collective", datetime(2022, 11, 1), datetime(2022, 12, 26))
WINDOWS = {"collective": COLLECTIVE}


def test_open_until_the_last_minute_of_the_deadline_day_in_shanghai():
    assert check_open(WINDOWS, WindowKind.COLLECTIVE, datetime(2022, 12, 25, 23, 59, tzinfo=SHANGHAI))
    assert check_open(WINDOWS, WindowKind.COLLECTIVE, datetime(2022, 11, 1, 0, 0, tzinfo=SHANGHAI))


def test_closed_at_midnight_shanghai_even_when_the_host_clock_says_an_earlier_utc_day():
    """Checked: 2022-12-25 16:00 UTC is Dec 26 00:00 in Shanghai: closed, with the window in the message."""
    with pytest.raises(DomainError) as closed:
        check_open(WINDOWS, WindowKind.COLLECTIVE, datetime(2022, 12, 25, 16, 0, tzinfo=UTC))
    assert closed.value.code == "window.closed"
    assert "2022年12月26日 00:00" in closed.value.title


def test_not_yet_open_and_not_configured_are_refused():
    """Checked: before the opening and for a window the year lacks, specific codes."""
    with pytest.raises(DomainError) as early:
        check_open(WINDOWS, WindowKind.COLLECTIVE, datetime(2022, 10, 31, 23, 59, tzinfo=SHANGHAI))
    assert early.value.code == "window.not_open"
    with pytest.raises(DomainError) as missing:
        check_open(WINDOWS, WindowKind.DISTRICT_SUBMIT, datetime(2022, 12, 27, tzinfo=SHANGHAI))
    assert missing.value.code == "window.not_configured"


def test_a_naive_time_is_read_as_shanghai_time():
    assert COLLECTIVE.closes_at == datetime(2022, 12, 26, tzinfo=SHANGHAI)


def test_a_window_must_end_after_it_starts_and_have_a_known_kind():
    """Checked: reversed bounds and unknown kinds are refused."""
    with pytest.raises(InvalidInput) as reversed_:
        check_bounds("split", datetime(2022, 10, 31), datetime(2022, 10, 25))
    assert reversed_.value.code == "window.order"
    with pytest.raises(InvalidInput) as unknown:
        check_bounds("lottery", datetime(2022, 10, 25), datetime(2022, 10, 31))
    assert unknown.value.code == "window.kind_invalid"
