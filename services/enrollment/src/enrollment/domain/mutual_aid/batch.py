"""参保状态 of a mutual-aid batch — manual 002, 二(三) 清册校验, 二(四), 二(五), 二(七) 参保状态说明 and 四 其他事项.

清册待校验 → 清册校验不通过 / 清册校验通过 (or, with attachments, 职保会待审核 → 职保会审核通过 /
职保会审核不通过) → 提交确认保费 (the items are chosen) → 缴费凭证待上传 → 审核中 → 参保已完成.
- 批次删除 "在整个批次状态为“清册待校验”或“清册校验不通过”时" — the batch and its people are gone;
- 批次撤回 with a reason → 清册待校验: "在集中参保办理期限内，缴费凭证未上传之前，都可以进行批次撤回" (the
  batch list also offers it on 清册校验通过);
- "缴费凭证上传后，参保清册不能再进行修改"; after 职保会审核不通过 the clerk edits the roster and its
  attachments and submits again.
A refused step raises `batch.<action>_refused` naming the batch's status and where the step is allowed.
"""

from __future__ import annotations

from enum import StrEnum

from runtime.errors import DomainError, InvalidInput

MAX_REASON = 200


class BatchStatus(StrEnum):
    ROSTER_PENDING = "清册待校验"
    ROSTER_FAILED = "清册校验不通过"
    ROSTER_PASSED = "清册校验通过"
    INSURER_REVIEW = "职保会待审核"
    INSURER_APPROVED = "职保会审核通过"
    INSURER_REJECTED = "职保会审核不通过"
    VOUCHER_PENDING = "缴费凭证待上传"
    VOUCHER_REVIEW = "审核中"
    COMPLETED = "参保已完成"


class BatchAction(StrEnum):
    CHECK_FAILED = "check_failed"  # 清册校验 found rows to remove
    SUBMIT = "submit"  # 清册提交 of a roster that passed
    SUBMIT_FOR_REVIEW = "submit_for_review"  # 清册提交 with attachments
    APPROVE = "approve"  # 职保会审核通过
    REJECT = "reject"  # 职保会审核不通过 (reason in the operation log)
    CONFIRM_PREMIUM = "confirm_premium"  # 提交确认保费: the items are chosen
    UPLOAD_VOUCHER = "upload_voucher"
    CONFIRM_PAYMENT = "confirm_payment"  # the insurer accepts the voucher
    RETURN_VOUCHER = "return_voucher"  # the insurer does not (inferred: the manual only says it reviews)
    WITHDRAW = "withdraw"  # 批次撤回
    DELETE = "delete"  # 批次删除


LABELS: dict[BatchAction, str] = {
    BatchAction.CHECK_FAILED: "清册校验",
    BatchAction.SUBMIT: "清册提交",
    BatchAction.SUBMIT_FOR_REVIEW: "清册提交（上传附件审核）",
    BatchAction.APPROVE: "职保会审核",
    BatchAction.REJECT: "职保会审核",
    BatchAction.CONFIRM_PREMIUM: "选择保障项目并提交确认保费",
    BatchAction.UPLOAD_VOUCHER: "上传缴费凭证",
    BatchAction.CONFIRM_PAYMENT: "确认缴费",
    BatchAction.RETURN_VOUCHER: "退回缴费凭证",
    BatchAction.WITHDRAW: "批次撤回",
    BatchAction.DELETE: "批次删除",
}

S = BatchStatus
EDITABLE = (S.ROSTER_PENDING, S.ROSTER_FAILED, S.INSURER_REJECTED)  # the roster can still change
# action → (the states it is allowed in, the state it leads to; None: the batch is gone)
TRANSITIONS: dict[BatchAction, tuple[tuple[BatchStatus, ...], BatchStatus | None]] = {
    BatchAction.CHECK_FAILED: (EDITABLE, S.ROSTER_FAILED),
    BatchAction.SUBMIT: (EDITABLE, S.ROSTER_PASSED),
    BatchAction.SUBMIT_FOR_REVIEW: (EDITABLE, S.INSURER_REVIEW),
    BatchAction.APPROVE: ((S.INSURER_REVIEW,), S.INSURER_APPROVED),
    BatchAction.REJECT: ((S.INSURER_REVIEW,), S.INSURER_REJECTED),
    BatchAction.CONFIRM_PREMIUM: ((S.ROSTER_PASSED, S.INSURER_APPROVED), S.VOUCHER_PENDING),
    BatchAction.UPLOAD_VOUCHER: ((S.VOUCHER_PENDING,), S.VOUCHER_REVIEW),
    BatchAction.CONFIRM_PAYMENT: ((S.VOUCHER_REVIEW,), S.COMPLETED),
    BatchAction.RETURN_VOUCHER: ((S.VOUCHER_REVIEW,), S.VOUCHER_PENDING),
    BatchAction.WITHDRAW: ((S.ROSTER_PASSED, S.INSURER_APPROVED, S.VOUCHER_PENDING), S.ROSTER_PENDING),
    BatchAction.DELETE: ((S.ROSTER_PENDING, S.ROSTER_FAILED), None),
}
NEEDS_REASON: dict[BatchAction, str] = {
    BatchAction.REJECT: "审核不通过",
    BatchAction.RETURN_VOUCHER: "退回",
    BatchAction.WITHDRAW: "批次撤回",
}


def allowed(status: BatchStatus) -> list[BatchAction]:
    """The steps a batch offers in its status (what the 操作 column shows)."""
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


def transition(status: BatchStatus, action: BatchAction, reason: str | None = None) -> BatchStatus | None:
    """The batch's next status (None after 批次删除), or a refusal that changes nothing."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise DomainError(
            f"batch.{action.value}_refused",
            f"批次当前状态为“{status}”，不能{LABELS[action]}（仅限{'、'.join(f'“{s}”' for s in sources)}状态）",
            batch_status=status.value,  # not "status": problem+json keeps that for the HTTP status
            allowed=[s.value for s in sources],
        )
    if action in NEEDS_REASON:
        check_reason(reason, NEEDS_REASON[action])
    return target


def withdraw(status: BatchStatus, reason: str | None, window_open: bool) -> BatchStatus:
    """批次撤回 — of a collective batch only while the collective window is open ("在集中参保办理期限内")."""
    if not window_open:
        raise DomainError("batch.withdraw_closed", "已超过参保办理期限，不能批次撤回")
    target = transition(status, BatchAction.WITHDRAW, reason)
    assert target is not None
    return target


def check_roster_editable(status: BatchStatus) -> None:
    if status not in EDITABLE:
        raise DomainError(
            "batch.roster_frozen",
            f"批次当前状态为“{status}”，参保清册不能修改"
            + ("（可先批次撤回）" if BatchAction.WITHDRAW in allowed(status) else ""),
            batch_status=status.value,  # not "status": problem+json keeps that for the HTTP status
        )


def check_reason(reason: str | None, label: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("batch.reason_required", f"请填写{label}原因")
    if len(text) > MAX_REASON:
        raise InvalidInput("batch.reason_too_long", f"{label}原因不能超过{MAX_REASON}字")
    return text
