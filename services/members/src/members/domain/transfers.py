"""会员转移 and its review (会籍审核管理): a request the receiving side approves or rejects."""

from __future__ import annotations

from enum import StrEnum

from runtime.errors import DomainError, InvalidInput


class TransferState(StrEnum):
    PENDING = "待审核"
    APPROVED = "已通过"
    REJECTED = "已驳回"


MAX_MEMBERS_PER_REQUEST = 500
MIN_REASON_LEN = 2


def check_reason(reason: str, *, code: str = "transfer.reason_required", what: str = "转移原因") -> str:
    text = reason.strip()
    if len(text) < MIN_REASON_LEN:
        raise InvalidInput(code, f"请填写{what}（至少{MIN_REASON_LEN}个字）")
    return text


def check_target(from_org_id: int, to_org_id: int) -> None:
    if from_org_id == to_org_id:
        raise DomainError("transfer.same_org", "会员已在目标工会，无需转移")


def check_within_district(target_path: str, district_id: int | None) -> None:
    """The target org must lie under the district/bureau the clerk picked (转入工会组织的区/产业局)."""
    if district_id is not None and str(district_id) not in target_path.split("."):
        raise InvalidInput("transfer.target_not_in_district", "转入的工会组织不在所选的区/产业局下")


def check_pending(state: str) -> None:
    if state != TransferState.PENDING:
        raise DomainError("transfer.already_reviewed", f"该转移申请已{state}，不能再审核")


def check_member_ids(member_ids: list[str]) -> None:
    if not member_ids:
        raise InvalidInput("transfer.members_required", "请选择要转移的会员")
    if len(member_ids) > MAX_MEMBERS_PER_REQUEST:
        raise InvalidInput("transfer.too_many", f"一次最多转移 {MAX_MEMBERS_PER_REQUEST} 名会员")
    if len(set(member_ids)) != len(member_ids):
        raise InvalidInput("transfer.duplicate_members", "转移列表中有重复的会员")
