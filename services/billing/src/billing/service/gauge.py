"""aggregates_by_state{aggregate="billing.payable"}: payables per status, counted every few seconds
(the scrape thread only reads the last count)."""

from __future__ import annotations

import asyncio
import contextlib

from sqlmodel import col, func, select

from runtime.db import Sessions
from runtime.logs import get_logger
from runtime.telemetry import record_state_counts

from ..domain.payables import PayableState, PayableStatus, status
from ..models import Payable

log = get_logger(__name__)
AGGREGATE = "billing.payable"


async def count(sessions: Sessions) -> dict[str, int]:
    async with sessions() as session:
        paid, pending = col(Payable.paid_fen) > 0, col(Payable.pending_fen) > 0
        rows = await session.exec(
            select(Payable.state, paid, pending, func.count()).group_by(col(Payable.state), paid, pending)
        )
        counts = dict.fromkeys((s.value for s in PayableStatus), 0)
        for state, paid, pending, n in rows:
            counts[status(PayableState(state), int(paid), int(pending)).value] += int(n)
        return counts


class PayableGauge:
    def __init__(self, sessions: Sessions, seconds: float) -> None:
        self.sessions, self.seconds = sessions, seconds
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            try:
                record_state_counts(AGGREGATE, await count(self.sessions))
            except Exception:  # the database is away: count again next round
                log.exception("payables.count_failed")
            await asyncio.sleep(self.seconds)

    def start(self) -> None:
        if self.seconds > 0:
            self._task = asyncio.create_task(self._run(), name="payable-gauge")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
