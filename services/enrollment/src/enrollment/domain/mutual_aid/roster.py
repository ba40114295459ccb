"""清册校验 and the once-per-year rule — manual 002, 二(三) 编辑、提交、校验参保名单 and 四 其他事项.

The manual's rules, in its order:
- retired people cannot be insured: "如清册中有退休人员，系统默认无法参保，需将退休人员全部移除";
- 规则一 在职超龄: "女性未满55周岁、男性未满60周岁"; an over-age row is removed or kept by ticking
  【社保尚在缴金】/【医保享受在职待遇】 ("不移除的人员必须全部勾选");
- 规则二 增减幅度: "清册人员增减幅度在±10%以内【（上年度参保人数-本年拟参保人数）/上年度参保人数】";
- 规则三, only when 规则二 fails: "以参保编码为依据，以参保人数为分子，以…所有社保编码的缴费人数之和作为分母，
  比例在75%到100%之间的默认通过，小于75%或大于100%的上传情况说明" — the decision is on the whole
  (整体校验结果), each 单位社保编码 is shown on its own line; "若单位参保人数小于等于10人，社保编码的参保比例需
  达到100%"; "若是新参保单位，无论是否超过75%，均需上传附件" (《社会保险费缴费申报表》或《单位参加城镇社会保险
  基本情况》). With attachments the roster goes to the insurer (职保会待审核);
- people the suggested roster (建议清册) did not match — shown as 无单位社保编码 — are confirmed with the
  人员确认承诺书; every 清册提交 shows a 承诺书 to accept.
- "一个身份证号在一个参保年度只能参保一次"; a clash says "被XXX单位占用" and shows that unit's handler.
Percentages, ages and thresholds are the programme-year's data (`RosterRules`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from math import floor

from runtime.errors import DomainError
from runtime.identity import mask_id_number

from ..standing import RetirementAges
from .batch import BatchAction

NO_UNIT_CODE = "无单位社保编码"


class Employment(StrEnum):
    """职退状态; "-" is unknown in the historical rosters."""

    EMPLOYED = "在职"
    RETIRED = "退休"
    UNKNOWN = "-"


@dataclass(frozen=True)
class RosterRules:
    ages: RetirementAges  # 女性未满55周岁、男性未满60周岁
    change_pct: int  # ±10
    ratio_min_pct: int  # 75
    ratio_max_pct: int  # 100
    small_unit_max: int  # 单位参保人数 ≤ 10 needs 100 %


@dataclass(frozen=True)
class Insured:
    """A roster row as the check sees it."""

    name: str
    id_number: str
    gender: str  # 男 / 女
    birth_date: date
    employment: Employment
    has_social_security: bool
    unit_code: str | None  # 单位社保编码 from the suggested roster; None: not matched
    over_age_kept: bool = False  # 社保尚在缴金 / 医保享受在职待遇 ticked


def set_employed(person: Insured) -> Insured:
    """设置在职: "确认该职工在职且正常缴纳社保" — from then on a 社保人员 who may hold A0."""
    return Insured(
        person.name, person.id_number, person.gender, person.birth_date, Employment.EMPLOYED, True,
        person.unit_code, person.over_age_kept,
    )  # fmt: skip


class Outcome(StrEnum):
    FAILED = "清册校验不通过"
    PASSED = "清册校验通过"
    EVIDENCE = "需上传附件"  # submitted with attachments → 职保会待审核


@dataclass(frozen=True)
class Removal:
    person: Insured
    reason: str  # 退休 / 超龄


@dataclass(frozen=True)
class Change:
    last: int
    this: int

    @property
    def ratio(self) -> Fraction:
        """(last − this) / last: positive when the roster shrank."""
        return Fraction(self.last - self.this, self.last)


@dataclass(frozen=True)
class UnitRatio:
    unit_code: str
    insured: int  # 拟参保人数
    headcount: int  # 社保在职人数 (缴费人数)

    @property
    def ratio(self) -> Fraction | None:
        return Fraction(self.insured, self.headcount) if self.headcount else None

    @property
    def percent(self) -> str:
        return percent_text(self.ratio)


@dataclass(frozen=True)
class RatioCheck:
    units: tuple[UnitRatio, ...]  # 每个单位社保比例校验结果
    required_min_pct: int  # 75, or 100 for small units
    max_pct: int

    @property
    def overall(self) -> UnitRatio:  # 校验结果: 拟参保人数 / 社保编码的缴费人数之和
        return UnitRatio("", sum(u.insured for u in self.units), sum(u.headcount for u in self.units))

    @property
    def within(self) -> bool:
        ratio = self.overall.ratio
        return ratio is not None and Fraction(self.required_min_pct, 100) <= ratio <= Fraction(self.max_pct, 100)


@dataclass(frozen=True)
class RosterCheck:
    removals: tuple[Removal, ...]
    insured: int  # after the removals: 本年拟参保人数
    change: Change | None  # None for a new unit (no last year)
    change_within: bool
    ratio: RatioCheck | None  # only when the change is outside the band, or for a new unit
    new_unit: bool
    unmatched: int  # 建议清册未能匹配人员: confirmed by the 人员确认承诺书

    @property
    def outcome(self) -> Outcome:
        if self.removals:
            return Outcome.FAILED
        if self.new_unit or not (self.change_within or (self.ratio is not None and self.ratio.within)):
            return Outcome.EVIDENCE
        return Outcome.PASSED

    @property
    def evidence(self) -> str | None:
        """What to upload when the outcome asks for attachments."""
        if self.outcome is not Outcome.EVIDENCE:
            return None
        if self.new_unit:
            return "《社会保险费缴费申报表》或《单位参加城镇社会保险基本情况》"
        return "加盖公章的情况说明（及退工单、人员转出/转入核定表、劳务派遣说明、任命书等）"


def check_roster(
    people: Sequence[Insured],
    rules: RosterRules,
    as_of: date,
    last_year_insured: int | None,
    headcounts: Mapping[str, int],
) -> RosterCheck:
    """清册校验. `as_of` is the day cover starts (the age limits apply to the insured); `headcounts` the
    social-security 缴费人数 per 单位社保编码; no last year's count means a new unit."""
    removals = tuple(r for p in people if (r := _removal(p, rules.ages, as_of)) is not None)
    removed = {id(r.person) for r in removals}
    kept = [p for p in people if id(p) not in removed]
    new_unit = not last_year_insured
    change = None if new_unit else Change(last_year_insured or 0, len(kept))
    change_within = change is not None and abs(change.ratio) <= Fraction(rules.change_pct, 100)
    ratio = None
    if new_unit or not change_within:
        per_code = Counter(p.unit_code for p in kept if p.unit_code)
        small = len(kept) <= rules.small_unit_max
        ratio = RatioCheck(
            tuple(UnitRatio(code, n, headcounts.get(code, 0)) for code, n in sorted(per_code.items())),
            100 if small else rules.ratio_min_pct,
            rules.ratio_max_pct,
        )
    unmatched = sum(1 for p in kept if not p.unit_code)
    return RosterCheck(removals, len(kept), change, change_within, ratio, new_unit, unmatched)


