"""A member's standing: status, the only reasons a member may be deleted, the member number."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeGuard, get_args

from contracts.members import DeletionReason
from runtime.errors import DomainError, InvalidInput

DELETION_REASONS: tuple[str, ...] = get_args(DeletionReason)
MEMBER_NO_DIGITS = 10


class MemberStatus(StrEnum):
    ACTIVE = "正常"
    DELETED = "已删除"  # kept as history with reason, who and when


class MemberSource(StrEnum):
    SCAN = "扫码入会"
    IMPORT = "批量导入"
    MANUAL = "手工录入"


def check_deletion_reason(reason: str) -> DeletionReason:
    """Members leave the register only as 退休, 犯罪 or 死亡; leavers are transferred instead."""
    if not _is_deletion_reason(reason):
        raise InvalidInput(
            "member.delete_reason_invalid",
            "删除原因只能是：退休、犯罪、死亡；离职人员请转移至临时工会",
            allowed=list(DELETION_REASONS),
        )
    return reason


def _is_deletion_reason(reason: str) -> TypeGuard[DeletionReason]:
    return reason in DELETION_REASONS


def check_active(status: str) -> None:
    if status != MemberStatus.ACTIVE:
        raise DomainError("member.deleted", "该会员已删除，不能再办理")


def member_number(prefix: str, sequence_value: int) -> str:
    """'SH' + 10 digits: unique city-wide because it comes from one database sequence."""
    if not 0 < sequence_value < 10**MEMBER_NO_DIGITS:
        raise ValueError("member-number sequence out of range")
    return f"{prefix}{sequence_value:0{MEMBER_NO_DIGITS}d}"
