"""Who is on a grassroots union's list (参保名单) and why the others are not.

集中参保办理 (manual 000): retired, deceased, card-less and unconfirmed members are excluded
automatically; members retiring before the year starts are flagged so the clerk excludes them.
The pending-confirmation list (集中参保待确认名单) holds members without a card (who hold a Shanghai
social-security card: the SS-card channel, where the year has it) or without social security (the
register does not know them, or not as employed); a confirmed member joins the list and cannot be
removed. Social-security facts come from the social-security adapter; before any check a card
holder is taken as the card check left them (normal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from contracts.enrollment import Channel

ID_CARD = "身份证"


class Standing(StrEnum):
    LISTED = "参保名单"
    PENDING = "待确认"
    WITHOUT_CARD = "未办卡"
    RETIRED = "退休"
    DECEASED = "死亡"
    EXCLUDED = "已排除"  # the clerk took them off (e.g. retiring before the year starts)
    COVERED = "已参保"  # already enrolled this year by another submission (instant, …)


@dataclass(frozen=True)
class SocialFacts:
    """What the social-security register said (the newest answer)."""

    found: bool = True
    ss_card_held: bool = False
    employment_checked: bool = False
    employed: bool = False
    retired: bool = False
    retirement_month: str | None = None  # YYYY-MM
    deceased: bool = False


@dataclass(frozen=True)
class Candidate:
    member_id: str
    id_type: str
    has_card: bool
    facts: SocialFacts | None
    confirmed: bool = False
    excluded: bool = False
    covered: bool = False


@dataclass(frozen=True)
class Placement:
    standing: Standing
    channel: Channel | None = None


def social_security_abnormal(facts: SocialFacts | None) -> bool:
    """无社保: not on the register, or the employment check did not find them employed."""
    if facts is None:
        return False
    return not facts.found or (facts.employment_checked and not facts.employed)


def ss_card_candidate(c: Candidate, ss_card_channel: bool) -> bool:
    """The SS-card channel: ID-card members without a service card who hold a Shanghai SS card."""
    return ss_card_channel and not c.has_card and c.id_type == ID_CARD and bool(c.facts and c.facts.ss_card_held)


def collective_placement(c: Candidate, ss_card_channel: bool) -> Placement:
    """Where one member stands on the union's collective list (rules in the order the manual applies them)."""
    if c.facts and c.facts.deceased:
        return Placement(Standing.DECEASED)
    if c.facts and c.facts.retired:
        return Placement(Standing.RETIRED)
    if c.covered:
        return Placement(Standing.COVERED)
    if c.has_card:
        if social_security_abnormal(c.facts) and not c.confirmed:
            return Placement(Standing.PENDING)
        if c.excluded and not c.confirmed:
            return Placement(Standing.EXCLUDED)
        return Placement(Standing.LISTED, Channel.MEMBER_CARD)
    if ss_card_candidate(c, ss_card_channel):
        if not c.confirmed:
            return Placement(Standing.PENDING)
        return Placement(Standing.LISTED, Channel.SS_CARD)
    return Placement(Standing.WITHOUT_CARD)


@dataclass(frozen=True)
class RetirementAges:
    male: int = 60
    female: int = 55


def retires_before(birth_date: date | None, gender: str, start: date, ages: RetirementAges) -> bool:
    """Reaches the retirement age before the insurance year starts (2023年1月1日前（不含当日）的退休人员)."""
    if birth_date is None or gender not in ("男", "女"):
        return False
    age = ages.male if gender == "男" else ages.female
    return _add_years(birth_date, age) < start


def retirement_month_before(month: str | None, start: date) -> bool:
    """The register's retirement month lies before the year starts."""
    if not month or len(month) != 7:
        return False
    return month < f"{start.year:04d}-{start.month:02d}"


def flagged_retiring(c: Candidate, birth_date: date | None, gender: str, start: date, ages: RetirementAges) -> bool:
    month = c.facts.retirement_month if c.facts else None
    return retires_before(birth_date, gender, start, ages) or retirement_month_before(month, start)


class Readiness(StrEnum):
    """The SS-card instant screen's two lists (manual 001)."""

    TO_CHECK = "待校验"
    READY = "待提交"


def ss_card_readiness(c: Candidate) -> tuple[Readiness, str]:
    """待提交 needs a normal SS card and employment (or a manual confirmation of employment)."""
    f = c.facts
    if f is None:
        return Readiness.TO_CHECK, "未获取社保卡和就业状态"
    if f.deceased:
        return Readiness.TO_CHECK, "死亡"
    if f.retired:
        return Readiness.TO_CHECK, "退休"
    if not f.ss_card_held:
        return Readiness.TO_CHECK, "社保卡状态异常，请办理工会会员服务卡后参保"
    if social_security_abnormal(f) and not c.confirmed:
        return Readiness.TO_CHECK, "就业状态异常，请在参保待确认名单中确认"
    return Readiness.READY, ""


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)
