"""A retiree-plan batch's statuses, steps and the step bar — manual 003, 三(三) 办理参保申请, 四 参保流程各个状态的说明
and 常见问题 08 (参保流程中，修改参保名单如何操作).

名单待导入 → 名单待校验 → 名单校验中 → 名单校验完成 (anomalies fixed, 再次提交系统校验 when needed) → 职保会待审核 →
职保会审核通过 / 职保会审核不通过 (fix, submit again) → (委托代扣) 代扣处理中 → 代扣完成 → 缴费凭证待上传 →
凭证审核中 → 投保成功. A voucher-mode batch goes from 职保会审核通过 to 缴费凭证待上传 when the unit confirms
its roster (参保名单确定，前往上传缴费凭证).
- the roster changes "在提交职保会审核前 或 职保会审核不通过"; after the withholding only people whose
  withholding failed are deleted ("代扣完成后针对代扣失败人员（在不影响75%参保比例条件下）进行删除");
- 批次删除 while the roster can still change ("当前批次可以进行删除，重新选择参保类型进行参保办理").
A refused step raises `batch.<action>_refused` naming the status and where the step is allowed.
"""

from __future__ import annotations

from enum import StrEnum

from runtime.errors import DomainError, InvalidInput

from .payment import PaymentMode

MAX_REASON = 200


class BatchStatus(StrEnum):
    ROSTER_EMPTY = "名单待导入"
    ROSTER_PENDING = "名单待校验"
    VALIDATING = "名单校验中"
    VALIDATED = "名单校验完成"
    REVIEW = "职保会待审核"
    REJECTED = "职保会审核不通过"
    APPROVED = "职保会审核通过"
    WITHHOLDING = "代扣处理中"
    WITHHELD = "代扣完成"
    VOUCHER_PENDING = "缴费凭证待上传"
    VOUCHER_REVIEW = "凭证审核中"
    COMPLETED = "投保成功"


class BatchAction(StrEnum):
    ROSTER_CHANGED = "roster_changed"  # people added (or all removed): the roster waits for validation
    ROSTER_EMPTIED = "roster_emptied"
    SUBMIT_VALIDATION = "submit_validation"  # 提交系统校验 / 处理完成，再次提交系统校验
    VALIDATION_DONE = "validation_done"  # every person answered
    SUBMIT_REVIEW = "submit_review"  # 信息确认无误，提交职保会审核
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_WITHHOLDING = "request_withholding"  # 代扣名单确认，提交代扣申请
    WITHHOLDING_DONE = "withholding_done"  # every requested person has the bank's outcome
    CONFIRM_ROSTER = "confirm_roster"  # 参保名单确定，前往上传缴费凭证 → billing
    UPLOAD_VOUCHER = "upload_voucher"
    CONFIRM_PAYMENT = "confirm_payment"  # 凭证审核通过 → 投保成功
    DELETE = "delete"  # 批次删除


LABELS: dict[BatchAction, str] = {
    BatchAction.ROSTER_CHANGED: "修改参保名单",
    BatchAction.ROSTER_EMPTIED: "清空参保名单",
    BatchAction.SUBMIT_VALIDATION: "提交系统校验",
    BatchAction.VALIDATION_DONE: "系统校验完成",
    BatchAction.SUBMIT_REVIEW: "提交职保会审核",
    BatchAction.APPROVE: "职保会审核",
    BatchAction.REJECT: "职保会审核",
    BatchAction.REQUEST_WITHHOLDING: "提交代扣申请",
    BatchAction.WITHHOLDING_DONE: "代扣完成",
    BatchAction.CONFIRM_ROSTER: "参保名单确定",
    BatchAction.UPLOAD_VOUCHER: "上传缴费凭证",
    BatchAction.CONFIRM_PAYMENT: "凭证审核通过",
    BatchAction.DELETE: "批次删除",
}

