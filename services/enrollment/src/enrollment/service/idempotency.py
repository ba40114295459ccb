"""Idempotency-Key for requests that create batches: a retry gets the first result; the same key with
a different body is refused (409). Checked and recorded inside the use case's transaction."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import DomainError, InvalidInput

from ..models import IdempotencyRecord

MAX_KEY = 100


def request_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


async def recall(session: AsyncSession, user_id: str, key: str, digest: str) -> str | None:
    """The first result for this key, or None; waits for a concurrent request with the same key."""
    if not key or len(key) > MAX_KEY:
        raise InvalidInput("idempotency.key_invalid", f"Idempotency-Key 应为1–{MAX_KEY}个字符")
    lock = sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"{user_id}\n{key}")))
    await session.exec(lock)  # type: ignore[call-overload]
    row = await session.get(IdempotencyRecord, (user_id, key))
    if row is None:
        return None
    if row.request_hash != digest:
        raise DomainError("idempotency.key_reused", "该 Idempotency-Key 已用于内容不同的请求")
    return row.result_ref


def remember(session: AsyncSession, user_id: str, key: str, digest: str, result_ref: str) -> None:
    session.add(IdempotencyRecord(user_id=user_id, key=key, request_hash=digest, result_ref=result_ref))