def check_submission(
    check: RosterCheck, people_confirmed: bool, commitment_accepted: bool, evidence_uploaded: bool
) -> BatchAction:
    """清册提交: what the batch does next (清册校验通过, or 职保会待审核 with attachments), or why not yet."""
    if check.outcome is Outcome.FAILED:
        names = "、".join(r.person.name for r in check.removals[:5]) + ("等" if len(check.removals) > 5 else "")
        raise DomainError(
            "roster.check_failed",
            f"清册校验不通过：{names}{len(check.removals)}位人员请移除（退休人员不能参保；在职超龄人员请移除或勾选【社保尚在缴金】）",
            count=len(check.removals),
        )
    if check.unmatched and not people_confirmed:
        raise DomainError(
            "roster.confirmation_required",
            f"有{check.unmatched}位建议清册未能匹配的人员，请先进行人员确认（人员确认承诺书）",
            count=check.unmatched,
        )
    if check.outcome is Outcome.EVIDENCE and not evidence_uploaded:
        raise DomainError("roster.evidence_required", f"请上传附件：{check.evidence}", evidence=check.evidence)
    if not commitment_accepted:
        raise DomainError("roster.commitment_required", "请阅读承诺书并勾选【我已阅读并同意】后提交")
    return BatchAction.SUBMIT_FOR_REVIEW if check.outcome is Outcome.EVIDENCE else BatchAction.SUBMIT


