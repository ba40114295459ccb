"""Background jobs (imports, compares) as asyncio tasks in the service process.

A job's state lives in its table, never in memory: on start, and every few seconds after, the
runner picks up unfinished jobs and runs each from the beginning. Every job finishes in one
transaction, so a job cut off half-way left nothing behind and running it again is safe. A
session-level advisory lock per job, held on its own connection, keeps two replicas from running
the same job; a process that dies drops its connection and with it the lock.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from runtime.logs import get_logger

log = get_logger(__name__)

Work = Callable[[str], Awaitable[None]]
Finder = Callable[[], Awaitable[list[str]]]
_TRY_LOCK = sa.text("SELECT pg_try_advisory_lock(hashtextextended(:key, 0))")
_UNLOCK = sa.text("SELECT pg_advisory_unlock(hashtextextended(:key, 0))")


class JobRunner:
    def __init__(self, engine: AsyncEngine, *, concurrency: int, scan_seconds: float) -> None:
        self.engine, self.scan_seconds = engine, scan_seconds
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._kinds: list[tuple[Finder, Work]] = []
        self._scanner: asyncio.Task[None] | None = None

    def register(self, unfinished: Finder, work: Work) -> None:
        """A kind of job: how to find the unfinished ones, and how to run one by id."""
        self._kinds.append((unfinished, work))

    def submit(self, job_id: str, work: Work) -> None:
        running = self._tasks.get(job_id)
        if running is None or running.done():
            self._tasks[job_id] = asyncio.create_task(self._run(job_id, work), name=f"job-{job_id}")

    async def _run(self, job_id: str, work: Work) -> None:
        async with self._slots, self.engine.connect() as lock:
            if not (await lock.execute(_TRY_LOCK, {"key": job_id})).scalar():
                return  # another replica runs it
            try:
                await work(job_id)
            except Exception:
                log.exception("job.crashed", job_id=job_id)
            finally:
                await _release(lock, job_id)

    async def scan(self) -> None:
        for unfinished, work in self._kinds:
            for job_id in await unfinished():
                self.submit(job_id, work)

    def start(self) -> None:
        self._scanner = asyncio.create_task(self._scan_forever(), name="job-scanner")

    async def _scan_forever(self) -> None:
        while True:
            try:
                await self.scan()
            except Exception:  # the database is away: try again on the next round
                log.exception("job.scan_failed")
            await asyncio.sleep(self.scan_seconds)

    async def stop(self) -> None:
        """Cut running jobs off: their transactions roll back and the next start runs them again."""
        tasks = [t for t in (self._scanner, *self._tasks.values()) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def idle(self) -> None:
        """Wait until every submitted job has finished (tests and benchmarks)."""
        while pending := [t for t in self._tasks.values() if not t.done()]:
            await asyncio.gather(*pending, return_exceptions=True)


async def _release(lock: AsyncConnection, job_id: str) -> None:
    try:
        await asyncio.shield(lock.execute(_UNLOCK, {"key": job_id}))
    except (Exception, asyncio.CancelledError):
        # a pooled connection must never keep the lock: drop it instead
        with contextlib.suppress(Exception):
            await lock.invalidate()
