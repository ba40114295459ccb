"""【清册校验】 as a background job, for rosters of tens of thousands of rows: the request keeps a job
(排队中) and answers at once; the job opens the rows' ID numbers chunk by chunk (校验中, "已校验 x / y 人"),
then checks the whole roster and stores its verdict (`validation.conclude`: the row marks, the batch's
check summary and status, the operation log) with the job's 已完成 in one transaction — or 已失败 with the
error, leaving the batch as it was. Unfinished jobs are picked up again (`jobs.BackgroundJobs`).

While a check runs the roster does not change (`batches.check_not_checking`), a second check is
refused, and a check does not start while a roster upload is still being imported. 清册提交 checks
again by itself, in its own transaction (`validation.submit`).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import Clock
from runtime.db import Sessions
from runtime.errors import DomainError, NotFound
from runtime.logs import get_logger
from runtime.tokens import Principal

from ...domain.mutual_aid.batch import BatchStatus, check_roster_editable
from ...models import CheckJob, RosterImport, RosterRow
from ...schemas.mutual_aid import CheckJobOut
from ..jobs import BackgroundJobs
from . import batches, rosters, validation
from .batches import Actor
from .vault import RosterVault

log = get_logger(__name__)
MAX_ATTEMPTS = 3
CHUNK_ROWS = 2000  # ID numbers opened between two progress reports


class CheckState(StrEnum):
    QUEUED = "排队中"
    CHECKING = "校验中"
    DONE = "已完成"
    FAILED = "已失败"


UNFINISHED = (CheckState.QUEUED, CheckState.CHECKING)


def _running(job_id: str | None) -> DomainError:
    return DomainError("check.running", "清册校验正在进行中，请等待本次校验完成", check_id=job_id)


async def start(session: AsyncSession, caller: Principal, no: str) -> str:
    """【清册校验】: the job, queued; refusals (a frozen roster, an empty one, a check or an upload still
    running) change nothing."""
    try:
        async with session.begin():
            batch = await batches.owned(session, caller, no)
            check_roster_editable(BatchStatus(batch.status))
            if (running := await batches.running_check(session, no)) is not None:
                raise _running(running.id)
            await _check_no_upload_running(session, no)
            total = await rosters.head_count(session, no)
            if not total:
                raise DomainError("roster.empty", validation.EMPTY)
            job = CheckJob(
                id=f"mc-{uuid.uuid4().hex[:20]}", batch_no=no, state=CheckState.QUEUED, rows_total=total,
                requested_by=caller.user_id, requested_tier=caller.tier.value,
            )  # fmt: skip
            session.add(job)
    except IntegrityError:  # ux_ma_check_job_running: another check got in first
        raise _running(None) from None
    return job.id


async def _check_no_upload_running(session: AsyncSession, no: str) -> None:
    found = await session.exec(
        select(RosterImport.id).where(RosterImport.batch_no == no, col(RosterImport.finished_at).is_(None)).limit(1)
    )
    if (import_id := found.first()) is not None:
        raise DomainError(
            "check.upload_running", "参保名单正在导入，请等待导入完成后再进行清册校验", import_id=import_id
        )


class RosterChecks(BackgroundJobs):
    """Runs 清册校验 jobs as asyncio tasks in the service process."""

    name = "roster_check"

    def __init__(
        self, engine: AsyncEngine, sessions: Sessions, vault: RosterVault, clock: Clock, scan_seconds: float
    ) -> None:
        super().__init__(engine, sessions, scan_seconds)
        self.vault, self.clock = vault, clock

    async def unfinished(self, session: AsyncSession) -> Sequence[str]:
        return (await session.exec(select(CheckJob.id).where(col(CheckJob.state).in_(UNFINISHED)))).all()

    async def run(self, job_id: str) -> None:
        no = await self._begin(job_id)
        if no is None:
            return
        try:
            numbers = await self._open(job_id, no)
            await self._conclude(job_id, no, numbers)
        except DomainError as refused:  # e.g. the batch left the editable states meanwhile
            await self._fail(job_id, refused.code, refused.title)
        except Exception:
            log.exception("roster_check.failed", job_id=job_id)
            await self._fail(job_id, "check.failed", "清册校验未能完成，请重新点击【清册校验】")

    async def _begin(self, job_id: str) -> str | None:
        async with self.sessions() as session, session.begin():
            job = await session.get(CheckJob, job_id, with_for_update=True)
            if job is None or job.state not in UNFINISHED:
                return None
            if job.attempts >= MAX_ATTEMPTS:
                _finish(job, CheckState.FAILED, "check.gave_up", "清册校验多次中断，请重新点击【清册校验】")
                session.add(job)
                return None
            job.state, job.started_at, job.attempts = CheckState.CHECKING, datetime.now(UTC), job.attempts + 1
            job.rows_checked = 0
            session.add(job)
            return job.batch_no

    async def _open(self, job_id: str, no: str) -> dict[int, str]:
        """Every row's ID number, opened off the event loop, the progress reported per chunk."""
        async with self.sessions() as session:
            sealed = list(
                await session.exec(
                    select(RosterRow.id, RosterRow.id_enc).where(RosterRow.batch_no == no).order_by(col(RosterRow.id))
                )
            )
        numbers: dict[int, str] = {}
        for at in range(0, len(sealed), CHUNK_ROWS):
            numbers |= await asyncio.to_thread(self._opened, sealed[at : at + CHUNK_ROWS])
            await self._progress(job_id, len(numbers), len(sealed))
        return numbers

    def _opened(self, chunk: Sequence[tuple[int | None, bytes]]) -> dict[int, str]:
        return {row_id: self.vault.open_id(sealed) for row_id, sealed in chunk if row_id is not None}

    async def _progress(self, job_id: str, checked: int, total: int) -> None:
        async with self.sessions() as session, session.begin():
            job = await session.get(CheckJob, job_id, with_for_update=True)
            if job is not None and job.state in UNFINISHED:
                job.rows_checked, job.rows_total = checked, total
                session.add(job)

    async def _conclude(self, job_id: str, no: str, numbers: dict[int, str]) -> None:
        """The verdict and the job's end, one transaction (the batch locked first, as every step does)."""
        async with self.sessions() as session, session.begin():
            try:
                batch = await batches.locked(session, no)
            except NotFound:
                return  # 批次删除 meanwhile: its jobs went with it
            job = await session.get(CheckJob, job_id, with_for_update=True)
            if job is None or job.state not in UNFINISHED:
                return
            actor = Actor(job.requested_by, job.requested_tier)
            result = await validation.conclude(session, self.vault, batch, actor, self.clock.now(), numbers)
            job.outcome, job.rows_checked = result.outcome, job.rows_total
            _finish(job, CheckState.DONE)
            session.add(job)

    async def _fail(self, job_id: str, code: str, message: str) -> None:
        async with self.sessions() as session, session.begin():
            job = await session.get(CheckJob, job_id, with_for_update=True)
            if job is not None and job.state in UNFINISHED:
                _finish(job, CheckState.FAILED, code, message)
                session.add(job)


