"""The plan's year — manual 003, 三(三)1 参保类型介绍 and the 友情提醒 of the payment-mode page.

保障年度 2025 runs 2025-07-01 → 2026-06-30 (named by the year it starts in).
- 集中参保 "2025年5月12日零时起至2025年6月30日17时止", cover "12个月，自2025年7月1日零时起至2026年6月30日24时止"
  with no waiting period (集中参保无免责期);
- 委托代扣款缴费参保通道 "5月31日17点关闭"; 委托代扣申请 "需在6月4日16点完成提交";
- 即时参保 "2025年7月1日零时起": cover "自参保单位…办妥参保手续的次日零时起至2026年6月30日24时止" with a
  30-day waiting period (即时参保设有30天免责期). 办妥参保手续 is read as the payment confirmed (投保成功),
  as the other programmes' instant cover starts the day after the confirmation.
All of these are the year's configuration (windows and rules), read in Asia/Shanghai.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from contracts.enrollment import EnrollmentType
from runtime.clock import SHANGHAI
from runtime.errors import DomainError

from ..coverage import Period, instant_cover_start
from ..windows import Window, WindowKind, check_open

KIND_WINDOW = {EnrollmentType.COLLECTIVE: WindowKind.COLLECTIVE, EnrollmentType.INSTANT: WindowKind.INSTANT}


def check_kind_open(windows: Mapping[str, Window], kind: EnrollmentType, now: datetime) -> None:
    """集中参保 only in its window (May 12 – June 30 17:00), 即时参保 only in its own (from July 1)."""
    check_open(windows, KIND_WINDOW[kind], now)


def kind_open(windows: Mapping[str, Window], kind: EnrollmentType, now: datetime) -> bool:
    window = windows.get(KIND_WINDOW[kind])
    return window is not None and window.is_open(now)


def check_withholding_channel(windows: Mapping[str, Window], now: datetime) -> None:
    """委托代扣款缴费参保通道: withholding can be chosen until May 31 17:00."""
    check_open(windows, WindowKind.WITHHOLDING, now)


def check_withholding_request(windows: Mapping[str, Window], now: datetime) -> None:
    """委托代扣申请 by June 4 16:00."""
    check_open(windows, WindowKind.WITHHOLDING_REQUEST, now)


def cover(kind: EnrollmentType, period: Period, confirmed_at: datetime | None) -> tuple[date | None, date]:
    """保障期限: the whole year for 集中参保; for 即时参保 from the Shanghai day after the payment was
    confirmed (unknown before: None), never before the year starts."""
    if kind is EnrollmentType.COLLECTIVE:
        return period.start, period.end
    if confirmed_at is None:
        return None, period.end
    start = instant_cover_start(confirmed_at.astimezone(SHANGHAI).date(), period)
    if start is None:
        raise DomainError("enrollment.year_over", "本保障年度已结束，不能再办理即时参保")
    return start, period.end


def covered_from(kind: EnrollmentType, cover_start: date, waiting_days: int) -> date:
    """The first day a hospitalisation is covered: the cover start for 集中参保 (no waiting period), after
    the waiting period for 即时参保 (cover from July 2 → covered from August 1 with 30 days)."""
    if kind is EnrollmentType.COLLECTIVE:
        return cover_start
    return cover_start + timedelta(days=waiting_days)


def is_new_retiree(retirement_month: str | None, year_start: date) -> bool:
    """新退休: "上年度7月1至本年度6月30号办理退休" — retired within the twelve months before the year starts
    (for the 2025 year: 2024-07 … 2025-06)."""
    if not retirement_month:
        return False
    try:
        year, month = (int(p) for p in retirement_month.split("-"))
        retired = date(year, month, 1)
    except ValueError:
        return False
    return date(year_start.year - 1, year_start.month, 1) <= retired < year_start
