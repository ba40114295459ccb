"""The programme-year — manual 002, 一、参保要点 (参保时间, 保障期限, 免责期) and 三 4. (two price levels).

保障年度 2023 runs 2023-07-01 → 2024-06-30 (the year is the one it starts in, as 参保批次管理 shows it).
- 集中参保 "2023年6月1日零时起至6月30日24时止": cover "12个月，自2023年7月1日零时起至2024年6月30日24时止",
  "无免责期".
- 即时参保 "2023年7月1日零时起": cover "自参保单位在工会网上工作平台提交正式参保名单的次日起至2024年6月30日
  24时止"; priced for a whole year when cover starts Jul 1 – Dec 31, for half a year when it starts
  Jan 1 – Jun 30; 免责期 per item (A0 and its 疾病身故 30 days, A1–A3 30 days except accident
  hospitalisation, B 60 days, C none).
The windows and the period are the year's configuration; instants are read in Asia/Shanghai, so
"24时" is the next day's 00:00 there, whatever the host clock's zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum

from contracts.enrollment import EnrollmentType
from runtime.clock import SHANGHAI
from runtime.errors import DomainError

from ..coverage import Period, half_year, instant_cover_start
from ..windows import Window, WindowKind, check_open
from .items import Item


class Cause(StrEnum):
    DISEASE = "疾病"
    ACCIDENT = "意外伤害"


def enrollment_kind(windows: Mapping[str, Window], now: datetime) -> EnrollmentType:
    """Which enrollment a unit does now: 集中参保 in its window, 即时参保 in the instant one; otherwise
    the refusal of the window that matters (not yet open before June 1, closed after the instant one)."""
    collective = windows.get(WindowKind.COLLECTIVE)
    if collective is not None and collective.is_open(now):
        return EnrollmentType.COLLECTIVE
    if collective is not None and now < collective.opens_at:
        check_open(windows, WindowKind.COLLECTIVE, now)  # raises window.not_open with the dates
    check_open(windows, WindowKind.INSTANT, now)
    return EnrollmentType.INSTANT


def cover(kind: EnrollmentType, period: Period, roster_submitted_at: datetime) -> tuple[date, date]:
    """保障期限: the whole year for a collective batch; for an instant one from the Shanghai day after
    the roster was formally submitted (清册提交), never before the year starts, to the year's end."""
    if kind is EnrollmentType.COLLECTIVE:
        return period.start, period.end
    submitted_on = roster_submitted_at.astimezone(SHANGHAI).date()
    start = instant_cover_start(submitted_on, period)
    if start is None:
        raise DomainError("enrollment.year_over", "本保障年度已结束，不能再办理即时参保")
    return start, period.end


def priced_half_year(kind: EnrollmentType, cover_start: date, period: Period) -> bool:
    """半年缴费标准: an instant cover starting Jan 1 – Jun 30. Such cover is at most half a year, so the
    A0+B0+C0 discount ("保障期大于半年") never applies with it."""
    return kind is EnrollmentType.INSTANT and half_year(cover_start, period)


def covered_from(item: Item, kind: EnrollmentType, cover_start: date, cause: Cause = Cause.DISEASE) -> date:
    """The first day an event is covered: the cover start, or after the item's 免责期 (30 days from
    July 2 → covered from August 1) for an instant enrollment."""
    if kind is EnrollmentType.COLLECTIVE or (cause is Cause.ACCIDENT and item.accident_exempt):
        return cover_start
    return cover_start + timedelta(days=item.waiting_days)
