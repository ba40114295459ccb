"""The workbench's member figures (业务工作台): the periods joins are counted in, and how counts per
(status, data type) add up to the panel's figures. Plain rules, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from contracts.members import MemberCategory

from .membership import MemberStatus

RATE_DIGITS = 4  # 0.1234 = 12.34 %


@dataclass(frozen=True)
class JoinPeriods:
    """Calendar periods in Shanghai: today, this week (from Monday), this month (from the 1st)."""

    today: date
    week_start: date
    month_start: date


def join_periods(today: date) -> JoinPeriods:
    return JoinPeriods(today, today - timedelta(days=today.weekday()), today.replace(day=1))


@dataclass(frozen=True)
class GroupCount:
    """Members of one (status, data type) in the scope, with the counts the panel needs of them."""

    status: str
    category: str
    members: int
    e_card_activated: int
    numbered: int
    joined_today: int
    joined_week: int
    joined_month: int


@dataclass(frozen=True)
class Figures:
    members: int  # 会员总数: active members (正常)
    by_status: dict[str, int]
    by_category: dict[str, int]  # active members per data type
    e_card_activated: int
    e_card_rate: float  # of active members
    numbered: int  # active members with a 会员编号
    unnumbered: int
    joined_today: int  # joins are events: a member deleted since still joined then
    joined_week: int
    joined_month: int


def activation_rate(activated: int, members: int) -> float:
    return round(activated / members, RATE_DIGITS) if members else 0.0


def add_up(groups: Iterable[GroupCount]) -> Figures:
    rows = list(groups)
    active = [g for g in rows if g.status == MemberStatus.ACTIVE]
    by_status = {s.value: 0 for s in MemberStatus}
    by_category = {c.value: 0 for c in MemberCategory}
    for g in rows:
        by_status[g.status] = by_status.get(g.status, 0) + g.members
    for g in active:
        by_category[g.category] = by_category.get(g.category, 0) + g.members
    members = sum(g.members for g in active)
    activated = sum(g.e_card_activated for g in active)
    numbered = sum(g.numbered for g in active)
    return Figures(
        members=members,
        by_status=by_status,
        by_category=by_category,
        e_card_activated=activated,
        e_card_rate=activation_rate(activated, members),
        numbered=numbered,
        unnumbered=members - numbered,
        joined_today=sum(g.joined_today for g in rows),
        joined_week=sum(g.joined_week for g in rows),
        joined_month=sum(g.joined_month for g in rows),
    )
