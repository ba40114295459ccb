"""Events of the members service (topic members.v1).

The org service counts members per org from these; cards and enrollment keep eligibility from them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from . import topics
from .envelope import Event

MAX_CHUNK = 1000


class MemberCategory(StrEnum):
    """The import data types of DOMAIN.md §3; only 关联企业类 members reach the card workbench."""

    FLEXIBLE = "灵活就业类"
    OUTSIDE_ENTERPRISE = "企业外入会类"
    LINKED_ENTERPRISE = "关联企业类"


DeletionReason = Literal["退休", "犯罪", "死亡"]


class MemberSnapshot(BaseModel):
    """A member as other services may see them: no full ID number or phone travels in events.

    The display fields (name … work_unit) are optional so that older producers stay valid; cards and
    enrollment show them in their lists (masked ID number only) and enrollment's age rules need
    gender and birth date.
    """

    member_id: str
    org_id: int
    category: MemberCategory
    member_no: str | None = None
    work_address: str = ""
    joined_on: date
    e_card_activated: bool = False
    active: bool = True
    version: int
    name: str = ""
    id_type: str = Field("", description="证件类型: 身份证, 护照, 港澳居民来往内地通行证 …")
    id_number_masked: str = Field("", description="证件号码, masked as in every list: 310***********0012")
    gender: str = Field("", description="性别: 男 / 女")
    birth_date: date | None = None
    work_unit: str = Field("", description="工作单位/服务平台")
    id_sealed: str = Field(
        "",
        description="证件号码 sealed for the outside systems (bank, social security): base64 of AES-GCM under the "
        "partner key (runtime.pii.PartnerSeal). Cards and enrollment pass it on unread; only the adapters open it.",
    )


class MembersImported(Event):
    """One chunk (≤ 1,000) of members created or updated by an import."""

    ce_type: ClassVar[str] = "members.imported"
    topic: ClassVar[str] = topics.MEMBERS
    import_id: str
    chunk: int = 0
    members: list[MemberSnapshot] = Field(max_length=MAX_CHUNK)

    def key(self) -> str:
        return self.import_id


class MembersNumbered(Event):
    """Member numbers (会员编号) assigned to one chunk (≤ 1,000) of an import's members, asynchronously
    after they joined; each snapshot carries the member's newer version. A single member's number
    travels as `member.updated` instead."""

    ce_type: ClassVar[str] = "members.numbered"
    topic: ClassVar[str] = topics.MEMBERS
    import_id: str
    chunk: int = 0
    members: list[MemberSnapshot] = Field(max_length=MAX_CHUNK)

    def key(self) -> str:
        return self.import_id


class MemberUpdated(Event):
    """One member's details changed (name, unit, address, member number, e-card …)."""

    ce_type: ClassVar[str] = "member.updated"
    topic: ClassVar[str] = topics.MEMBERS
    member: MemberSnapshot

    def key(self) -> str:
        return self.member.member_id


class MemberTransferred(Event):
    """An approved transfer (会员转移): the member now belongs to `member.org_id`."""

    ce_type: ClassVar[str] = "member.transferred"
    topic: ClassVar[str] = topics.MEMBERS
    member: MemberSnapshot
    from_org_id: int

    def key(self) -> str:
        return self.member.member_id


class MemberDeleted(Event):
    """A member removed for one of the three allowed reasons."""

    ce_type: ClassVar[str] = "member.deleted"
    topic: ClassVar[str] = topics.MEMBERS
    member_id: str
    org_id: int
    reason: DeletionReason
    version: int

    def key(self) -> str:
        return self.member_id
