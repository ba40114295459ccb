"""The bank adapter's tables: the card batches it has received and one scheduled outcome per card;
the withholding requests, one result per person and one report per chunk and version.

No ID number is stored: an outcome is decided when its request arrives, and only its result is kept.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, SQLModel


def _timestamp(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(sa.DateTime(timezone=True), nullable=nullable)


class OutcomeState(StrEnum):
    SCHEDULED = "scheduled"  # decided, waiting for its due time
    PUBLISHED = "published"  # in the outbox: the bank has answered
    CANCELLED = "cancelled"  # the batch was revoked before the answer was due


class CardBatch(SQLModel, table=True):
    __tablename__ = "card_batch"

    batch_no: str = Field(primary_key=True, max_length=80)
    org_id: int
    version: int = Field(description="the newest version of the batch seen (submitted or revoked)")
    cards: int = Field(description="cards in the newest submission (0 when only a revocation arrived)")
    received_at: datetime = Field(sa_column=_timestamp())
    revoked_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class CardOutcome(SQLModel, table=True):
    __tablename__ = "card_outcome"
    __table_args__ = (sa.Index("ix_card_outcome_due", "due_at", postgresql_where=sa.text("state = 'scheduled'")),)

    batch_no: str = Field(primary_key=True, max_length=80)
    member_id: str = Field(primary_key=True, max_length=80)
    batch_version: int = Field(description="the version of the submitted batch this outcome answers")
    issued: bool
    card_number_masked: str = Field(default="", max_length=24)
    reason: str = Field(default="", max_length=100)
    due_at: datetime = Field(sa_column=_timestamp())
    state: str = Field(default=OutcomeState.SCHEDULED, max_length=10)
    settled_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class WithholdingRequest(SQLModel, table=True):
    """A withholding request (委托代扣) as first seen: its deduction day is fixed then."""

    __tablename__ = "withholding_request"

    request_no: str = Field(primary_key=True, max_length=80)
    batch_no: str = Field(max_length=80)
    code: str = Field(max_length=40, description="参保编码 of the unit")
    amount_fen: int
    pension_day: date = Field(sa_column=Column(sa.Date, nullable=False))
    deducted_on: date = Field(sa_column=Column(sa.Date, nullable=False))
    version: int = Field(description="the newest version seen")
    received_at: datetime = Field(sa_column=_timestamp())


class WithholdingResult(SQLModel, table=True):
    """One person's deduction: decided once per request, whatever version or chunk asks again."""

    __tablename__ = "withholding_result"

    request_no: str = Field(primary_key=True, max_length=80)
    subject_id: str = Field(primary_key=True, max_length=80)
    success: bool
    amount_fen: int
    reason: str = Field(default="", max_length=100)


class WithholdingReport(SQLModel, table=True):
    """The answer to one chunk of one version of a request, published when due."""

    __tablename__ = "withholding_report"
    __table_args__ = (sa.Index("ix_withholding_report_due", "due_at", postgresql_where=sa.text("answered_at IS NULL")),)

    request_no: str = Field(primary_key=True, max_length=80)
    version: int = Field(primary_key=True)
    chunk: int = Field(primary_key=True)
    subject_ids: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    due_at: datetime = Field(sa_column=_timestamp())
    answered_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
