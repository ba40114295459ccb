"""What billing keeps beside the money: the org projection (scope), the insurer's receiving accounts,
stored documents (notices, receipts, voucher files), document-number counters, idempotency records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, SQLModel

from .columns import now, timestamp


class OrgRef(SQLModel, table=True):
    """org.v1 as billing needs it: who a payer is and where it hangs in the tree (scope)."""

    __tablename__ = "org_ref"
    __table_args__ = (sa.Index("ix_org_ref_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),)

    org_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    parent_id: int | None = None
    path: str = Field(max_length=400)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    deleted: bool = False
    version: int


class ReceivingAccount(SQLModel, table=True):
    """The insurer's account of one category (在职 / 退休 / 会员专享), printed on the notices."""

    __tablename__ = "receiving_account"

    category: str = Field(primary_key=True, max_length=10)
    payee_name: str = Field(max_length=100)
    account_no: str = Field(max_length=60)
    bank: str = Field(max_length=100)
    updated_by: str = Field(max_length=64)
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class ProgrammeAccount(SQLModel, table=True):
    """Which account category a programme pays into, when the insurer changed the default."""

    __tablename__ = "programme_account"

    programme: str = Field(primary_key=True, max_length=40)
    category: str = Field(max_length=10)
    updated_by: str = Field(max_length=64)
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class Document(SQLModel, table=True):
    """A stored file: a notice or receipt PDF, a voucher's image or PDF. Sent back only as an attachment."""

    __tablename__ = "document"

    ref: str = Field(primary_key=True, max_length=80)
    file_name: str = Field(max_length=200)
    media_type: str = Field(max_length=40)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())


class NumberCounter(SQLModel, table=True):
    __tablename__ = "number_counter"

    prefix: str = Field(primary_key=True, max_length=4)
    day: date = Field(primary_key=True)
    last: int


class IdempotencyRecord(SQLModel, table=True):
    """A money-moving request already answered: its content's hash and the response it got."""

    __tablename__ = "idempotency_record"

    user_id: str = Field(primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=100)
    request_hash: str = Field(max_length=64)
    status_code: int
    response: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