def _finish(job: CheckJob, state: CheckState, code: str | None = None, message: str | None = None) -> None:
    job.state, job.error_code, job.error_message = state, code, (message or None) and message[:300]
    job.finished_at = datetime.now(UTC)


# --- reading -----------------------------------------------------------------------------------------------


async def get(session: AsyncSession, caller: Principal, job_id: str) -> CheckJobOut:
    job = await session.get(CheckJob, job_id)
    if job is None:
        raise NotFound("清册校验记录")
    await batches.visible(session, caller, job.batch_no)
    return out(job)


async def latest(session: AsyncSession, caller: Principal, no: str) -> CheckJobOut | None:
    """The batch's last 【清册校验】 (a page opened while one runs shows its progress); None: never checked."""
    await batches.visible(session, caller, no)
    found = await session.exec(
        select(CheckJob).where(CheckJob.batch_no == no).order_by(col(CheckJob.created_at).desc()).limit(1)
    )
    job = found.first()
    return None if job is None else out(job)


def out(job: CheckJob) -> CheckJobOut:
    state = CheckState(job.state)
    return CheckJobOut(
        id=job.id, batch_no=job.batch_no, state=state.value, rows_total=job.rows_total, rows_checked=job.rows_checked,
        progress=_progress(state, job.rows_checked, job.rows_total), outcome=job.outcome, error_code=job.error_code,
        error_message=job.error_message, requested_by=job.requested_by, created_at=job.created_at,
        started_at=job.started_at, finished_at=job.finished_at,
    )  # fmt: skip


def _progress(state: CheckState, checked: int, total: int) -> int:
    """Opening the rows is most of the work (to 90 %); the whole-roster rules and storing the rest."""
    if state is CheckState.QUEUED:
        return 0
    if state is CheckState.CHECKING:
        return 5 + 85 * checked // max(total, 1)
    return 100
