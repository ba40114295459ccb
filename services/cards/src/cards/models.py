"""Cards tables. API shapes are in `schemas.py`.

No full ID number or phone is stored: members send the ID number masked and sealed for the outside
systems (passed on unread); a personal applicant's number is sealed the same way at once, with a
keyed hash to find the same person's second application.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Column, Field, SQLModel

# The cards tables keep their own metadata: members and enrollment also project the org tree into an
# `org_ref` table, and their models share a process with these in tests, benchmarks and tools.
CARDS = registry()


class CardsTable(SQLModel, registry=CARDS):
    """Base of every cards table."""


def _timestamp(nullable: bool = True) -> Column:  # type: ignore[type-arg]
    return Column(sa.DateTime(timezone=True), nullable=nullable, server_default=None if nullable else sa.func.now())


class OrgRef(CardsTable, table=True):
    """Projection of org.v1: enough to scope rows and name the union on screens and the roster."""

    __tablename__ = "org_ref"
    __table_args__ = (sa.Index("ix_org_ref_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),)

    org_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    parent_id: int | None = None
    path: str = Field(max_length=400)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    union_code: str = Field(max_length=20, index=True)
    district_id: int | None = Field(default=None, index=True)
    deleted: bool = False
    version: int


class CardMember(CardsTable, table=True):
    """A member as members.v1 tells it (or a personal applicant) and where their card stands."""

    __tablename__ = "card_member"
    __table_args__ = (
        sa.Index("ix_card_member_listed_org", "org_id", postgresql_where=sa.text("listed")),
        sa.Index("ix_card_member_name_prefix", "name", postgresql_ops={"name": "text_pattern_ops"}),
        sa.Index("ix_card_member_member_no", "member_no"),
        sa.Index("ix_card_member_id_digest", "id_digest", postgresql_where=sa.text("id_digest IS NOT NULL")),
    )

    member_id: str = Field(primary_key=True, max_length=64)
    source: str = Field(max_length=10, description="会员 / 个人申请")
    org_id: int | None = None
    category: str = Field(max_length=10)
    member_no: str | None = Field(default=None, max_length=20)
    name: str = Field(max_length=50)
    id_type: str = Field(max_length=20)
    id_number_masked: str = Field(max_length=30)
    id_sealed: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))
    id_digest: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary, nullable=True))
    phone_masked: str = Field(default="", max_length=20)
    gender: str = Field(default="", max_length=1)
    birth_date: date | None = None
    work_unit: str = Field(default="", max_length=100)
    work_address: str = Field(default="", max_length=200)
    active: bool = True
    eligible: bool = False
    listed: bool = False
    ineligible_reason: str = Field(default="", max_length=60)
    eligible_since: datetime | None = Field(default=None, sa_column=_timestamp())
    version: int
    card_status: str = Field(default="未办卡", max_length=10)
    channel: str | None = Field(default=None, max_length=10)
    applied_at: datetime | None = Field(default=None, sa_column=_timestamp())
    batch_no: str | None = Field(default=None, max_length=30)
    card_number_masked: str | None = Field(default=None, max_length=30)
    issued_on: date | None = None
    card_note: str | None = Field(default=None, max_length=200, description="why back to 未办卡")
    card_version: int = 0
    updated_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=False))


class PendingCard(CardsTable, table=True):
    """A row of 待办会员列表; it leaves the list when it goes into a batch or is removed."""

    __tablename__ = "pending_card"

    id: int | None = Field(default=None, sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=True))
    member_id: str = Field(max_length=64, unique=True)
    org_id: int | None = Field(default=None, index=True, description="None: the platform's personal queue")
    channel: str = Field(max_length=10)
    id_type: str = Field(max_length=20)
    id_expiry: date | None = None
    id_long_term: bool = False
    nationality: str = Field(default="中国", max_length=30)
    check_state: str = Field(default="未校验", max_length=10)
    check_reason: str = Field(default="", max_length=200)
    check_request_id: str | None = Field(default=None, max_length=60, index=True)
    checked_at: datetime | None = Field(default=None, sa_column=_timestamp())
    info_completed_at: datetime | None = Field(default=None, sa_column=_timestamp())
    added_by: str = Field(max_length=64)
    added_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=False))


class CardBatch(CardsTable, table=True):
    __tablename__ = "card_batch"
    __table_args__ = (
        sa.Index("ix_card_batch_org", "org_id", "submitted_at"),
        sa.Index(
            "ux_card_batch_idempotency",
            "submitted_by",
            "idempotency_key",
            unique=True,
            postgresql_where=sa.text("idempotency_key IS NOT NULL"),
        ),
    )

    batch_no: str = Field(primary_key=True, max_length=30)
    org_id: int
    channel: str = Field(max_length=10)
    branch: str = Field(max_length=100, description="发卡支行")
    outlet: str = Field(max_length=100, description="经办网点")
    outlet_address: str = Field(max_length=200)
    contact: str = Field(max_length=50)
    contact_phone_masked: str = Field(max_length=20)
    total: int
    issued_count: int = 0
    rejected_count: int = 0
    state: str = Field(default="办理中", max_length=10)
    submitted_by: str = Field(max_length=64)
    submitted_at: datetime = Field(sa_column=_timestamp(nullable=False))
    feedback_at: datetime | None = Field(default=None, sa_column=_timestamp())
    version: int = 1
    idempotency_key: str | None = Field(default=None, max_length=100)


class BatchCard(CardsTable, table=True):
    """One card of a batch: the details as submitted, and the bank's answer."""

    __tablename__ = "batch_card"

    batch_no: str = Field(primary_key=True, max_length=30)
    member_id: str = Field(primary_key=True, max_length=64, index=True)
    org_id: int | None = None
    member_no: str | None = Field(default=None, max_length=20)
    name: str = Field(max_length=50)
    id_type: str = Field(max_length=20)
    id_number_masked: str = Field(max_length=30)
    work_unit: str = Field(default="", max_length=100)
    work_address: str = Field(default="", max_length=200)
    id_expiry: date | None = None
    id_long_term: bool = False
    nationality: str = Field(default="中国", max_length=30)
    outcome: str = Field(default="待反馈", max_length=10)
    card_number_masked: str | None = Field(default=None, max_length=30)
    reason: str | None = Field(default=None, max_length=200)
    answered_at: datetime | None = Field(default=None, sa_column=_timestamp())


class BatchRevocation(CardsTable, table=True):
    """撤销办卡批次申请 and its review by the district union."""

    __tablename__ = "batch_revocation"
    __table_args__ = (
        # one request under review per batch at a time
        sa.Index("ux_revocation_open", "batch_no", unique=True, postgresql_where=sa.text("state = '审核中'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_no: str = Field(max_length=30, index=True)
    applicant_name: str = Field(max_length=50)
    applicant_phone_masked: str = Field(max_length=20)
    state: str = Field(default="审核中", max_length=10, index=True)
    requested_by: str = Field(max_length=64)
    requested_at: datetime = Field(sa_column=_timestamp(nullable=False))
    reviewed_by: str | None = Field(default=None, max_length=64)
    reviewed_at: datetime | None = Field(default=None, sa_column=_timestamp())
    review_reason: str | None = Field(default=None, max_length=200)


class BatchMinute(CardsTable, table=True):
    """How many batches were numbered in one minute: the sequence part of cb-YYYYMMDDhhmm…"""

    __tablename__ = "batch_minute"

    minute: str = Field(primary_key=True, max_length=12)
    last: int
