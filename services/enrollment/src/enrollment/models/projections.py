"""Projections of other services' events: org.v1, members.v1, cards.v1, socialsec.v1."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Column, Field

from .columns import EnrollmentTable, now, timestamp


class OrgRef(EnrollmentTable, table=True):
    __tablename__ = "org_ref"
    __table_args__ = (sa.Index("ix_org_ref_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),)

    org_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    parent_id: int | None = Field(default=None, index=True)
    path: str = Field(max_length=400)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    union_code: str = Field(max_length=20, index=True)
    uscc: str | None = Field(default=None, max_length=18)
    district_id: int | None = Field(default=None, index=True)
    deleted: bool = False
    version: int


class MemberRef(EnrollmentTable, table=True):
    __tablename__ = "member_ref"
    __table_args__ = (sa.Index("ix_member_ref_org_active", "org_id", "active"),)

    member_id: str = Field(primary_key=True, max_length=40)
    org_id: int
    category: str = Field(max_length=10)
    member_no: str | None = Field(default=None, max_length=20)
    name: str = Field(default="", max_length=50)
    id_type: str = Field(default="", max_length=20)
    id_number_masked: str = Field(default="", max_length=30)
    id_sealed: str = Field(default="", max_length=200)
    gender: str = Field(default="", max_length=1)
    birth_date: date | None = None
    active: bool = True
    deleted_reason: str | None = Field(default=None, max_length=10)
    version: int


class CardRef(EnrollmentTable, table=True):
    __tablename__ = "card_ref"

    member_id: str = Field(primary_key=True, max_length=40)
    org_id: int
    batch_no: str = Field(max_length=40)
    card_number_masked: str = Field(max_length=30)
    issued_on: date
    version: int


class SocialCheck(EnrollmentTable, table=True):
    """A socialsec.check.requested we sent; `seq` orders answers (the newest request's answer wins)."""

    __tablename__ = "social_check"

    request_id: str = Field(primary_key=True, max_length=40)
    seq: int | None = Field(default=None, sa_column=Column(sa.BigInteger, sa.Identity(), unique=True, nullable=False))
    org_id: int = Field(index=True)
    kinds: list[str] = Field(sa_column=Column(ARRAY(sa.Text), nullable=False))
    subjects: int
    answered: int = 0
    requested_by: str = Field(max_length=64)
    requested_at: datetime = Field(default_factory=now, sa_column=timestamp())


class SocialFact(EnrollmentTable, table=True):
    __tablename__ = "social_fact"

    member_id: str = Field(primary_key=True, max_length=40)
    request_seq: int = Field(sa_column=Column(sa.BigInteger, nullable=False))
    found: bool = True
    ss_card_held: bool = False
    employment_checked: bool = False
    employed: bool = False
    retired: bool = False
    retirement_month: str | None = Field(default=None, max_length=7)
    deceased: bool = False
    failure: str = Field(default="", max_length=200)
    checked_at: datetime = Field(default_factory=now, sa_column=timestamp())
