"""What social security's answers make of a person, the ratio per social-security unit code and the
people without social security (manual 003, 三(三)2–4, 三(四) 代扣失败人员处理方式)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from enrollment.domain.retiree.roster import (
    CheckResult,
    Facts,
    Insured,
    NoSsClass,
    RatioLine,
    Withholdable,
    WithholdingResult,
    check_deletable_after_withholding,
    check_deletion_keeps_ratio,
    check_no_ss_class,
    check_ready_for_review,
    check_retirement_month,
    confirm_ss_name,
    evidence_missing,
    is_anomaly,
    needs_asking,
    percent_text,
    ratio_lines,
    result_of,
    withholdable_of,
)
from runtime.errors import DomainError

R = CheckResult
PASSED = Facts("张三", answered=True, found=True, ss_name="张三", retirement_month="2018-05", withholdable=True)


def refused(call) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as e:
        call()
    return e.value


def test_the_check_results_and_which_are_anomalies():
    """校验通过; 参保姓名和社保姓名不一致; 死亡; 退休年月为空或值无效; 未匹配到社保信息 (not an anomaly)."""
    assert result_of(Facts("张三")) is R.PENDING
    assert result_of(Facts("张三", asked=True)) is R.CHECKING
    assert result_of(PASSED) is R.PASSED
    assert result_of(replace(PASSED, ss_name="张叁")) is R.NAME_MISMATCH
    assert result_of(replace(PASSED, deceased=True)) is R.DECEASED
    assert result_of(replace(PASSED, retirement_month=None)) is R.RETIREMENT_MISSING
    assert result_of(replace(PASSED, found=False, ss_name="")) is R.NOT_FOUND
    assert result_of(replace(PASSED, failure="timeout")) is R.FAILED
    assert [is_anomaly(r) for r in R] == [
        False, False, False, True, True, True, False, False, False, True,
    ]  # fmt: skip


def test_a_name_mismatch_is_fixed_by_taking_the_social_security_name():
    """ "如确认社保姓名正确，请点击社保姓名右侧【确认】按钮，以社保姓名覆盖"."""
    mismatch = Facts("张叁", answered=True, found=True, ss_name="张三", retirement_month="2018-05")
    name = confirm_ss_name(mismatch)
    assert name == "张三"
    assert result_of(replace(mismatch, name=name, name_confirmed=True)) is R.NAME_CONFIRMED
    assert refused(lambda: confirm_ss_name(Facts("李四", answered=True))).code == "roster.no_ss_name"


def test_a_missing_retirement_month_is_fixed_by_editing_it():
    """ "未匹配到退休人员的退休年月 → 补充该人员的退休年月" → 已经修改退休年月."""
    missing = replace(PASSED, retirement_month=None)
    fixed = replace(missing, retirement_month=check_retirement_month("2019-3"), retirement_edited=True)
    assert fixed.retirement_month == "2019-03" and result_of(fixed) is R.RETIREMENT_EDITED
    for bad in ("2019", "2019-13", "19-03", "1900-01", "abcd-ef"):
        with pytest.raises(DomainError) as e:
            check_retirement_month(bad)
        assert e.value.code == "roster.retirement_month_invalid"


def test_resubmission_asks_again_only_what_is_unanswered_or_still_wrong():
    asked_again = {r for r in R if needs_asking(r)}
    assert asked_again == {R.PENDING, R.FAILED, R.NAME_MISMATCH, R.DECEASED, R.RETIREMENT_MISSING}


def test_not_withholdable_people_are_paid_by_the_unit():
    """代扣类型: 可代扣 only for people on the register whose pension can be withheld, with nothing wrong."""
    assert withholdable_of(PASSED, True) is Withholdable.YES
    assert withholdable_of(replace(PASSED, withholdable=False), True) is Withholdable.NO
    assert withholdable_of(replace(PASSED, found=False), True) is Withholdable.NO
    assert withholdable_of(replace(PASSED, ss_name="张叁"), True) is Withholdable.NO
    assert withholdable_of(PASSED, False) is Withholdable.UNKNOWN  # voucher mode
    assert withholdable_of(Facts("张三"), True) is Withholdable.UNKNOWN


def test_the_ratio_per_social_security_code():
    """参保比例 = (参保人数 + 已参保人数) / 社保人数; under 75 % material is needed, new retirees excepted."""
    people = [Insured("A")] * 29 + [Insured("B", new_retiree=True)] * 2 + [Insured("C")] * 11 + [Insured(None)] * 3
    lines = ratio_lines(people, {"A": 38, "B": 10, "C": 13777}, {"C": 0, "A": 1})
    assert [(x.unit_code, x.headcount, x.insured, x.already_insured, x.percent) for x in lines] == [
        ("A", 38, 29, 1, "78.94%"), ("B", 10, 2, 0, "20%"), ("C", 13777, 11, 0, "0.07%"),
    ]  # fmt: skip
    assert [(x.below(75), x.evidence_required(75)) for x in lines] == [(False, False), (True, False), (True, True)]
    assert evidence_missing(lines, 75, set()) == ["C"]
    assert evidence_missing(lines, 75, {"C"}) == []
    unknown = RatioLine("D", 0, 2, 0, False)  # no headcount loaded: "-" and material needed
    assert (unknown.percent, unknown.evidence_required(75)) == ("-", True)
    assert [percent_text(r) for r in (lines[0].ratio, None)] == ["78.94%", "-"]


def test_failed_people_are_deleted_only_while_the_ratio_holds():
    """删减人员 "前提条件：不影响75%的参保比例": 30 of 38 insured; one may go (29/38 = 76.31 %), not two."""
    lines = ratio_lines([Insured("A")] * 30 + [Insured(None)] * 2, {"A": 38}, {})
    check_deletion_keeps_ratio(lines, Counter({"A": 1}), 75)
    e = refused(lambda: check_deletion_keeps_ratio(lines, Counter({"A": 3}), 75))
    assert (e.code, e.extra) == ("ratio.would_break", {"unit_code": "A", "percent": "71.05%"})
    check_deletion_keeps_ratio(lines, Counter(), 75)  # people without social security leave freely


def test_after_the_withholding_only_failed_people_leave():
    check_deletable_after_withholding(
        [("甲", Withholdable.YES, WithholdingResult.FAILED), ("乙", Withholdable.NO, None)]
    )
    e = refused(lambda: check_deletable_after_withholding([("丙", Withholdable.YES, WithholdingResult.SUCCEEDED)]))
    assert e.code == "withholding.delete_refused"


def test_people_without_social_security_are_classed():
    """新退休 / 干保 / 出国 / 其他 — "选择其他后，请填写备注，并上传附件"."""
    assert check_no_ss_class(NoSsClass.NEW_RETIREE, None, False) == ""
    assert check_no_ss_class(NoSsClass.ABROAD, " 定居澳洲 ", False) == "定居澳洲"
    assert refused(lambda: check_no_ss_class(NoSsClass.OTHER, "", True)).code == "roster.remark_required"
    assert refused(lambda: check_no_ss_class(NoSsClass.OTHER, "社保封存", False)).code == "roster.attachment_required"
    assert check_no_ss_class(NoSsClass.OTHER, "社保封存", True) == "社保封存"


def test_the_review_submission_lights_up_once_nothing_is_wrong():
    ready = {"persons": 13, "unanswered": 0, "anomalies": 0, "missing": [], "unclassed": 0}
    check_ready_for_review(**ready)  # type: ignore[arg-type]
    for change, code in (
        ({"persons": 0}, "roster.empty"), ({"unanswered": 2}, "roster.unchecked"),
        ({"anomalies": 1}, "roster.anomalies"), ({"missing": ["C"]}, "ratio.evidence_required"),
        ({"unclassed": 1}, "roster.no_ss_unclassed"),
    ):  # fmt: skip
        assert refused(lambda c=change: check_ready_for_review(**(ready | c))).code == code  # type: ignore[arg-type]
