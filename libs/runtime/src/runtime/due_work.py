"""The due-work loop: publishes what has fallen due, in the background of a service or adapter process.

Each kind of due work (bank outcomes, social-security reports, lapse checks …) is a function
`(session, now) -> how many it published` that claims its rows with `FOR UPDATE SKIP LOCKED` and
writes them to the outbox in the transaction it is given, so replicas can run side by side and a
restart picks up exactly what was not yet published.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import Clock
from runtime.db import Sessions
from runtime.logs import get_logger

log = get_logger(__name__)

DueWork = Callable[[AsyncSession, datetime], Awaitable[int]]


class DueLoop:
    def __init__(self, sessions: Sessions, clock: Clock, work: Sequence[DueWork], *, poll_seconds: float) -> None:
        self.sessions, self.clock, self.work, self.poll_seconds = sessions, clock, tuple(work), poll_seconds
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def run_once(self) -> int:
        """One pass over every kind of due work, one transaction each; returns how many were published."""
        published = 0
        for step in self.work:
            async with self.sessions() as session, session.begin():
                published += await step(session, self.clock.now())
        return published

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                published = await self.run_once()
            except Exception:  # the database is away: the rows stay due, try again
                log.exception("schedule.pass_failed")
                published = 0
            if not published:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=self.poll_seconds)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="due-loop")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task:
            await self._task


def scheduled(
    clock: Clock, work: Sequence[DueWork], poll_seconds: float
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The loop as a service resource: started after the broker and relay, stopped before them."""

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        loop = DueLoop(app.state.sessions, clock, work, poll_seconds=poll_seconds)
        app.state.due_loop = loop
        loop.start()
        try:
            yield
        finally:
            await loop.stop()

    return run


async def schedule_ready(app: FastAPI) -> str:
    loop: DueLoop | None = getattr(app.state, "due_loop", None)
    return "ok" if loop is not None and loop.running else "not running"