S = BatchStatus
# the roster can change (people added, edited, deleted; anomalies fixed; evidence uploaded)
EDITABLE = (S.ROSTER_EMPTY, S.ROSTER_PENDING, S.VALIDATED, S.REJECTED)
TRANSITIONS: dict[BatchAction, tuple[tuple[BatchStatus, ...], BatchStatus | None]] = {
    BatchAction.ROSTER_CHANGED: (EDITABLE, S.ROSTER_PENDING),
    BatchAction.ROSTER_EMPTIED: (EDITABLE, S.ROSTER_EMPTY),
    BatchAction.SUBMIT_VALIDATION: ((S.ROSTER_PENDING, S.VALIDATED, S.REJECTED), S.VALIDATING),
    BatchAction.VALIDATION_DONE: ((S.VALIDATING,), S.VALIDATED),
    BatchAction.SUBMIT_REVIEW: ((S.VALIDATED, S.REJECTED), S.REVIEW),
    BatchAction.APPROVE: ((S.REVIEW,), S.APPROVED),
    BatchAction.REJECT: ((S.REVIEW,), S.REJECTED),
    BatchAction.REQUEST_WITHHOLDING: ((S.APPROVED,), S.WITHHOLDING),
    BatchAction.WITHHOLDING_DONE: ((S.WITHHOLDING,), S.WITHHELD),
    BatchAction.CONFIRM_ROSTER: ((S.APPROVED, S.WITHHELD), S.VOUCHER_PENDING),
    BatchAction.UPLOAD_VOUCHER: ((S.VOUCHER_PENDING,), S.VOUCHER_REVIEW),
    BatchAction.CONFIRM_PAYMENT: ((S.VOUCHER_PENDING, S.VOUCHER_REVIEW), S.COMPLETED),
    BatchAction.DELETE: (EDITABLE, None),
}
NEEDS_REASON = {BatchAction.REJECT: "审核不通过"}


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


def check_mode_step(action: BatchAction, status: BatchStatus, mode: PaymentMode | None) -> None:
    """After approval the two modes part: a withholding batch asks the bank first, a voucher batch goes
    straight to billing."""
    if action is BatchAction.REQUEST_WITHHOLDING and mode is not PaymentMode.WITHHOLDING:
        raise DomainError("payment.not_withholding", "本批次为缴费凭证参保，无需提交代扣申请")
    if action is BatchAction.CONFIRM_ROSTER and status is S.APPROVED and mode is PaymentMode.WITHHOLDING:
        raise DomainError("payment.is_withholding", "本批次为委托代扣款缴费参保，请先提交代扣申请")


def check_roster_editable(status: BatchStatus) -> None:
    if status not in EDITABLE:
        raise DomainError(
            "batch.roster_frozen",
            f"批次当前状态为“{status}”，参保名单不能修改（仅在提交职保会审核前或职保会审核不通过时可以修改）",
            batch_status=status.value,
        )


def check_reason(reason: str | None, label: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("batch.reason_required", f"请填写{label}原因")
    if len(text) > MAX_REASON:
        raise InvalidInput("batch.reason_too_long", f"{label}原因不能超过{MAX_REASON}字")
    return text


# --- the step bar and what the unit may do ------------------------------------------------------------

STEP_LABELS = {
    1: "选择参保类型", 2: "单位信息维护", 3: "选择缴费方式", 4: "参保名单梳理", 5: "提交系统校验",
    6: "异常数据处理", 7: "提交职保会审核", 8: "职保会审核", 9: "代扣申请提交", 10: "缴费参保",
}  # fmt: skip


def step(status: BatchStatus, unit_confirmed: bool, mode: PaymentMode | None, anomalies: int) -> int:
    """Where the batch stands on the step bar (1 is done once the batch exists)."""
    if status in (S.VOUCHER_PENDING, S.VOUCHER_REVIEW, S.COMPLETED):
        return 10
    if status in (S.WITHHOLDING, S.WITHHELD):
        return 9
    if status is S.APPROVED:
        return 9 if mode is PaymentMode.WITHHOLDING else 10
    if status is S.REVIEW:
        return 8
    if not unit_confirmed:
        return 2
    if mode is None:
        return 3
    if status in (S.ROSTER_EMPTY, S.ROSTER_PENDING):
        return 4
    if status is S.VALIDATING:
        return 5
    return 6 if anomalies else 7


def unit_actions(status: BatchStatus, unit_confirmed: bool, mode: PaymentMode | None) -> list[str]:
    """What the unit's 操作 offers in a status (the UI shows only these)."""
    found: list[str] = []
    if status in EDITABLE:
        if not unit_confirmed:
            found.append("confirm_unit")
        if mode is None:
            found.append("choose_payment_mode")
        found += ["add_people", "import", "upload_attachment"]
        if status is not S.ROSTER_EMPTY:
            found += ["edit_people", "delete_people", "submit_validation"]
        if status in (S.VALIDATED, S.REJECTED):
            found += ["confirm_ss_name", "classify", "submit_review"]
        found.append("delete")
    elif status is S.APPROVED:
        found.append("request_withholding" if mode is PaymentMode.WITHHOLDING else "confirm_roster")
    elif status is S.WITHHELD:
        found += ["delete_failed", "confirm_roster"]
    return found


def insurer_actions(status: BatchStatus) -> list[str]:
    return ["approve", "reject"] if status is S.REVIEW else []