def age_on(birth_date: date, day: date) -> int:
    """周岁 on `day`: a birthday counts from the day itself (29 February from 1 March in other years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def over_age(person: Insured, ages: RetirementAges, as_of: date) -> bool:
    limit = ages.male if person.gender == "男" else ages.female
    return age_on(person.birth_date, as_of) >= limit


def percent_text(ratio: Fraction | None) -> str:
    """As the check screen shows it: 65%, 80%, 0.07% (1/1300 — cut, not rounded, at two places)."""
    if ratio is None:
        return "-"
    hundredths = floor(ratio * 10000)
    whole, part = divmod(hundredths, 100)
    return f"{whole}%" if not part else f"{whole}.{part:02d}".rstrip("0") + "%"


def _removal(person: Insured, ages: RetirementAges, as_of: date) -> Removal | None:
    if person.employment is Employment.RETIRED:
        return Removal(person, "退休")
    if over_age(person, ages, as_of) and not person.over_age_kept:
        return Removal(person, "超龄")
    return None


# --- one ID number once per insurance year ------------------------------------------------------------


@dataclass(frozen=True)
class Occupant:
    """Who already insured an ID number this year, and how to reach them."""

    unit_name: str
    handler_name: str
    handler_phone: str


@dataclass(frozen=True)
class Clash:
    id_number: str
    name: str
    occupant: Occupant

    @property
    def message(self) -> str:
        return (
            f"{self.name}（{mask_id_number(self.id_number)}）身份信息被{self.occupant.unit_name}占用，"
            f"同一证件号码在一个保障年度只能参保一次；对方单位经办人：{self.occupant.handler_name}，"
            f"电话：{self.occupant.handler_phone}"
        )


def clashes(people: Iterable[Insured], occupied: Mapping[str, Occupant]) -> list[Clash]:
    """`occupied`: this year's other insured ID numbers (any unit, any other batch) and their units."""
    return [Clash(p.id_number, p.name, occupied[p.id_number]) for p in people if p.id_number in occupied]


def check_not_occupied(people: Iterable[Insured], occupied: Mapping[str, Occupant]) -> None:
    found = clashes(people, occupied)
    if found:
        first = found[0]
        more = f"（另有{len(found) - 1}人被占用）" if len(found) > 1 else ""
        raise DomainError(
            "roster.id_occupied",
            first.message + more,
            clashes=[
                {
                    "id_number": mask_id_number(c.id_number),
                    "name": c.name,
                    "unit_name": c.occupant.unit_name,
                    "handler_name": c.occupant.handler_name,
                    "handler_phone": c.occupant.handler_phone,
                }
                for c in found
            ],
        )


# --- names (姓名校验) ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameChoice:
    name: str  # what the roster takes unless the clerk picks another
    options: tuple[str, ...]  # 上年度建议清册姓名, 会员库姓名, 本地导入姓名 — the distinct ones
    needs_confirmation: bool  # 姓名匹配异常，请人工确认


def choose_name(uploaded: str, registry: str | None, suggested: str | None) -> NameChoice:
    """The suggested roster's name wins ("建议清册中若存在此人，姓名字段会以建议清册中的社保姓名为准"); names
    that disagree are confirmed by hand (姓名匹配异常，请人工确认)."""
    options = tuple(dict.fromkeys(n.strip() for n in (suggested, registry, uploaded) if n and n.strip()))
    name = (suggested or "").strip() or uploaded.strip()
    return NameChoice(name, options, len(options) > 1)
