"""上传本地参保名单文件: the upload is checked and kept with its job (排队中) before the request returns;
the job runs in the background — 校验中 (the file read and every row checked by
`domain.mutual_aid.template`), 入库中, then 已完成 with "数据读取：4人，成功导入：4条信息（新增加4人，修改0人），
导入失败：0条信息" and the rejected rows (row, column, reason), or 已失败 when the whole file is refused.

Everything a job stores — the people, its rejections, its final state, the log row — is one
transaction, so a job cut off anywhere stored nothing and runs again from the start: unfinished jobs
are picked up when the service starts and every `scan_seconds` (`jobs.BackgroundJobs`).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import Clock
from runtime.db import Sessions
from runtime.errors import DomainError, NotFound
from runtime.tokens import Principal

from ...domain.mutual_aid.batch import BatchStatus, check_roster_editable
from ...domain.mutual_aid.template import Person, RowProblem, read_rows
from ...models import MutualAidBatch, RosterImport, RosterRejection
from ...schemas.mutual_aid import ImportOut, RejectionOut
from ..jobs import BackgroundJobs
from . import batches, rosters, workbook, years
from .batches import Actor
from .vault import RosterVault

MAX_ATTEMPTS = 3


class ImportState(StrEnum):
    QUEUED = "排队中"
    CHECKING = "校验中"
    STORING = "入库中"
    DONE = "已完成"
    FAILED = "已失败"


UNFINISHED = (ImportState.QUEUED, ImportState.CHECKING, ImportState.STORING)
PROGRESS = {ImportState.QUEUED: 0, ImportState.CHECKING: 20, ImportState.STORING: 70}


async def start(
    session: AsyncSession, caller: Principal, no: str, file_name: str, content: bytes, max_bytes: int
) -> str:
    workbook.check_upload(file_name, content, max_bytes)
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        check_roster_editable(BatchStatus(batch.status))
        await batches.check_not_checking(session, no, "上传参保名单")
        job = RosterImport(
            id=f"mi-{uuid.uuid4().hex[:20]}", batch_no=no, state=ImportState.QUEUED, file_name=file_name[-200:],
            file_size=len(content), content=content, uploaded_by=caller.user_id,
        )  # fmt: skip
        session.add(job)
    return job.id


class RosterImports(BackgroundJobs):
    """Runs upload jobs as asyncio tasks in the service process."""

    name = "roster_import"

    def __init__(
        self, engine: AsyncEngine, sessions: Sessions, vault: RosterVault, clock: Clock, scan_seconds: float
    ) -> None:
        super().__init__(engine, sessions, scan_seconds)
        self.vault, self.clock = vault, clock

    async def unfinished(self, session: AsyncSession) -> Sequence[str]:
        return (await session.exec(select(RosterImport.id).where(col(RosterImport.state).in_(UNFINISHED)))).all()

    async def run(self, job_id: str) -> None:
        started = await self._begin(job_id)
        if started is None:
            return
        content, max_rows = started
        try:
            rows = await asyncio.to_thread(workbook.read, content, max_rows)
            checked = await asyncio.to_thread(read_rows, rows, self.clock.today(), max_rows)
        except DomainError as refused:
            await self._fail(job_id, refused.code, refused.title)
            return
        await self._progress(job_id, ImportState.STORING, len(rows))
        try:
            await self._store(job_id, checked.people, checked.problems, {r.row_no: r.name for r in rows})
        except DomainError as refused:  # the roster froze meanwhile
            await self._fail(job_id, refused.code, refused.title)

    async def _begin(self, job_id: str) -> tuple[bytes, int] | None:
        async with self.sessions() as session, session.begin():
            job = await session.get(RosterImport, job_id, with_for_update=True)
            if job is None or job.state not in UNFINISHED or job.content is None:
                return None
            if job.attempts >= MAX_ATTEMPTS:
                _finish(job, ImportState.FAILED, "import.gave_up", "导入多次中断，请重新上传")
                session.add(job)
                return None
            batch = await session.get(MutualAidBatch, job.batch_no)
            assert batch is not None
            data = await years.of_batch(session, batch.programme_year_id)
            job.state, job.started_at, job.attempts = ImportState.CHECKING, datetime.now(UTC), job.attempts + 1
            session.add(job)
            return job.content, data.rules.template_max_rows

    async def _progress(self, job_id: str, state: ImportState, rows: int) -> None:
        async with self.sessions() as session, session.begin():
            job = await session.get(RosterImport, job_id, with_for_update=True)
            if job is not None:
                job.state, job.rows_total, job.rows_checked = state, rows, rows
                session.add(job)

    async def _store(
        self, job_id: str, people: list[Person], problems: list[RowProblem], names_by_row: dict[int, str]
    ) -> None:
        async with self.sessions() as session, session.begin():
            job = await session.get(RosterImport, job_id, with_for_update=True)
            if job is None or job.state not in UNFINISHED:
                return
            batch = await batches.locked(session, job.batch_no)
            check_roster_editable(BatchStatus(batch.status))
            await batches.check_not_checking(session, batch.batch_no, "上传参保名单")
            names = await rosters.registry_names(session, self.vault, batch.org_id)
            candidates = [
                rosters.Candidate(p.name, p.id_type.value, p.id_number, p.birth_date, p.gender, p.phone,
                                  p.has_social_security)
                for p in people
            ]  # fmt: skip
            stored = await rosters.put_people(session, self.vault, batch, candidates, rosters.Source.UPLOAD, names)
            session.add_all(
                RosterRejection(
                    import_id=job_id, row_no=p.row_no, column=p.column, code=p.code, reason=p.reason[:200],
                    name=names_by_row.get(p.row_no, "")[:50],
                )
                for p in problems
            )  # fmt: skip
            job.rows_added, job.rows_updated = stored.added, stored.updated
            job.rows_rejected = len({p.row_no for p in problems})
            _finish(job, ImportState.DONE)
            session.add(job)
            batches.record(session, batch.batch_no, "roster_upload", "上传参保名单", Actor(job.uploaded_by, "unit"),
                           detail={"import_id": job_id, "added": stored.added, "updated": stored.updated,
                                   "rejected": job.rows_rejected})  # fmt: skip
            batches.touch(session, batch)

    async def _fail(self, job_id: str, code: str, message: str) -> None:
        async with self.sessions() as session, session.begin():
            job = await session.get(RosterImport, job_id, with_for_update=True)
            if job is not None and job.state in UNFINISHED:
                _finish(job, ImportState.FAILED, code, message)
                session.add(job)


def _finish(job: RosterImport, state: ImportState, code: str | None = None, message: str | None = None) -> None:
    job.state, job.error_code, job.error_message = state, code, (message or None) and message[:300]
    job.finished_at, job.content = datetime.now(UTC), None


# --- reading -----------------------------------------------------------------------------------------------


async def get(session: AsyncSession, caller: Principal, job_id: str) -> ImportOut:
    job = await session.get(RosterImport, job_id)
    if job is None:
        raise NotFound("导入记录")
    await batches.visible(session, caller, job.batch_no)
    return out(job)


def out(job: RosterImport) -> ImportOut:
    state = ImportState(job.state)
    taken = job.rows_added + job.rows_updated
    summary = (
        f"数据读取：{job.rows_total}人，成功导入：{taken}条信息（新增加{job.rows_added}人，修改{job.rows_updated}人），"
        f"导入失败：{job.rows_rejected}条信息"
        if state is ImportState.DONE
        else (job.error_message or state.value)
    )
    return ImportOut(
        id=job.id, batch_no=job.batch_no, state=state.value, file_name=job.file_name, file_size=job.file_size,
        rows_total=job.rows_total, rows_checked=job.rows_checked, rows_added=job.rows_added,
        rows_updated=job.rows_updated, rows_rejected=job.rows_rejected, progress=PROGRESS.get(state, 100),
        summary=summary, error_code=job.error_code, error_message=job.error_message, created_at=job.created_at,
        started_at=job.started_at, finished_at=job.finished_at,
    )  # fmt: skip


async def rejections(
    session: AsyncSession, caller: Principal, job_id: str, page: int, size: int
) -> tuple[list[RejectionOut], int]:
    await get(session, caller, job_id)
    where = col(RosterRejection.import_id) == job_id
    total = (await session.exec(select(sa.func.count()).select_from(RosterRejection).where(where))).one()
    rows = await session.exec(
        select(RosterRejection)
        .where(where)
        .order_by(col(RosterRejection.row_no), col(RosterRejection.id))
        .offset((page - 1) * size)
        .limit(size)
    )
    items = [RejectionOut(row_no=r.row_no, column=r.column, code=r.code, reason=r.reason, name=r.name) for r in rows]
    return items, int(total)
