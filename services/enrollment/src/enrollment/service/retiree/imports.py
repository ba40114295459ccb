"""导入参保名单: the upload is checked and kept with its job (排队中) before the request returns; the job runs
in the background — 校验中 (the file read, every row checked by `domain.retiree.template`: required cells,
ID numbers, phones unique and ≥ 50 % valid), 入库中, then 已完成 with "数据读取：6人，成功导入：5人，导入失败：1条信息"
and the rejected rows (row, column, reason), or 已失败 when the whole file is refused (导入失败).

Everything a job stores is one transaction, so a job cut off anywhere stored nothing and runs again:
unfinished jobs are picked up when the service starts and every `scan_seconds`; a session-level
advisory lock per job keeps two replicas from running the same one (`service.jobs.BackgroundJobs`).
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
from runtime.logs import get_logger
from runtime.tokens import Principal

from ...domain.mutual_aid.template import RowProblem
from ...domain.retiree.batch import BatchStatus, check_roster_editable
from ...domain.retiree.template import Person, TemplateRow, phone_of, read_rows
from ...models import RetireeBatch, RetireeImport, RetireePerson, RetireeRejection
from ...schemas.retiree import ImportOut, RejectionOut
from ..jobs import BackgroundJobs
from . import batches, people, review, workbook, years
from .batches import Actor
from .vault import RetireeVault

log = get_logger(__name__)
MAX_ATTEMPTS = 3


class ImportState(StrEnum):
    QUEUED = "排队中"
    CHECKING = "校验中"
    STORING = "入库中"
    DONE = "已完成"
    FAILED = "已失败"


UNFINISHED = (ImportState.QUEUED, ImportState.CHECKING, ImportState.STORING)
PROGRESS = {ImportState.QUEUED: 0, ImportState.CHECKING: 20, ImportState.STORING: 70}


async def start(session: AsyncSession, caller: Principal, no: str, file_name: str, content: bytes,
                max_bytes: int) -> str:  # fmt: skip
    workbook.check_upload(file_name, content, max_bytes)
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        check_roster_editable(BatchStatus(batch.status))
        job = RetireeImport(
            id=f"ri-{uuid.uuid4().hex[:20]}", batch_no=no, state=ImportState.QUEUED, file_name=file_name[-200:],
            file_size=len(content), content=content, uploaded_by=caller.user_id,
        )  # fmt: skip
        session.add(job)
    return job.id


class RetireeImports(BackgroundJobs):
    """Runs upload jobs as asyncio tasks in the service process."""

    name = "retiree_import"

    def __init__(self, engine: AsyncEngine, sessions: Sessions, vault: RetireeVault, clock: Clock,
                 scan_seconds: float) -> None:  # fmt: skip
        super().__init__(engine, sessions, scan_seconds)
        self.vault, self.clock = vault, clock

    async def unfinished(self, session: AsyncSession) -> Sequence[str]:
        return (await session.exec(select(RetireeImport.id).where(col(RetireeImport.state).in_(UNFINISHED)))).all()

    async def run(self, job_id: str) -> None:
        started = await self._begin(job_id)
        if started is None:
            return
        content, max_rows = started
        try:
            rows = await asyncio.to_thread(workbook.read, content, max_rows)
        except DomainError as refused:
            await self._fail(job_id, refused.code, refused.title)
            return
        await self._progress(job_id, ImportState.STORING, len(rows))
        try:
            await self._store(job_id, rows, max_rows)
        except DomainError as refused:  # the roster froze meanwhile, or the phones fall below 50 %
            await self._fail(job_id, refused.code, refused.title)

    async def _begin(self, job_id: str) -> tuple[bytes, int] | None:
        async with self.sessions() as session, session.begin():
            job = await session.get(RetireeImport, job_id, with_for_update=True)
            if job is None or job.state not in UNFINISHED or job.content is None:
                return None
            if job.attempts >= MAX_ATTEMPTS:
                _finish(job, ImportState.FAILED, "import.gave_up", "导入多次中断，请重新上传")
                session.add(job)
                return None
            batch = await session.get(RetireeBatch, job.batch_no)
            assert batch is not None
            data = await years.of_batch(session, batch.programme_year_id)
            job.state, job.started_at, job.attempts = ImportState.CHECKING, datetime.now(UTC), job.attempts + 1
            session.add(job)
            return job.content, data.rules.template_max_rows

    async def _progress(self, job_id: str, state: ImportState, rows: int) -> None:
        async with self.sessions() as session, session.begin():
            job = await session.get(RetireeImport, job_id, with_for_update=True)
            if job is not None:
                job.state, job.rows_total, job.rows_checked = state, rows, rows
                session.add(job)

    async def _store(self, job_id: str, rows: list[TemplateRow], max_rows: int) -> None:
        async with self.sessions() as session, session.begin():
            job = await session.get(RetireeImport, job_id, with_for_update=True)
            if job is None or job.state not in UNFINISHED:
                return
            batch = await batches.locked(session, job.batch_no)
            check_roster_editable(BatchStatus(batch.status))
            year = await years.of_batch(session, batch.programme_year_id)
            roster = await people.phones_of(session, batch.batch_no)
            # phones compare by their blind index: the roster keeps no phone in the clear
            typed = {phone_of(r.phone)[0] for r in rows} - {""}
            on_roster = {phone for phone in typed if self.vault.phone_digest(phone) in roster.digests}
            checked = read_rows(rows, self.clock.today(), on_roster, roster.valid, roster.total,
                                year.rules.phone_valid_pct, max_rows)  # fmt: skip
            taken, problems = await self._identities(session, batch, checked.people)
            problems = checked.problems + problems
            for p in taken:
                session.add(people.new_row(self.vault, batch, p, people.Source.UPLOAD))
            session.add_all(
                RetireeRejection(import_id=job_id, row_no=p.row_no, column=p.column, code=p.code,
                                 reason=p.reason[:200], name=_name(rows, p.row_no))
                for p in sorted(problems, key=lambda p: p.row_no)
            )  # fmt: skip
            job.rows_added, job.rows_rejected = len(taken), len({p.row_no for p in problems})
            _finish(job, ImportState.DONE)
            session.add(job)
            await session.flush()
            batches.roster_changed(
                session, batch, Actor(job.uploaded_by, "unit"), roster.total + len(taken), "导入参保名单",
                {"import_id": job_id, "added": len(taken), "rejected": job.rows_rejected}, unchecked=bool(taken),
            )  # fmt: skip

    async def _identities(self, session: AsyncSession, batch: RetireeBatch, found: list[Person]
                          ) -> tuple[list[Person], list[RowProblem]]:  # fmt: skip
        """People already in the batch, or insured this year by another unit, are refused by row."""
        digests = {p.row_no: self.vault.id_digest(p.id_number) for p in found}
        mine = set(
            (await session.exec(select(RetireePerson.id_digest).where(RetireePerson.batch_no == batch.batch_no))).all()
        )  # fmt: skip
        elsewhere = await review.occupied(session, batch.programme_year_id, batch.batch_no, list(digests.values()))
        taken, problems = [], []
        for p in found:
            d = digests[p.row_no]
            if d in mine:
                problems.append(RowProblem(p.row_no, "证件号码", "roster.id_repeated", "证件号码已在参保名单中"))
            elif d in elsewhere:
                reason = f"本年度已在{elsewhere[d]}参保，同一证件号码一个保障年度只能参保一次"
                problems.append(RowProblem(p.row_no, "证件号码", "roster.id_occupied", reason))
            else:
                taken.append(p)
        return taken, problems

    async def _fail(self, job_id: str, code: str, message: str) -> None:
        async with self.sessions() as session, session.begin():
            job = await session.get(RetireeImport, job_id, with_for_update=True)
            if job is not None and job.state in UNFINISHED:
                _finish(job, ImportState.FAILED, code, message)
                session.add(job)


def _finish(job: RetireeImport, state: ImportState, code: str | None = None, message: str | None = None) -> None:
    job.state, job.error_code, job.error_message = state, code, (message or None) and message[:300]
    job.finished_at, job.content = datetime.now(UTC), None


def _name(rows: list[TemplateRow], row_no: int) -> str:
    return next((r.name.strip() for r in rows if r.row_no == row_no), "")[:50]


# --- reading -----------------------------------------------------------------------------------------------


async def get(session: AsyncSession, caller: Principal, job_id: str) -> ImportOut:
    job = await session.get(RetireeImport, job_id)
    if job is None:
        raise NotFound("导入记录")
    await batches.visible(session, caller, job.batch_no)
    return out(job)


def out(job: RetireeImport) -> ImportOut:
    state = ImportState(job.state)
    summary = (
        f"数据读取：{job.rows_total}人，成功导入：{job.rows_added}人，导入失败：{job.rows_rejected}条信息"
        if state is ImportState.DONE
        else (job.error_message or state.value)
    )
    return ImportOut(
        id=job.id, batch_no=job.batch_no, state=state.value, file_name=job.file_name, file_size=job.file_size,
        rows_total=job.rows_total, rows_checked=job.rows_checked, rows_added=job.rows_added,
        rows_rejected=job.rows_rejected, progress=PROGRESS.get(state, 100), summary=summary,
        error_code=job.error_code, error_message=job.error_message, created_at=job.created_at,
        started_at=job.started_at, finished_at=job.finished_at,
    )  # fmt: skip


async def rejections(session: AsyncSession, caller: Principal, job_id: str, page: int, size: int
                     ) -> tuple[list[RejectionOut], int]:  # fmt: skip
    await get(session, caller, job_id)
    where = col(RetireeRejection.import_id) == job_id
    total = (await session.exec(select(sa.func.count()).select_from(RetireeRejection).where(where))).one()
    rows = await session.exec(
        select(RetireeRejection).where(where).order_by(col(RetireeRejection.row_no), col(RetireeRejection.id))
        .offset((page - 1) * size).limit(size)
    )  # fmt: skip
    items = [RejectionOut(row_no=r.row_no, column=r.column, code=r.code, reason=r.reason, name=r.name) for r in rows]
    return items, int(total)
