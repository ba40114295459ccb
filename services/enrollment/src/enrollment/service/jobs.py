"""Background jobs of the service process (roster uploads of both plans, 清册校验): each job is a row with its state; a
job runs as an asyncio task, and unfinished jobs are picked up when the service starts and every
`scan_seconds`. A session-level advisory lock per job keeps two replicas from running the same one.
What a job stores is the job's own business (one transaction, so a job cut off anywhere runs again).
"""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.db import Sessions
from runtime.logs import get_logger

log = get_logger(__name__)
_TRY_LOCK = sa.text("SELECT pg_try_advisory_lock(hashtextextended(:key, 0))")
_UNLOCK = sa.text("SELECT pg_advisory_unlock(hashtextextended(:key, 0))")


class BackgroundJobs(ABC):
    """Runs one kind of job as asyncio tasks in the service process."""

    name = "job"  # the logs' and the tasks' prefix

    def __init__(self, engine: AsyncEngine, sessions: Sessions, scan_seconds: float) -> None:
        self.engine, self.sessions, self.scan_seconds = engine, sessions, scan_seconds
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._scanner: asyncio.Task[None] | None = None

    @abstractmethod
    async def run(self, job_id: str) -> None:
        """Run the job to its end (or leave it unfinished to run again)."""

    @abstractmethod
    async def unfinished(self, session: AsyncSession) -> Sequence[str]:
        """The ids of the jobs to (re)start."""

    def submit(self, job_id: str) -> None:
        running = self._tasks.get(job_id)
        if running is None or running.done():
            self._tasks[job_id] = asyncio.create_task(self._locked(job_id), name=f"{self.name}-{job_id}")

    async def _locked(self, job_id: str) -> None:
        async with self.engine.connect() as lock:
            if not (await lock.execute(_TRY_LOCK, {"key": job_id})).scalar():
                return  # another replica runs it
            try:
                await self.run(job_id)
            except Exception:
                log.exception(f"{self.name}.crashed", job_id=job_id)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.shield(lock.execute(_UNLOCK, {"key": job_id}))

    async def scan(self) -> None:
        async with self.sessions() as session:
            for job_id in await self.unfinished(session):
                self.submit(job_id)

    async def _scan_forever(self) -> None:
        while True:
            try:
                await self.scan()
            except Exception:  # the database is away: try again on the next round
                log.exception(f"{self.name}.scan_failed")
            if self.scan_seconds <= 0:
                return
            await asyncio.sleep(self.scan_seconds)

    def start(self) -> None:
        self._scanner = asyncio.create_task(self._scan_forever(), name=f"{self.name}-scanner")

    async def stop(self) -> None:
        tasks = [t for t in (self._scanner, *self._tasks.values()) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def idle(self) -> None:
        """Wait until every submitted job has finished (tests)."""
        while pending := [t for t in self._tasks.values() if not t.done()]:
            await asyncio.gather(*pending, return_exceptions=True)
