"""Working days (工作日) as the manuals count them ("审核时间为提交申请后1个工作日", "代扣申请提交1个工作日后"):
Monday to Friday. The platform knows no public-holiday calendar (nor the weekends worked in exchange), so a
holiday on a weekday counts as a working day."""

from __future__ import annotations

from datetime import date, timedelta


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`: Friday → Monday, Saturday → Monday."""
    return working_day_on_or_after(day + timedelta(days=1))
