"""Payables (应缴) from enrollment.batch.submitted: one per batch, assembled from its chunks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, SQLModel

from .columns import fen, now, timestamp


class Payable(SQLModel, table=True):
    __tablename__ = "payable"
    __table_args__ = (sa.Index("ix_payable_programme_year", "programme", "year"),)

    batch_no: str = Field(primary_key=True, max_length=40)
    payer_org_id: int = Field(index=True)
    payer_org_name: str = Field(max_length=100)
    # the unit's account (mutual-aid: the 参保编码's owner): a payer without a union is known by it alone
    payer_account: str | None = Field(default=None, max_length=64, index=True)
    programme: str = Field(max_length=40)
    programme_name: str = Field(max_length=100)
    year: int
    enrollment_type: str = Field(max_length=10)
    guarantee_types: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    persons: int
    persons_member_card: int
    persons_ss_card: int
    amount_fen: int = Field(sa_column=fen())
    city_fen: int = Field(sa_column=fen())
    district_fen: int = Field(sa_column=fen())
    grassroots_fen: int = Field(sa_column=fen())
    pay_by: date
    coverage_start: date | None = None
    coverage_end: date
    handler_name: str = Field(max_length=50)
    handler_phone_masked: str = Field(max_length=20)
    handler_email: str = Field(max_length=100)
    submitted_at: datetime = Field(sa_column=timestamp())
    chunks: int
    lines_total: int
    chunks_received: int = 0
    lines_received: int = 0
    account_category: str = Field(max_length=10)
    state: str = Field(max_length=10, index=True)
    # 代扣行 (retiree plan): withheld from pensions before the batch came (successes × amount), paid already
    withheld_fen: int = Field(default=0, sa_column=fen())
    withheld_persons: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    paid_fen: int = Field(default=0, sa_column=fen())  # approved vouchers' share
    pending_fen: int = Field(default=0, sa_column=fen())  # vouchers under review's share
    roster_frozen: bool = False
    frozen_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    confirmed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    lapsed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    notice_version: int = 0
    version: int = 1
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class PayableChunk(SQLModel, table=True):
    """A chunk of enrollment.batch.submitted already taken: a redelivered chunk adds nothing."""

    __tablename__ = "payable_chunk"

    batch_no: str = Field(primary_key=True, max_length=40)
    chunk: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    lines: int
    received_at: datetime = Field(default_factory=now, sa_column=timestamp())


class PayableLine(SQLModel, table=True):
    """A member the batch enrolls (masked ID number): the statistics per unit, type and channel."""

    __tablename__ = "payable_line"

    batch_no: str = Field(primary_key=True, max_length=40)
    member_id: str = Field(primary_key=True, max_length=40)
    org_id: int
    name: str = Field(max_length=50)
    id_number_masked: str = Field(max_length=30)
    channel: str = Field(max_length=10)
    guarantee_type: str = Field(max_length=10)
    premium_fen: int = Field(sa_column=fen())
