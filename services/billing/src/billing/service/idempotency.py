"""Idempotency-Key records, checked and written inside the use case's transaction: a retry gets the
stored response; concurrent requests with one key wait for each other (an advisory lock)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.tokens import Principal

from ..domain.idempotency import check_key, is_replay, request_hash
from ..models import IdempotencyRecord


class Idempotent:
    """One money-moving request: who sent it, its key and what it asked for."""

    def __init__(
        self, caller: Principal, key: str | None, route: str, body: Any, files: dict[str, bytes] | None = None
    ):
        self.user_id, self.key = caller.user_id, check_key(key)
        self.digest = request_hash(route, body, files)

    async def recall(self, session: AsyncSession) -> dict[str, Any] | None:
        """The first response to this request, or None when it is new."""
        lock = sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"{self.user_id}\n{self.key}")))
        await session.exec(lock)  # type: ignore[call-overload]
        row = await session.get(IdempotencyRecord, (self.user_id, self.key))
        if row is None or not is_replay(row.request_hash, self.digest):
            return None
        return row.response

    def remember(self, session: AsyncSession, response: dict[str, Any], status_code: int = 200) -> dict[str, Any]:
        session.add(
            IdempotencyRecord(
                user_id=self.user_id,
                key=self.key,
                request_hash=self.digest,
                status_code=status_code,
                response=response,
            )  # fmt: skip
        )
        return response
