"""Transactional outbox: a use case adds its events in the same transaction as its rows; the relay
publishes them in order and marks them sent.

The relay is the only publisher. One relay per database is active at a time (a PostgreSQL advisory
lock) so events leave in commit order even with several replicas.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from faststream.kafka import KafkaBroker
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Event, new_envelope

from .db import Sessions
from .logs import get_logger
from .telemetry import inject_traceparent, record_outbox, record_published

log = get_logger(__name__)
RELAY_LOCK = 7_364_540


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_unsent", "id", postgresql_where=sa.text("sent_at IS NULL")),)

    id: int | None = Field(default=None, sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=True))
    topic: str
    key: str
    ce_id: str = Field(unique=True)
    ce_type: str
    headers: dict[str, str] = Field(sa_column=Column(JSONB, nullable=False))
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(sa.DateTime(timezone=True)))


def record(session: AsyncSession, source: str, *events: Event) -> None:
    """Add events to the caller's transaction; they leave only if it commits."""
    now = datetime.now(UTC)
    for event in events:
        envelope = new_envelope(source, event, traceparent=inject_traceparent().get("traceparent"), at=now)
        session.add(
            OutboxMessage(
                topic=event.topic,
                key=event.key(),
                ce_id=envelope.id,
                ce_type=envelope.type,
                headers=envelope.headers(),
                payload=event.model_dump(mode="json"),
                created_at=now,
            )
        )


class OutboxRelay:
    def __init__(self, sessions: Sessions, broker: KafkaBroker, *, poll_seconds: float, retention: timedelta):
        self.sessions, self.broker = sessions, broker
        self.poll_seconds, self.retention = poll_seconds, retention
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def publish_pending(self, limit: int = 500) -> int:
        """Publish one batch in id order; returns how many were sent (0 when another relay holds the lock)."""
        async with self.sessions() as session, session.begin():
            if not (await session.exec(select(sa.func.pg_try_advisory_xact_lock(RELAY_LOCK)))).one():
                return 0
            rows = (
                await session.exec(
                    select(OutboxMessage)
                    .where(col(OutboxMessage.sent_at).is_(None))
                    .order_by(col(OutboxMessage.id))
                    .limit(limit)
                )
            ).all()
            for row in rows:
                await self.broker.publish(
                    json.dumps(row.payload, ensure_ascii=False).encode(),
                    row.topic,
                    key=row.key.encode(),
                    headers=row.headers,
                )
            if rows:
                await session.exec(
                    sa.update(OutboxMessage)
                    .where(col(OutboxMessage.id).in_([r.id for r in rows]))
                    .values(sent_at=datetime.now(UTC))
                )
            published = Counter((r.topic, r.ce_type) for r in rows)
        # Counted once the rows are marked sent (a failed commit republishes them next round).
        for (topic, ce_type), count in published.items():
            record_published(topic, ce_type, count)
        return len(rows)

    async def backlog(self) -> dict[str, tuple[int, float]]:
        """Unsent rows per topic: ``{topic: (count, age of the oldest in seconds)}``."""
        async with self.sessions() as session:
            rows = (
                await session.exec(
                    select(col(OutboxMessage.topic), sa.func.count(), sa.func.min(col(OutboxMessage.created_at)))
                    .where(col(OutboxMessage.sent_at).is_(None))
                    .group_by(col(OutboxMessage.topic))
                )
            ).all()
        now = datetime.now(UTC)
        return {topic: (int(count), (now - oldest).total_seconds()) for topic, count, oldest in rows}

    async def rewind(self) -> int:
        """Mark the retained window unsent again: for a new, empty broker (the local one keeps nothing)."""
        since = datetime.now(UTC) - self.retention
        async with self.sessions() as session, session.begin():
            result = await session.exec(
                sa.update(OutboxMessage)
                .where(col(OutboxMessage.created_at) >= since, col(OutboxMessage.sent_at).is_not(None))
                .values(sent_at=None)
            )
            await session.exec(sa.delete(OutboxMessage).where(col(OutboxMessage.created_at) < since))
        return int(result.rowcount or 0)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                sent = await self.publish_pending()
                record_outbox(await self.backlog())
            except Exception:  # the broker or database is away: keep the rows, try again
                log.exception("outbox.relay_failed")
                sent = 0
            if not sent:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=self.poll_seconds)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        """Stop after a last drain, so a clean shutdown leaves nothing unsent that could be sent."""
        self._stopping.set()
        if self._task:
            await self._task
        try:
            while await self.publish_pending():
                pass
        except Exception:
            log.exception("outbox.final_drain_failed")
