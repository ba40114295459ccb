"""Org tables and their API shapes (Base / Create / Update / Public)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, TypeVar

import sqlalchemy as sa
from pydantic import ConfigDict
from sqlmodel import Column, Field, SQLModel

from contracts.org import OrgKind

T = TypeVar("T")

# --- organisations ---------------------------------------------------------------------------


class OrgBase(SQLModel):
    name: str = Field(min_length=2, max_length=100, description="工会组织名称")
    uscc: str | None = Field(default=None, max_length=18, description="统一社会信用代码")
    economic_type: str | None = Field(default=None, max_length=40, description="经济类型")
    industry: str | None = Field(default=None, max_length=40, description="所属行业")
    union_code: str = Field(description="工会编号, 12 digits")
    contact_name: str | None = Field(default=None, max_length=40, description="联系人")
    contact_phone: str | None = Field(default=None, max_length=11, description="联系电话")
    address: str | None = Field(default=None, max_length=200, description="单位地址")
    social_security_code: str | None = Field(default=None, max_length=20, description="单位社保编码")


class Org(OrgBase, table=True):
    __table_args__ = (sa.Index("ix_org_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),)

    id: int | None = Field(default=None, primary_key=True)
    union_code: str = Field(unique=True)
    kind: OrgKind = Field(
        sa_column=Column(
            sa.Enum(OrgKind, native_enum=False, length=20, values_callable=lambda e: [k.value for k in e]),
            nullable=False,
        )
    )
    parent_id: int | None = Field(default=None, foreign_key="org.id", index=True)
    path: str = Field(default="", max_length=400)
    district_id: int | None = Field(default=None, index=True)
    version: int = 1
    created_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), server_default=sa.func.now()))
    updated_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), server_default=sa.func.now()))


class OrgCreate(OrgBase):
    parent_id: int
    kind: OrgKind


class OrgUpdate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: str | None = Field(default=None, min_length=2, max_length=100)
    uscc: str | None = None
    economic_type: str | None = None
    industry: str | None = None
    union_code: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    social_security_code: str | None = None


class OrgPublic(OrgBase):
    id: int
    kind: OrgKind
    parent_id: int | None
    path: str
    district_id: int | None
    version: int


class OrgMove(SQLModel):
    org_ids: list[int] = Field(min_length=1, max_length=500)
    target_parent_id: int


# --- covered enterprises (覆盖企业) and units without a union (未建会单位) ------------------------


class CoveredEnterpriseBase(SQLModel):
    name: str = Field(min_length=2, max_length=100, description="企业名称")
    uscc: str = Field(max_length=18)
    address: str | None = Field(default=None, max_length=200)


class CoveredEnterprise(CoveredEnterpriseBase, table=True):
    __tablename__ = "covered_enterprise"
    __table_args__ = (sa.UniqueConstraint("org_id", "uscc"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="org.id", index=True)


class CoveredEnterpriseCreate(CoveredEnterpriseBase):
    pass


class CoveredEnterprisePublic(CoveredEnterpriseBase):
    id: int
    org_id: int


class EnterpriseBase(SQLModel):
    name: str = Field(min_length=2, max_length=100, description="单位名称")
    uscc: str = Field(max_length=18, description="统一社会信用代码")
    contact: str = Field(min_length=1, max_length=40, description="联系人")
    phone: str = Field(max_length=11, description="联系电话")
    district_id: int | None = None


class Enterprise(EnterpriseBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uscc: str = Field(unique=True)
    registered_on: date
    version: int = 1


class EnterpriseCreate(EnterpriseBase):
    pass


class EnterprisePublic(EnterpriseBase):
    id: int
    registered_on: date


# --- projections kept from members events, and the rolled-up statistics -----------------------


class OrgMember(SQLModel, table=True):
    """Just enough of each member to count them: where, whether active, e-card, when they joined."""

    __tablename__ = "org_member"

    member_id: str = Field(primary_key=True)
    org_id: int = Field(index=True)
    active: bool
    e_card_activated: bool
    joined_on: date
    version: int


class SubtreeStats(SQLModel, table=True):
    """Counts over an org's whole subtree (itself included), kept current on every change so the
    workbench reads one row even for the city root."""

    __tablename__ = "subtree_stats"

    org_id: int = Field(primary_key=True)
    members: int = 0
    e_cards: int = 0
    grassroots: int = 0
    standalone: int = 0
    joint: int = 0
    branch: int = 0
    federation: int = 0
    covered_enterprises: int = 0


class SubtreeJoins(SQLModel, table=True):
    """Members who joined per day, rolled up over the subtree like SubtreeStats."""

    __tablename__ = "subtree_joins"

    org_id: int = Field(primary_key=True)
    day: date = Field(primary_key=True)
    joined: int = 0


class StatsPublic(SQLModel):
    org_id: int
    members: int
    grassroots: int
    standalone: int
    joint: int
    branch: int
    federation: int
    covered_enterprises: int
    e_cards: int


class JoinsPoint(SQLModel):
    period: date
    joined: int


class JoinsSeries(SQLModel):
    org_id: int
    granularity: str
    total: int
    points: list[JoinsPoint]


class Page(SQLModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int
