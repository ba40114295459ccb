"""批量导入: upload → background job (校验中 → 入库中 → 已完成 / 已失败) → 查看导入结果.

The row checker (import_rows, a worker process) reads the file with python-calamine and checks
every row, so the event loop keeps answering; everything accepted is stored in one transaction
(import_store), batch by batch as the checker hands them over.
A whole-file refusal (bad header, 灵活就业类 with a non-flexible tag, a zip bomb) stores nothing but
its report.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.members import MemberCategory
from runtime.clock import Clock
from runtime.db import Sessions
from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.logs import get_logger
from runtime.telemetry import continued_span, inject_traceparent, record_import_rows
from runtime.tokens import Principal

from ..domain import file_rules
from ..domain.jobs import UNFINISHED_IMPORTS, ImportState
from ..domain.roster import FileRejected, Rejection
from ..domain.rows import ImportContext
from ..domain.upload import Limits, UploadRefused
from ..models import ImportJob, ImportRejection, UploadedFile
from . import SOURCE, import_rows, import_store, orgs, uploads
from .import_rows import Batch, Loaded
from .jobs import JobRunner

log = get_logger(__name__)
# Rows checked per worker-thread call, written as one batch; progress moves after each. The first
# batch is small so that the database starts writing while the rest is still being checked.
FIRST_BATCH, CHECK_BATCH = 2_000, 5_000
CHECKS_AHEAD = 2
MAX_ATTEMPTS = 3
PROGRESS_SECONDS = 0.5


class Importer:
    def __init__(
        self,
        sessions: Sessions,
        checker: import_rows.RowChecker,
        limits: Limits,
        max_rows: int,
        clock: Clock,
        runner: JobRunner,
    ) -> None:
        self.sessions, self.checker, self.limits, self.max_rows = sessions, checker, limits, max_rows
        self.clock, self.runner = clock, runner
        # Called inside the storing transaction just before it commits: tests put a crash here.
        self.before_commit: Callable[[str], Awaitable[None]] | None = None
        runner.register(self.unfinished, self.run)

    # --- requests ------------------------------------------------------------------------------

    async def start(
        self, session: AsyncSession, caller: Principal, upload: uploads.Upload, category: MemberCategory
    ) -> ImportJob:
        uploads.check(upload, self.limits)
        try:
            enterprise = file_rules.check_enterprise(
                category, upload.fields.get("enterprise_name"), upload.fields.get("enterprise_uscc")
            )
        except FileRejected as exc:
            raise InvalidInput(exc.code, exc.message) from None
        job = ImportJob(
            id=uploads.new_job_id("imp"),
            state=ImportState.QUEUED,
            category=category,
            enterprise_name=enterprise.name if enterprise else None,
            enterprise_uscc=enterprise.uscc if enterprise else None,
            file_size=len(upload.content),
            traceparent=inject_traceparent().get("traceparent"),
            **uploads.owner(caller, upload),
        )
        async with session.begin():
            session.add(job)
            uploads.keep(session, job.id, upload)
        self.runner.submit(job.id, self.run)
        return job

    async def get(self, session: AsyncSession, caller: Principal, import_id: str) -> ImportJob:
        job = await session.get(ImportJob, import_id)
        if job is None or not caller.covers(job.uploader_org_path):
            raise NotFound("导入任务")
        return job

    async def search(
        self, session: AsyncSession, caller: Principal, state: str | None, page: int, size: int
    ) -> tuple[list[ImportJob], int]:
        conditions = [] if caller.scope_prefix is None else [_owned_within(caller.scope_prefix)]
        if state:
            conditions.append(col(ImportJob.state) == state)
        total = (await session.exec(select(func.count()).select_from(ImportJob).where(*conditions))).one()
        rows = await session.exec(
            select(ImportJob)
            .where(*conditions)
            .order_by(col(ImportJob.created_at).desc())
            .offset((page - 1) * size)
            .limit(size)
        )
        return list(rows), total

    async def rejections(
        self, session: AsyncSession, caller: Principal, import_id: str, page: int, size: int
    ) -> tuple[list[ImportRejection], int]:
        await self.get(session, caller, import_id)
        where = ImportRejection.import_id == import_id
        total = (await session.exec(select(func.count()).select_from(ImportRejection).where(where))).one()
        rows = await session.exec(
            select(ImportRejection)
            .where(where)
            .order_by(col(ImportRejection.row_no), col(ImportRejection.id))
            .offset((page - 1) * size)
            .limit(size)
        )
        return list(rows), total

    async def retry(self, session: AsyncSession, caller: Principal, import_id: str) -> ImportJob:
        async with session.begin():
            job = await self.get(session, caller, import_id)
            if job.state != ImportState.FAILED or await session.get(UploadedFile, import_id) is None:
                raise DomainError(
                    "import.not_retryable", "只有因系统原因失败的导入可以重试；文件内容有误请修改后重新上传"
                )
            job.state = ImportState.QUEUED
            # the retry is what the clerk now waits for: its runs join the retry request's trace
            job.traceparent = inject_traceparent().get("traceparent") or job.traceparent
            session.add(job)
        self.runner.submit(import_id, self.run)
        return job

    async def unfinished(self) -> list[str]:
        async with self.sessions() as session:
            rows = await session.exec(select(ImportJob.id).where(col(ImportJob.state).in_(UNFINISHED_IMPORTS)))
            return list(rows)

    # --- the job -------------------------------------------------------------------------------

    async def run(self, import_id: str) -> None:
        """Run the job in the trace of the request that asked for it, however the runner got to it
        (the request's own task, or a scan after a restart)."""
        traceparent = await self._traceparent(import_id)
        with continued_span("members.import", traceparent, {"members.import_id": import_id}):
            await self._run(import_id)

    async def _traceparent(self, import_id: str) -> str | None:
        async with self.sessions() as session:
            query = select(ImportJob.traceparent).where(col(ImportJob.id) == import_id)
            return (await session.exec(query)).first()

    async def _run(self, import_id: str) -> None:
        job = await self._begin(import_id)
        if job is None:
            return
        if job.attempts > MAX_ATTEMPTS:  # it took the process down every time: stop trying
            await self._fail(
                import_id, "import.gave_up", "导入多次中断未能完成，请检查文件后重新上传", [], keep_file=False
            )
            return
        try:
            loaded = await self._load(job)
            await self._store(job, loaded)
        except (FileRejected, UploadRefused) as exc:
            rejections = exc.rejections if isinstance(exc, FileRejected) else []
            await self._fail(import_id, exc.code, exc.message, rejections, keep_file=False)
        except Exception:
            log.exception("import.failed", import_id=import_id)
            await self._fail(
                import_id, "import.store_failed", "导入失败，未入库任何数据，请稍后重试", [], keep_file=True
            )
        finally:
            with contextlib.suppress(Exception):
                await self.checker.call(import_rows.forget, import_id)

    async def _begin(self, import_id: str) -> ImportJob | None:
        async with self.sessions() as session, session.begin():
            job = await session.get(ImportJob, import_id, with_for_update=True)
            if job is None or job.state not in UNFINISHED_IMPORTS:
                return None
            job.sqlmodel_update(_fresh_counts() | {"state": ImportState.VALIDATING, "attempts": job.attempts + 1})
            job.started_at = datetime.now(UTC)
            session.add(job)
        return job

    async def _load(self, job: ImportJob) -> Loaded:
        """The whole-file rules, before a single row is stored; who of the file is a member already."""
        content = await self._content(job.id)
        loaded = await self.checker.call(import_rows.load, job.id, content, self.limits, self.max_rows, job.category)
        await self._progress(job.id, rows_total=loaded.rows_total, rows_read=loaded.rows_total)
        async with self.sessions() as session:
            known = await import_store.known_people(session, loaded.digests)
        ctx = await self._context(job, loaded.union_codes)
        await self.checker.call(import_rows.prepare, job.id, ctx, known)
        return loaded

    async def _content(self, import_id: str) -> bytes:
        async with self.sessions() as session:
            file = await session.get(UploadedFile, import_id)
        if file is None:
            raise FileRejected("import.file_missing", "导入文件已不存在，请重新上传")
        return file.content

    async def _context(self, job: ImportJob, codes: set[str]) -> ImportContext:
        enterprise = file_rules.check_enterprise(job.category, job.enterprise_name, job.enterprise_uscc)
        async with self.sessions() as session:
            places = await orgs.places_by_code(session, uploads.principal_of(job), codes)
        return ImportContext(job.category, places, self.clock.today(), enterprise)

    async def _store(self, job: ImportJob, loaded: Loaded) -> None:
        """One transaction for every batch: a job cut off anywhere here has stored nothing."""
        rejected, checked_rows, reported = list(loaded.rejected), len(loaded.rejected), 0.0
        batches = contextlib.aclosing(self._checked_batches(job.id, loaded.to_check))  # closed even on failure
        async with self.sessions() as session, session.begin(), batches as checked:
            writer = await import_store.Writer(session, job.id, SOURCE).open()
            async for batch in checked:
                await writer.write(batch.copy, batch.records, batch.existing)
                rejected += batch.rejected
                checked_rows += batch.rows
                if time.monotonic() - reported > PROGRESS_SECONDS:  # a progress bar needs no more
                    reported = time.monotonic()
                    await self._progress(
                        job.id, state=ImportState.STORING, rows_validated=checked_rows, rows_stored=writer.accepted
                    )
            stored = writer.stored
            await import_store.save_rejections(session, job.id, rejected)
            counts = _counts(stored, rejected) | {"rows_validated": checked_rows}
            await self._finish(session, job.id, ImportState.DONE, counts)
            if self.before_commit is not None:
                await self.before_commit(job.id)
        # counted once committed: a run cut off and run again counts its rows once
        record_import_rows(counts["rows_stored"], "accepted")
        record_import_rows(counts["rows_rejected"], "rejected")
        log.info("import.done", import_id=job.id, created=stored.created, updated=stored.updated, events=stored.events)

    async def _checked_batches(self, job_id: str, count: int) -> AsyncGenerator[Batch, None]:
        """Batches checked and sealed by the row checker, the next ones while the caller writes this one.

        Two are asked for ahead: the checker is the slower side, and with only one it would wait
        whenever a write took longer than its check."""
        spans = iter(import_rows.spans(count, FIRST_BATCH, CHECK_BATCH))
        ahead = deque(self._check(job_id, span) for span in itertools.islice(spans, CHECKS_AHEAD))
        try:
            while ahead:
                batch = await ahead.popleft()
                ahead.extend(self._check(job_id, span) for span in itertools.islice(spans, 1))
                yield batch
        finally:
            for pending in ahead:
                pending.cancel()

    def _check(self, job_id: str, span: tuple[int, int]) -> asyncio.Future[Batch]:
        return asyncio.ensure_future(self.checker.call(import_rows.check, job_id, *span))

    async def _fail(
        self, import_id: str, code: str, message: str, rejections: Sequence[Rejection], *, keep_file: bool
    ) -> None:
        rejected_rows = len({r.row_no for r in rejections})
        async with self.sessions() as session, session.begin():
            await import_store.save_rejections(session, import_id, rejections)
            counts = {"rows_rejected": rejected_rows, "error_code": code, "error_message": message}
            await self._finish(session, import_id, ImportState.FAILED, counts, keep_file=keep_file)
        record_import_rows(rejected_rows, "rejected")  # a file refused whole: the rows its report names

    async def _finish(
        self,
        session: AsyncSession,
        import_id: str,
        state: ImportState,
        values: dict[str, Any],
        *,
        keep_file: bool = False,
    ) -> None:
        await session.exec(
            sa.update(ImportJob)
            .where(col(ImportJob.id) == import_id)
            .values(state=state, finished_at=datetime.now(UTC), **values)
        )
        if not keep_file:
            await session.exec(sa.delete(UploadedFile).where(col(UploadedFile.job_id) == import_id))

    async def _progress(self, import_id: str, **values: Any) -> None:
        async with self.sessions() as session, session.begin():
            await session.exec(sa.update(ImportJob).where(col(ImportJob.id) == import_id).values(**values))


def _owned_within(prefix: str) -> sa.ColumnElement[bool]:
    return sa.or_(col(ImportJob.uploader_org_path) == prefix, col(ImportJob.uploader_org_path).startswith(prefix + "."))


def _fresh_counts() -> dict[str, Any]:
    fields = ("rows_total", "rows_read", "rows_validated", "rows_stored", "rows_created", "rows_updated")
    return {f: 0 for f in (*fields, "rows_unchanged", "rows_rejected")} | {"error_code": None, "error_message": None}


def _counts(stored: import_store.Stored, rejected: Sequence[Rejection]) -> dict[str, int]:
    return {
        "rows_stored": stored.created + stored.updated + stored.unchanged,
        "rows_created": stored.created,
        "rows_updated": stored.updated,
        "rows_unchanged": stored.unchanged,
        "rows_rejected": len({r.row_no for r in rejected}),
    }
