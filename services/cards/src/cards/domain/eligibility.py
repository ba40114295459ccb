"""Who may get a card through the union workbench (DOMAIN.md §4): active 关联企业类 members with a
member number and a work-unit address of at least six characters."""

from __future__ import annotations

from dataclasses import dataclass

from contracts.members import MemberCategory

MIN_ADDRESS_LEN = 6

DELETED = "会员已删除"
NOT_LINKED = "非关联企业类会员（灵活就业和企业外入会人员请通过“申工社”个人办卡）"
ADDRESS_TOO_SHORT = "工作单位地址不足6个字"
NO_NUMBER = "会员编号未生成"


@dataclass(frozen=True, slots=True)
class Candidate:
    category: str
    member_no: str | None
    work_address: str
    active: bool


@dataclass(frozen=True, slots=True)
class Eligibility:
    eligible: bool
    reason: str  # why not, "" when eligible
    listed: bool  # shown in 卡片信息管理: eligible, or only waiting for the member number


def card_eligibility(c: Candidate) -> Eligibility:
    """The first rule that fails names the reason; only a missing number still lists the member, as
    the manual shows them unselectable until the number is generated."""
    if not c.active:
        return Eligibility(False, DELETED, False)
    if c.category != MemberCategory.LINKED_ENTERPRISE:
        return Eligibility(False, NOT_LINKED, False)
    if len(c.work_address.strip()) < MIN_ADDRESS_LEN:
        return Eligibility(False, ADDRESS_TOO_SHORT, False)
    if not c.member_no:
        return Eligibility(False, NO_NUMBER, True)
    return Eligibility(True, "", True)
