"""The bank adapter's tables: the batches it has received and one scheduled outcome per card.

No ID number is stored: the outcome is decided when the batch arrives, and only its result is kept.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
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
