"""待办会员列表 rules: adding, expiry dates, social-security answers, channels, submission."""

from __future__ import annotations

from datetime import date

import pytest

from cards.domain.pending import (
    NAME_DIFFERS,
    NOT_FOUND,
    RETIRED,
    RowState,
    addable_refusal,
    check_expiry,
    check_outcome,
    check_refusal,
    check_submittable,
    ready,
    switch_channel,
)
from cards.domain.states import CheckState
from contracts.socialsec import CheckResult
from runtime.errors import DomainError, InvalidInput

TODAY = date(2026, 3, 2)


def test_only_eligible_members_without_a_card_in_progress_may_be_added() -> None:
    assert addable_refusal(True, True, "未办卡") is None
    assert addable_refusal(False, True, "未办卡") == "会员编号未生成，请等待编号生成后再添加"
    assert addable_refusal(True, True, "待办中") == "已在待办中或办卡批次中"
    assert addable_refusal(True, True, "已办卡") == "已办卡"
    assert addable_refusal(False, False, "未办卡") == "不符合办卡条件"


def test_expiry_must_be_after_today_or_long_term() -> None:
    assert check_expiry(date(2026, 3, 3), False, TODAY) == (date(2026, 3, 3), False)
    assert check_expiry(None, True, TODAY) == (None, True)
    for day, code in ((TODAY, "cards.expiry_past"), (date(2020, 1, 1), "cards.expiry_past")):
        with pytest.raises(InvalidInput) as caught:
            check_expiry(day, False, TODAY)
        assert caught.value.code == code
    with pytest.raises(InvalidInput) as caught:
        check_expiry(None, False, TODAY)
    assert caught.value.code == "cards.expiry_required"
    with pytest.raises(InvalidInput) as caught:
        check_expiry(date(2030, 1, 1), True, TODAY)
    assert caught.value.code == "cards.expiry_conflict"


def _result(**kw) -> CheckResult:  # type: ignore[no-untyped-def]
    return CheckResult(**({"subject_id": "1", "found": True} | kw))


def test_social_security_answers_become_states_with_the_reason() -> None:
    assert check_outcome(_result()) == (CheckState.PASSED, "")
    assert check_outcome(_result(retired=True, retirement_month="2023-04")) == (CheckState.FAILED, RETIRED)
    assert check_outcome(_result(name_matches=False, name_on_record="张三")) == (CheckState.FAILED, NAME_DIFFERS)
    assert check_outcome(_result(found=False)) == (CheckState.FAILED, NOT_FOUND)
    # retirement is named first when both fail
    assert check_outcome(_result(retired=True, name_matches=False))[1] == RETIRED


def test_a_temporary_failure_leaves_the_row_checking_to_be_sent_again() -> None:
    state, reason = check_outcome(_result(found=False, failure="社保接口超时"))
    assert state == CheckState.CHECKING and "社保接口超时" in reason and "重新提交" in reason


def test_only_normal_and_personal_rows_go_to_the_check() -> None:
    assert check_refusal("普通", "未校验") is None
    assert check_refusal("普通", "校验中") is None  # sent again after a failure
    assert check_refusal("普通", "未通过") is None
    assert check_refusal("个人", "未校验") is None
    assert check_refusal("普通", "已通过") == "已通过校验"
    assert check_refusal("特殊", "未校验") == "特殊办卡通道无需系统校验，请完善信息"


def test_rows_switch_between_normal_and_special_only() -> None:
    assert switch_channel("普通", "特殊") == "特殊"
    assert switch_channel("特殊", "普通") == "普通"
    cases = [("个人", "普通", "cards.channel_personal"), ("普通", "普通", "cards.channel_unchanged"),
             ("普通", "个人", "cards.channel_invalid")]  # fmt: skip
    for current, target, code in cases:
        with pytest.raises(DomainError) as caught:
            switch_channel(current, target)
        assert caught.value.code == code


def test_normal_rows_are_ready_when_passed_special_rows_when_complete() -> None:
    assert ready("普通", "已通过", False)
    assert not ready("普通", "未校验", True)
    assert ready("特殊", "未校验", True)
    assert not ready("特殊", "已通过", False)
    assert ready("个人", "已通过", True)


def test_submission_needs_rows_every_one_ready_and_at_most_a_thousand() -> None:
    check_submittable("普通", [RowState("已通过", False)] * 1000)
    check_submittable("特殊", [RowState("未校验", True)] * 3)
    with pytest.raises(InvalidInput) as caught:
        check_submittable("普通", [RowState("已通过", False)] * 1001)
    assert (caught.value.code, caught.value.extra) == ("cards.batch_too_large", {"count": 1001, "limit": 1000})
    assert "1000" in caught.value.title
    with pytest.raises(DomainError) as caught:
        check_submittable("普通", [RowState("已通过", False), RowState("未通过", False), RowState("校验中", False)])
    assert (caught.value.code, caught.value.extra) == ("cards.not_all_passed", {"not_passed": 2})
    with pytest.raises(DomainError) as caught:
        check_submittable("特殊", [RowState("未校验", False), RowState("未校验", True)])
    assert (caught.value.code, caught.value.extra) == ("cards.info_incomplete", {"incomplete": 1})
    with pytest.raises(InvalidInput) as caught:
        check_submittable("特殊", [])
    assert caught.value.code == "cards.pending_empty"
