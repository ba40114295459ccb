"""Events of the members service (topic members.v1).

The org service counts members per org from these; cards and enrollment keep eligibility from them.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import BaseModel, Field

from . import topics
from .envelope import Event

MAX_CHUNK = 1000


class MemberSnapshot(BaseModel):
    """A member as other services may see them: no ID number or phone travels in events."""

    member_id: str
    org_id: int
    category: str = Field(description="灵活就业类 / 企业外入会类 / 关联企业类")
    member_no: str | None = None
    work_address: str = ""
    joined_on: date
    e_card_activated: bool = False
    active: bool = True
    version: int


class MembersImported(Event):
    """One chunk (≤ 1,000) of members created or updated by an import."""

    ce_type: ClassVar[str] = "members.imported"
    topic: ClassVar[str] = topics.MEMBERS
    import_id: str
    chunk: int = 0
    members: list[MemberSnapshot] = Field(max_length=MAX_CHUNK)

    def key(self) -> str:
        return self.import_id


class MemberUpdated(Event):
    ce_type: ClassVar[str] = "member.updated"
    topic: ClassVar[str] = topics.MEMBERS
    member: MemberSnapshot

    def key(self) -> str:
        return self.member.member_id


class MemberTransferred(Event):
    ce_type: ClassVar[str] = "member.transferred"
    topic: ClassVar[str] = topics.MEMBERS
    member: MemberSnapshot
    from_org_id: int

    def key(self) -> str:
        return self.member.member_id


class MemberDeleted(Event):
    ce_type: ClassVar[str] = "member.deleted"
    topic: ClassVar[str] = topics.MEMBERS
    member_id: str
    org_id: int
    reason: str = Field(description="退休 / 犯罪 / 死亡")
    version: int

    def key(self) -> str:
        return self.member_id
