"""The social-security adapter's table: one pending report per request version.

The results are worked out when the request arrives and kept until the report is due; no ID number
is stored, and the results are cleared once published.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, SQLModel


def _timestamp(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(sa.DateTime(timezone=True), nullable=nullable)


class PendingReport(SQLModel, table=True):
    __tablename__ = "pending_report"
    __table_args__ = (sa.Index("ix_pending_report_due", "due_at", postgresql_where=sa.text("answered_at IS NULL")),)

    request_id: str = Field(primary_key=True, max_length=200)
    version: int = Field(primary_key=True)
    requester: str = Field(max_length=40)
    subjects: int
    results: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    received_at: datetime = Field(sa_column=_timestamp())
    due_at: datetime = Field(sa_column=_timestamp())
    answered_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
