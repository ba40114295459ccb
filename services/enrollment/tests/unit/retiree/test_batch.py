"""A batch's statuses, allowed steps and the step bar (manual 003, 四 参保流程各个状态的说明, 常见问题 08)."""

from __future__ import annotations

import pytest

from enrollment.domain.retiree.batch import (
    EDITABLE,
    BatchAction,
    BatchStatus,
    check_mode_step,
    check_roster_editable,
    insurer_actions,
    step,
    transition,
    unit_actions,
)
from enrollment.domain.retiree.payment import PaymentMode
from runtime.errors import DomainError

S, A = BatchStatus, BatchAction
W, V = PaymentMode.WITHHOLDING, PaymentMode.VOUCHER


def refused(call) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as e:
        call()
    return e.value


def test_the_withholding_path_to_insured():
    path = [
        (S.ROSTER_EMPTY, A.ROSTER_CHANGED, S.ROSTER_PENDING),
        (S.ROSTER_PENDING, A.SUBMIT_VALIDATION, S.VALIDATING),
        (S.VALIDATING, A.VALIDATION_DONE, S.VALIDATED),
        (S.VALIDATED, A.SUBMIT_VALIDATION, S.VALIDATING),  # 处理完成，再次提交系统校验
        (S.VALIDATING, A.VALIDATION_DONE, S.VALIDATED),
        (S.VALIDATED, A.SUBMIT_REVIEW, S.REVIEW),
        (S.REVIEW, A.APPROVE, S.APPROVED),
        (S.APPROVED, A.REQUEST_WITHHOLDING, S.WITHHOLDING),
        (S.WITHHOLDING, A.WITHHOLDING_DONE, S.WITHHELD),
        (S.WITHHELD, A.CONFIRM_ROSTER, S.VOUCHER_PENDING),
        (S.VOUCHER_PENDING, A.UPLOAD_VOUCHER, S.VOUCHER_REVIEW),
        (S.VOUCHER_REVIEW, A.CONFIRM_PAYMENT, S.COMPLETED),
    ]
    for before, action, after in path:
        assert transition(before, action) is after
    assert [s.value for s in S] == [
        "名单待导入", "名单待校验", "名单校验中", "名单校验完成", "职保会待审核", "职保会审核不通过", "职保会审核通过",
        "代扣处理中", "代扣完成", "缴费凭证待上传", "凭证审核中", "投保成功",
    ]  # fmt: skip


def test_a_returned_batch_is_fixed_and_submitted_again_with_the_reason():
    """审核不通过 "反馈原因": the unit changes the roster and submits again."""
    assert refused(lambda: transition(S.REVIEW, A.REJECT, " ")).code == "batch.reason_required"
    assert refused(lambda: transition(S.REVIEW, A.REJECT, "x" * 201)).code == "batch.reason_too_long"
    assert transition(S.REVIEW, A.REJECT, "缺少《社会保险业务核定表》") is S.REJECTED
    assert transition(S.REJECTED, A.SUBMIT_REVIEW) is S.REVIEW
    assert transition(S.REJECTED, A.ROSTER_CHANGED) is S.ROSTER_PENDING


def test_a_refused_step_names_the_status_and_where_it_is_allowed():
    e = refused(lambda: transition(S.VALIDATING, A.SUBMIT_REVIEW))
    assert e.code == "batch.submit_review_refused"
    assert e.extra == {"batch_status": "名单校验中", "allowed": ["名单校验完成", "职保会审核不通过"]}
    assert refused(lambda: transition(S.ROSTER_EMPTY, A.SUBMIT_VALIDATION)).code == "batch.submit_validation_refused"
    assert refused(lambda: transition(S.VALIDATED, A.CONFIRM_ROSTER)).code == "batch.confirm_roster_refused"


def test_the_roster_changes_only_before_review_or_after_a_return():
    """ "在提交职保会审核前 或 职保会审核不通过 可以修改名单"; 批次删除 then too."""
    assert EDITABLE == (S.ROSTER_EMPTY, S.ROSTER_PENDING, S.VALIDATED, S.REJECTED)
    for status in S:
        if status in EDITABLE:
            check_roster_editable(status)
            assert transition(status, A.DELETE) is None
        else:
            assert refused(lambda s=status: check_roster_editable(s)).code == "batch.roster_frozen"
            assert refused(lambda s=status: transition(s, A.DELETE)).code == "batch.delete_refused"


def test_after_approval_the_modes_part():
    """Withholding asks the bank first; a voucher batch confirms its roster straight away."""
    check_mode_step(A.REQUEST_WITHHOLDING, S.APPROVED, W)
    check_mode_step(A.CONFIRM_ROSTER, S.APPROVED, V)
    check_mode_step(A.CONFIRM_ROSTER, S.WITHHELD, W)
    assert refused(lambda: check_mode_step(A.REQUEST_WITHHOLDING, S.APPROVED, V)).code == "payment.not_withholding"
    assert refused(lambda: check_mode_step(A.CONFIRM_ROSTER, S.APPROVED, W)).code == "payment.is_withholding"


def test_billing_may_confirm_a_batch_the_withholding_paid_in_full_without_a_voucher():
    assert transition(S.VOUCHER_PENDING, A.CONFIRM_PAYMENT) is S.COMPLETED


def test_the_step_bar():
    assert step(S.ROSTER_EMPTY, False, None, 0) == 2
    assert step(S.ROSTER_EMPTY, True, None, 0) == 3
    assert step(S.ROSTER_EMPTY, True, W, 0) == 4
    assert step(S.ROSTER_PENDING, True, W, 0) == 4
    assert step(S.VALIDATING, True, W, 0) == 5
    assert step(S.VALIDATED, True, W, 3) == 6
    assert step(S.VALIDATED, True, W, 0) == 7
    assert step(S.REVIEW, True, W, 0) == 8
    assert step(S.APPROVED, True, W, 0) == 9
    assert step(S.APPROVED, True, V, 0) == 10
    assert [step(s, True, W, 0) for s in (S.WITHHOLDING, S.WITHHELD, S.VOUCHER_PENDING, S.COMPLETED)] == [9, 9, 10, 10]


def test_what_the_unit_and_the_insurer_may_do():
    assert unit_actions(S.ROSTER_EMPTY, False, None) == [
        "confirm_unit", "choose_payment_mode", "add_people", "import", "upload_attachment", "delete",
    ]  # fmt: skip
    assert "submit_review" in unit_actions(S.VALIDATED, True, W)
    assert unit_actions(S.VALIDATING, True, W) == unit_actions(S.REVIEW, True, W) == []
    assert unit_actions(S.APPROVED, True, W) == ["request_withholding"]
    assert unit_actions(S.APPROVED, True, V) == ["confirm_roster"]
    assert unit_actions(S.WITHHELD, True, W) == ["delete_failed", "confirm_roster"]
    assert insurer_actions(S.REVIEW) == ["approve", "reject"]
    assert insurer_actions(S.VALIDATED) == []
