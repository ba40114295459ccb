"""``aggregates_by_state{aggregate, state}`` from a service's own tables.

A service names its aggregates and how to count each (``ServiceSpec.state_counts``); the runtime
runs every count query once at start and then every ``state_scan_seconds`` (a setting of each
service, ``<SVC>_STATE_SCAN_SECONDS``; 0: never) and records the result. The scrape thread only
reads the last counts: a scrape never waits for the database, and a database that is away leaves
the last counts in place until it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from .db import Sessions
from .logs import get_logger
from .metrics import record_state_counts

log = get_logger(__name__)

# How one aggregate is counted: ``{state: how many}`` read in the session given.
StateCount = Callable[[AsyncSession], Awaitable[Mapping[str, int]]]


async def count_by(session: AsyncSession, column: Any, states: Iterable[str]) -> dict[str, int]:
    """Rows per value of ``column``; every one of ``states`` is there, at 0 when no row has it, so a
    state that drained shows 0 instead of vanishing from the dashboard."""
    counts = dict.fromkeys((str(s) for s in states), 0)  # a StrEnum's members as plain text
    for state, n in await session.exec(select(column, func.count()).group_by(col(column))):
        counts[str(state)] = counts.get(str(state), 0) + int(n)
    return counts


class StateGauge:
    def __init__(self, sessions: Sessions, counts: Mapping[str, StateCount], *, seconds: float) -> None:
        self.sessions, self.counts, self.seconds = sessions, dict(counts), seconds
        self._task: asyncio.Task[None] | None = None

    async def refresh(self) -> None:
        """Count every aggregate now (the loop's round; tests call it to read exact values)."""
        for aggregate, count in self.counts.items():
            try:
                # A session each: a query that failed must not abort the others' transaction.
                async with self.sessions() as session:
                    record_state_counts(aggregate, await count(session))
            except Exception:  # the database is away: the last counts stay, count again next round
                log.exception("state_gauge.count_failed", aggregate=aggregate)

    async def _run(self) -> None:
        while True:
            await self.refresh()
            await asyncio.sleep(self.seconds)

    def start(self) -> None:
        if self.counts and self.seconds > 0:
            self._task = asyncio.create_task(self._run(), name="state-gauge")

    async def stop(self) -> None:
        if self._task:
            # A count still running is only a read: nothing to let finish.
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
