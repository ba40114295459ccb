"""参保状态 of a mutual-aid batch: the manual's paths, 批次删除 and 批次撤回 (manual 002, 二(七), 四)."""

from __future__ import annotations

import pytest

from enrollment.domain.mutual_aid.batch import (
    BatchAction,
    BatchStatus,
    allowed,
    check_roster_editable,
    transition,
    withdraw,
)
from runtime.errors import DomainError, InvalidInput

S, A = BatchStatus, BatchAction


def walk(status: BatchStatus, *actions: BatchAction) -> BatchStatus | None:
    for action in actions:
        status = transition(status, action, reason="材料不全")  # type: ignore[assignment]
    return status


def test_a_roster_that_passes_goes_through_premium_voucher_and_review_to_completion():
    assert walk(S.ROSTER_PENDING, A.SUBMIT) is S.ROSTER_PASSED
    assert walk(S.ROSTER_PASSED, A.CONFIRM_PREMIUM) is S.VOUCHER_PENDING
    assert walk(S.VOUCHER_PENDING, A.UPLOAD_VOUCHER) is S.VOUCHER_REVIEW
    assert walk(S.VOUCHER_REVIEW, A.CONFIRM_PAYMENT) is S.COMPLETED


def test_a_failed_check_is_fixed_and_submitted_again():
    assert walk(S.ROSTER_PENDING, A.CHECK_FAILED) is S.ROSTER_FAILED
    assert walk(S.ROSTER_FAILED, A.SUBMIT) is S.ROSTER_PASSED


def test_a_roster_with_attachments_waits_for_the_insurer():
    """职保会待审核 → 职保会审核通过 → 保障项目选择; 审核不通过 → edit the attachments and submit again."""
    assert walk(S.ROSTER_PENDING, A.SUBMIT_FOR_REVIEW, A.APPROVE, A.CONFIRM_PREMIUM) is S.VOUCHER_PENDING
    assert walk(S.ROSTER_PENDING, A.SUBMIT_FOR_REVIEW, A.REJECT) is S.INSURER_REJECTED
    assert walk(S.INSURER_REJECTED, A.SUBMIT_FOR_REVIEW) is S.INSURER_REVIEW


def test_items_cannot_be_chosen_before_the_roster_passed_or_was_approved():
    with pytest.raises(DomainError) as refused:
        transition(S.INSURER_REVIEW, A.CONFIRM_PREMIUM)
    assert refused.value.code == "batch.confirm_premium_refused"
    assert "“职保会待审核”" in refused.value.title
    assert refused.value.extra["allowed"] == ["清册校验通过", "职保会审核通过"]


def test_delete_only_while_the_roster_awaits_or_failed_its_check():
    """ "在整个批次状态为“清册待校验”或“清册校验不通过”时，可以进行【批次删除】"."""
    assert transition(S.ROSTER_PENDING, A.DELETE) is None
    assert transition(S.ROSTER_FAILED, A.DELETE) is None
    for status in (S.ROSTER_PASSED, S.INSURER_REVIEW, S.VOUCHER_PENDING, S.COMPLETED):
        with pytest.raises(DomainError) as refused:
            transition(status, A.DELETE)
        assert refused.value.code == "batch.delete_refused"
        assert f"批次当前状态为“{status}”，不能批次删除" in refused.value.title


def test_withdraw_with_a_reason_goes_back_to_awaiting_the_check():
    """ "在【缴费凭证待上传】状态下，点击【批次撤回】重新选择保障项目" → 清册待校验."""
    assert withdraw(S.VOUCHER_PENDING, "漏选保障项目", window_open=True) is S.ROSTER_PENDING
    assert withdraw(S.ROSTER_PASSED, "重新整理清册", window_open=True) is S.ROSTER_PENDING
    with pytest.raises(InvalidInput) as no_reason:
        withdraw(S.VOUCHER_PENDING, "  ", window_open=True)
    assert (no_reason.value.code, no_reason.value.title) == ("batch.reason_required", "请填写批次撤回原因")


def test_no_withdraw_once_the_voucher_is_uploaded_or_after_the_window():
    """ "缴费凭证未上传之前，都可以进行批次撤回" — and only "在集中参保办理期限内"."""
    with pytest.raises(DomainError) as uploaded:
        withdraw(S.VOUCHER_REVIEW, "漏选保障项目", window_open=True)
    assert uploaded.value.code == "batch.withdraw_refused"
    with pytest.raises(DomainError) as closed:
        withdraw(S.VOUCHER_PENDING, "漏选保障项目", window_open=False)
    assert closed.value.code == "batch.withdraw_closed"


def test_the_roster_is_frozen_from_submission_on():
    """ "缴费凭证上传后，参保清册不能再进行修改"; before that a submitted roster is withdrawn first."""
    for status in (S.ROSTER_PENDING, S.ROSTER_FAILED, S.INSURER_REJECTED):
        check_roster_editable(status)
    with pytest.raises(DomainError) as frozen:
        check_roster_editable(S.VOUCHER_REVIEW)
    assert frozen.value.code == "batch.roster_frozen"
    with pytest.raises(DomainError) as withdraw_first:
        check_roster_editable(S.VOUCHER_PENDING)
    assert "可先批次撤回" in withdraw_first.value.title


def test_the_steps_each_status_offers():
    assert allowed(S.ROSTER_PENDING) == [A.CHECK_FAILED, A.SUBMIT, A.SUBMIT_FOR_REVIEW, A.DELETE]
    assert allowed(S.VOUCHER_PENDING) == [A.UPLOAD_VOUCHER, A.WITHDRAW]
    assert allowed(S.COMPLETED) == []


def test_an_insurer_rejection_needs_its_reason():
    with pytest.raises(InvalidInput) as refused:
        transition(S.INSURER_REVIEW, A.REJECT, reason=None)
    assert refused.value.title == "请填写审核不通过原因"
