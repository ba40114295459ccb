"""Windows and deadlines of a programme-year, enforced in Asia/Shanghai time from configuration.

A window is open from `opens_at` (inclusive) to `closes_at` (exclusive): "12月25日之前可多次操作"
is configured as closing at 12-26 00:00 Shanghai time. A window that is not configured is closed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from runtime.clock import SHANGHAI
from runtime.errors import DomainError, InvalidInput


class WindowKind(StrEnum):
    SPLIT = "split"  # 保障金额设置: districts set the split for their subtree
    COLLECTIVE = "collective"  # 集中参保: grassroots unions submit (again) to the upper union
    REVIEW = "review"  # 集中参保审核: secondary and district unions approve or return
    DISTRICT_SUBMIT = "district_submit"  # 区局（产业）工会提交至职保中心
    INSTANT = "instant"  # 即时参保: submit, review and send instant enrollments
    WITHHOLDING = "withholding"  # 退休住院计划: 委托代扣款缴费参保通道 (choosing pension withholding)
    WITHHOLDING_REQUEST = "withholding_request"  # 退休住院计划: 委托代扣申请 submitted to the insurer


LABELS: dict[str, str] = {
    WindowKind.SPLIT: "保障金额设置",
    WindowKind.COLLECTIVE: "集中参保提交",
    WindowKind.REVIEW: "集中参保审核",
    WindowKind.DISTRICT_SUBMIT: "集中参保提交至职保中心",
    WindowKind.INSTANT: "即时参保办理",
    WindowKind.WITHHOLDING: "委托代扣款缴费参保通道",
    WindowKind.WITHHOLDING_REQUEST: "委托代扣申请提交",
}


@dataclass(frozen=True)
class Window:
    kind: str
    opens_at: datetime
    closes_at: datetime

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


def check_bounds(kind: str, opens_at: datetime, closes_at: datetime) -> Window:
    if kind not in set(WindowKind):
        raise InvalidInput("window.kind_invalid", f"未知的时间窗口：{kind}", allowed=[k.value for k in WindowKind])
    # A naive time is read as Shanghai time, as every screen shows it.
    opens_at, closes_at = _shanghai(opens_at), _shanghai(closes_at)
    if closes_at <= opens_at:
        raise InvalidInput("window.order", f"{LABELS[kind]}的结束时间必须晚于开始时间")
    return Window(kind, opens_at, closes_at)


def check_open(windows: Mapping[str, Window], kind: WindowKind, now: datetime) -> Window:
    """The open window of `kind`, or a refusal that says when it is open."""
    window = windows.get(kind)
    if window is None:
        raise DomainError("window.not_configured", f"本年度未配置{LABELS[kind]}时间")
    if now < window.opens_at:
        raise DomainError(
            "window.not_open",
            f"{LABELS[kind]}尚未开始（{describe(window)}）",
            opens_at=window.opens_at.isoformat(),
            closes_at=window.closes_at.isoformat(),
        )
    if now >= window.closes_at:
        raise DomainError(
            "window.closed",
            f"{LABELS[kind]}已截止（{describe(window)}）",
            opens_at=window.opens_at.isoformat(),
            closes_at=window.closes_at.isoformat(),
        )
    return window


def describe(window: Window) -> str:
    fmt = "%Y年%m月%d日 %H:%M"
    return (
        f"{window.opens_at.astimezone(SHANGHAI).strftime(fmt)} 至 {window.closes_at.astimezone(SHANGHAI).strftime(fmt)}"
    )


def _shanghai(at: datetime) -> datetime:
    return at.replace(tzinfo=SHANGHAI) if at.tzinfo is None else at
