"""What social security's answers make of a person, the ratio per social-security unit code and the
people without social security — manual 003, 三(三) 2、校验参保人员, 3、校验结果处理 (异常数据处理),
4、提交职保会审核, and 三(四) 代扣失败人员处理方式.

- 提交系统校验 "进行职退情况、医保情况、可否代扣等校验" (retirement, medical insurance, withholdable; the name
  and death come with them);
- anomalies: 参保姓名和社保姓名不一致 — 【确认】 takes the social-security name, or the row is deleted (the ID
  number was wrong); 死亡 — deleted; 退休年月为空或值无效 — 【编辑】 adds the retirement month (then
  已经修改退休年月); a register that could not answer is asked again on resubmission;
- 未匹配到社保信息 is not an anomaly: those are the people without social security, each classed
  新退休 / 干保 / 出国 / 其他 ("选择其他后，请填写备注，并上传附件");
- "系统会显示社保编码对应的参保比例（参保人员/社保人员），如参保比例未达75%…上传相关材料（新退休人员无需上传材料）":
  per 单位社保编码 the headcount on the register (社保人数), this batch's people (参保人数), this year's
  people already insured elsewhere (已参保人数) and the ratio (参保 + 已参保) / 社保人数;
- after the withholding, people whose withholding failed (or who were 不可代扣) are kept — the unit pays
  them — or deleted "前提条件：不影响75%的参保比例".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from math import floor

from runtime.errors import DomainError, InvalidInput

NO_UNIT_CODE = "未匹配到单位社保编码"
MAX_REMARK = 200


class CheckResult(StrEnum):
    """校验结果 of a person."""

    PENDING = "待校验"
    CHECKING = "校验中"
    PASSED = "校验通过"
    NAME_MISMATCH = "参保姓名和社保姓名不一致"
    DECEASED = "死亡"
    RETIREMENT_MISSING = "退休年月为空或值无效"
    RETIREMENT_EDITED = "已经修改退休年月"
    NAME_CONFIRMED = "已确认社保姓名"
    NOT_FOUND = "未匹配到社保信息"
    FAILED = "社保查询失败"


ANOMALIES = frozenset({CheckResult.NAME_MISMATCH, CheckResult.DECEASED, CheckResult.RETIREMENT_MISSING,
                       CheckResult.FAILED})  # fmt: skip
UNANSWERED = frozenset({CheckResult.PENDING, CheckResult.CHECKING})


class Withholdable(StrEnum):
    """代扣类型."""

    YES = "可代扣"
    NO = "不可代扣"
    UNKNOWN = "-"  # voucher mode, or not answered yet


class WithholdingResult(StrEnum):
    """代扣结果."""

    PENDING = "代扣中"
    SUCCEEDED = "代扣成功"
    FAILED = "代扣失败"


@dataclass(frozen=True)
class Facts:
    """What is known of a person: the roster's data, social security's answer, the clerk's fixes."""

    name: str
    asked: bool = False  # a check request is out
    answered: bool = False
    failure: str = ""
    found: bool = False
    ss_name: str = ""
    deceased: bool = False
    retirement_month: str | None = None  # from the register, or as the clerk edited it
    retirement_edited: bool = False
    name_confirmed: bool = False
    withholdable: bool = False


def result_of(f: Facts) -> CheckResult:
    """校验结果, the first that applies (a name mismatch is shown before a missing retirement month)."""
    if f.asked:
        return CheckResult.CHECKING
    if not f.answered:
        return CheckResult.PENDING
    if f.failure:
        return CheckResult.FAILED
    if not f.found:
        return CheckResult.NOT_FOUND
    if f.deceased:
        return CheckResult.DECEASED
    if f.ss_name and f.ss_name != f.name:
        return CheckResult.NAME_MISMATCH
    if not f.retirement_month:
        return CheckResult.RETIREMENT_MISSING
    if f.retirement_edited:
        return CheckResult.RETIREMENT_EDITED
    return CheckResult.NAME_CONFIRMED if f.name_confirmed else CheckResult.PASSED


def is_anomaly(result: CheckResult) -> bool:
    return result in ANOMALIES


def needs_asking(result: CheckResult) -> bool:
    """再次提交系统校验 asks again for the unanswered, the failed, and whatever is still anomalous
    (a deleted or fixed row is not asked again; a confirmed name is the register's anyway)."""
    return result in (CheckResult.PENDING, CheckResult.FAILED, CheckResult.NAME_MISMATCH, CheckResult.DECEASED,
                      CheckResult.RETIREMENT_MISSING)  # fmt: skip


def withholdable_of(f: Facts, withholding_mode: bool) -> Withholdable:
    """代扣类型: only answered people on the register whose pension can be withheld and with nothing wrong."""
    if not withholding_mode or not f.answered or f.asked:
        return Withholdable.UNKNOWN
    ok = f.withholdable and result_of(f) in (CheckResult.PASSED, CheckResult.RETIREMENT_EDITED,
                                             CheckResult.NAME_CONFIRMED)  # fmt: skip
    return Withholdable.YES if ok else Withholdable.NO


def confirm_ss_name(f: Facts) -> str:
    """【确认】: the social-security name replaces the imported one."""
    if not f.answered or not f.found or not f.ss_name:
        raise DomainError("roster.no_ss_name", "该人员没有社保姓名可确认")
    return f.ss_name


def check_retirement_month(text: str) -> str:
    """编辑 退休年月: YYYY-MM, not before 1950."""
    parts = text.strip().split("-")
    ok = len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[0]) == 4 and 1 <= int(parts[1]) <= 12
    if not ok or int(parts[0]) < 1950:
        raise InvalidInput("roster.retirement_month_invalid", "退休年月格式应为YYYY-MM，例如2020-05")
    return f"{int(parts[0]):04d}-{int(parts[1]):02d}"


