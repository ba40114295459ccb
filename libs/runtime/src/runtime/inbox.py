"""Inbox: a consumer records `(ce_source, ce_id)` in the same transaction as its effect, so a
redelivered event is a no-op."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Column, Field, SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession


class InboxEntry(SQLModel, table=True):
    __tablename__ = "inbox"

    ce_source: str = Field(primary_key=True)
    ce_id: str = Field(primary_key=True)
    ce_type: str
    received_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), server_default=sa.func.now()))


async def first_delivery(session: AsyncSession, ce_source: str, ce_id: str, ce_type: str) -> bool:
    """True the first time this event is seen in this database (inside the caller's transaction)."""
    stmt = (
        insert(InboxEntry)
        .values(ce_source=ce_source, ce_id=ce_id, ce_type=ce_type)
        .on_conflict_do_nothing()
        .returning(col(InboxEntry.ce_id))
    )
    return (await session.exec(stmt)).first() is not None
