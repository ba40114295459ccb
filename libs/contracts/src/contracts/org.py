"""Events of the org service (topic org.v1): the union tree and units without a union."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from . import topics
from .envelope import Event


class OrgKind(StrEnum):
    """The tiers and grassroots kinds of DOMAIN.md §1–2."""

    CITY = "市总工会"
    DISTRICT = "区局（产业）工会"
    SECONDARY = "二级工会"
    STANDALONE = "单独基层工会"
    JOINT = "联合工会"
    BRANCH = "分工会/工会小组"
    FEDERATION = "工会联合会"
    TEMPORARY = "临时工会"

    @property
    def is_grassroots(self) -> bool:
        return self in GRASSROOTS


GRASSROOTS = frozenset({OrgKind.STANDALONE, OrgKind.JOINT, OrgKind.BRANCH, OrgKind.FEDERATION, OrgKind.TEMPORARY})


class OrgSnapshot(BaseModel):
    """What other services need to know of an org: identity, place in the tree, scope path."""

    org_id: int
    parent_id: int | None
    path: str = Field(description="ancestor ids joined by '.', ending with org_id, e.g. '1.12.340'")
    name: str
    kind: OrgKind
    union_code: str
    uscc: str | None = None
    district_id: int | None = None
    social_security_code: str | None = None
    version: int


class UnionUpserted(Event):
    """An org was created or its info changed (also sent for every org under a moved one)."""

    ce_type: ClassVar[str] = "org.union.upserted"
    topic: ClassVar[str] = topics.ORG
    org: OrgSnapshot

    def key(self) -> str:
        return str(self.org.org_id)


class UnionMoved(Event):
    """An org (with its whole subtree) now hangs under another parent: rewrite path prefixes."""

    ce_type: ClassVar[str] = "org.union.moved"
    topic: ClassVar[str] = topics.ORG
    org: OrgSnapshot
    old_path: str
    new_path: str

    def key(self) -> str:
        return str(self.org.org_id)


class UnionDeleted(Event):
    """An empty org was deleted."""

    ce_type: ClassVar[str] = "org.union.deleted"
    topic: ClassVar[str] = topics.ORG
    org_id: int
    path: str
    version: int

    def key(self) -> str:
        return str(self.org_id)


class EnterpriseSnapshot(BaseModel):
    enterprise_id: int
    name: str
    uscc: str
    district_id: int | None = None
    contact: str = Field(description="联系人姓名 (the contact's phone stays in org)")
    registered_on: date
    version: int


class EnterpriseRegistered(Event):
    """A unit without a union registered itself (企业注册) for the mutual-aid and retiree programmes."""

    ce_type: ClassVar[str] = "org.enterprise.registered"
    topic: ClassVar[str] = topics.ORG
    enterprise: EnterpriseSnapshot

    def key(self) -> str:
        return f"enterprise-{self.enterprise.enterprise_id}"