# --- the ratio per social-security unit code ---------------------------------------------------------------


@dataclass(frozen=True)
class Insured:
    """A person as the ratio sees them."""

    unit_code: str | None  # 单位社保编码 on the register; None: not on it
    new_retiree: bool = False


@dataclass(frozen=True)
class RatioLine:
    unit_code: str
    headcount: int  # 社保人数
    insured: int  # 参保人数 (this batch)
    already_insured: int  # 已参保人数 (this year's other batches)
    new_retirees_only: bool  # every one of this batch's people on the line is a new retiree

    @property
    def ratio(self) -> Fraction | None:
        return Fraction(self.insured + self.already_insured, self.headcount) if self.headcount else None

    @property
    def percent(self) -> str:
        return percent_text(self.ratio)

    def below(self, min_pct: int) -> bool:
        ratio = self.ratio
        return ratio is None or ratio < Fraction(min_pct, 100)

    def evidence_required(self, min_pct: int) -> bool:
        """未达75% uploads material, new retirees excepted (新退休人员无需上传材料)."""
        return self.below(min_pct) and not self.new_retirees_only


def ratio_lines(
    people: Iterable[Insured], headcounts: Mapping[str, int], already: Mapping[str, int]
) -> list[RatioLine]:
    """One line per social-security unit code of the batch's people on the register, by code."""
    per_code: Counter[str] = Counter()
    all_new: dict[str, bool] = {}
    for p in people:
        if p.unit_code:
            per_code[p.unit_code] += 1
            all_new[p.unit_code] = all_new.get(p.unit_code, True) and p.new_retiree
    return [
        RatioLine(code, headcounts.get(code, 0), n, already.get(code, 0), all_new[code])
        for code, n in sorted(per_code.items())
    ]


def evidence_missing(lines: Sequence[RatioLine], min_pct: int, evidenced: set[str]) -> list[str]:
    return [line.unit_code for line in lines if line.evidence_required(min_pct) and line.unit_code not in evidenced]


def check_deletion_keeps_ratio(lines: Sequence[RatioLine], removed: Counter[str], min_pct: int) -> None:
    """删减人员 after the withholding: every code the removal touches keeps ≥ 75 %."""
    for line in lines:
        n = removed.get(line.unit_code, 0)
        if not n:
            continue
        after = RatioLine(line.unit_code, line.headcount, line.insured - n, line.already_insured, False)
        if after.below(min_pct):
            raise DomainError(
                "ratio.would_break",
                f"删除后社保编码{line.unit_code}的参保比例为{after.percent}，低于{min_pct}%，不能删除（可保留该人员由单位缴费）",
                unit_code=line.unit_code,
                percent=after.percent,
            )


def check_deletable_after_withholding(results: Iterable[tuple[str, Withholdable, WithholdingResult | None]]) -> None:
    """Only people whose withholding failed (or who could not be withheld) leave after the withholding."""
    for name, withholdable, outcome in results:
        if outcome is WithholdingResult.SUCCEEDED or (withholdable is Withholdable.YES and outcome is None):
            raise DomainError(
                "withholding.delete_refused", f"{name}代扣成功，不能删除；代扣完成后只能删除代扣失败的人员"
            )


def percent_text(ratio: Fraction | None) -> str:
    """As the screen shows it: 0%, 3.3%, 76.31% (cut, not rounded, at two places); "-" without a headcount."""
    if ratio is None:
        return "-"
    hundredths = floor(ratio * 10000)
    whole, part = divmod(hundredths, 100)
    return f"{whole}%" if not part else f"{whole}.{part:02d}".rstrip("0") + "%"


# --- people without social security ----------------------------------------------------------------------


class NoSsClass(StrEnum):
    NEW_RETIREE = "新退休"  # (新退休) 上年度7月1至本年度6月30号办理退休
    CADRE = "干保"
    ABROAD = "出国"
    OTHER = "其他"  # 其他(如：社保封存等): remark and attachment


def check_no_ss_class(cls: NoSsClass, remark: str | None, has_attachment: bool) -> str:
    text = (remark or "").strip()
    if len(text) > MAX_REMARK:
        raise InvalidInput("roster.remark_too_long", f"备注不能超过{MAX_REMARK}字")
    if cls is NoSsClass.OTHER:
        if not text:
            raise InvalidInput("roster.remark_required", "选择“其他”后，请填写备注（其它类型说明）")
        if not has_attachment:
            raise InvalidInput("roster.attachment_required", "选择“其他”后，请上传附件")
    return text


def check_ready_for_review(persons: int, unanswered: int, anomalies: int, missing: Sequence[str],
                           unclassed: int) -> None:  # fmt: skip
    """【提交职保会审核】 lights up once the system found nothing wrong ("系统校验无异常后"), every code
    under 75 % has its material and every person without social security is classed."""
    if not persons:
        raise DomainError("roster.empty", "参保名单为空，请先添加参保人员")
    if unanswered:
        raise DomainError("roster.unchecked", f"有{unanswered}人尚未完成系统校验，请提交系统校验", count=unanswered)
    if anomalies:
        raise DomainError("roster.anomalies", f"有{anomalies}条异常数据，请处理后再次提交系统校验", count=anomalies)
    if missing:
        raise DomainError(
            "ratio.evidence_required",
            f"社保编码{'、'.join(missing)}的参保比例未达要求，请上传相关材料",
            unit_codes=list(missing),
        )
    if unclassed:
        raise DomainError("roster.no_ss_unclassed", f"有{unclassed}位无社保人员尚未选择具体情形", count=unclassed)
