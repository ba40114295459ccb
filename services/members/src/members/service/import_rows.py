"""The CPU side of an import: reading the workbook, the whole-file rules, then checking and sealing
rows batch by batch into COPY data for the staging table.

It runs in a worker process (`RowChecker`), so that a 100,000-row file neither holds the service's
event loop nor competes with it for the GIL: the process checks the next batch while the service
writes this one. A job's rows stay in the worker between calls (`load`, `prepare`, `check`,
`forget`); everything that crosses is small or already what the database gets. With no worker
processes configured the same functions run in a thread of the service.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from contracts.members import MemberCategory
from runtime.identity import mask_id_number

from ..domain import file_rules, roster
from ..domain.documents import IdType
from ..domain.ids import id_text, time_ordered_values
from ..domain.membership import MemberSource
from ..domain.roster import GENDERS, FileRejected, RawRow, Rejection
from ..domain.rows import ImportContext, ValidRow, check_row, member_elsewhere
from ..domain.upload import Limits, check_inflated_sizes
from . import snapshots, staging
from .import_store import Known
from .roster_file import read_rows
from .vault import Keys, Vault

T = TypeVar("T")


@dataclass(frozen=True)
class Loaded:
    rows_total: int  # data rows in the file
    to_check: int  # rows left after the whole-file rules
    rejected: list[Rejection]  # already: people repeated in the file
    union_codes: set[str]
    digests: bytes  # the ID numbers' blind indexes one after another, to look up who is a member already


@dataclass(frozen=True)
class Batch:
    copy: bytes  # the accepted rows as binary COPY data for the staging table (staging.STAGE_COLUMNS)
    records: int  # accepted rows in `copy`
    rejected: list[Rejection]
    rows: int
    existing: int  # how many records update a member of the same union


@dataclass(frozen=True)
class Shared:
    """What every record of a job shares, made once per job."""

    fields: bytes  # the job's part of every staging row (staging.shared_fields)
    created: str  # the snapshot fields of every member the job creates (snapshots.created_fields)

    @classmethod
    def of(cls, ctx: ImportContext, import_id: str) -> Shared:
        enterprise = (ctx.enterprise.name, ctx.enterprise.uscc) if ctx.enterprise else (None, None)
        return cls(
            staging.shared_fields(ctx.category.value, enterprise, MemberSource.IMPORT.value, ctx.today, import_id),
            snapshots.created_fields(ctx.category, ctx.today),
        )


@dataclass
class _Job:
    rows: list[RawRow]
    digests: dict[int, bytes]
    ctx: ImportContext | None = None
    known: dict[bytes, Known] = field(default_factory=dict)
    shared: Shared | None = None


# --- in the worker -----------------------------------------------------------------------------------

_vault: Vault | None = None
_jobs: dict[str, _Job] = {}
_own_process = False  # True in the worker process: then it may tune the garbage collector for itself


def start(keys: Keys) -> None:
    """The worker's keys: passed as text, because a cipher object does not cross processes."""
    global _vault
    _vault = Vault.from_keys(keys)


def _start_process(keys: Keys) -> None:
    global _own_process
    _own_process = True
    start(keys)


def load(job_id: str, content: bytes, limits: Limits, max_rows: int, category: MemberCategory) -> Loaded:
    assert _vault is not None, "start() first"
    with _collector_paused():
        check_inflated_sizes(content, limits)
        rows = read(content, max_rows)
        file_rules.check_flexible(rows, category)
        unique, duplicates = file_rules.split_duplicates(rows)
        digests = {r.row_no: _vault.id_digest(r.get("id_number")) for r in unique}
        _jobs[job_id] = _Job(unique, digests)
        codes = {r.get("union_code") for r in unique}
    if _own_process:
        gc.freeze()  # the job's rows live until forget(): no collection needs to walk them again
    return Loaded(len(rows), len(unique), duplicates, codes, b"".join(digests.values()))


def prepare(job_id: str, ctx: ImportContext, known: dict[bytes, Known]) -> None:
    job = _jobs[job_id]
    job.ctx, job.known, job.shared = ctx, known, Shared.of(ctx, job_id)


def check(job_id: str, start: int, stop: int) -> Batch:
    job, vault = _jobs[job_id], _vault
    assert job.ctx is not None and job.shared is not None and vault is not None
    rows = job.rows[start:stop]
    encoded: list[bytes] = []
    rejected: list[Rejection] = []
    existing = 0
    ids = iter(time_ordered_values(len(rows)))
    with _collector_paused():
        for row in rows:
            result = check_row(row, job.ctx)
            if not isinstance(result, ValidRow):
                rejected.extend(result)
                continue
            digest = job.digests[row.row_no]
            known = job.known.get(digest)
            if known is not None and known.org_id != result.org_id:
                rejected.append(member_elsewhere(result, known.org_name))
                continue
            existing += known is not None
            encoded.append(_record(vault, result, (next(ids), digest), known is not None, job.shared))
    return Batch(staging.copy_data(encoded), len(encoded), rejected, len(rows), existing)


def forget(job_id: str) -> None:
    if _jobs.pop(job_id, None) is not None and _own_process:
        gc.unfreeze()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Rows and records are plain data without reference cycles; while thousands are made at once
    the cycle collector would only walk them (and the job's 100,000 rows) again and again — about a
    third of the checks' time. Only in the worker process: a thread must not switch it off for the
    whole service."""
    if not _own_process or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def read(content: bytes, max_rows: int) -> list[RawRow]:
    rows = read_rows(content)
    raw = roster.raw_rows(rows[1:], roster.header_keys(rows[0]))
    if not raw:
        raise FileRejected("import.empty", "文件中没有会员数据")
    if len(raw) > max_rows:
        raise FileRejected(
            "import.too_many_rows", f"一个文件最多 {max_rows:,} 行，本文件有 {len(raw):,} 行，请拆分后上传"
        )
    return raw


# Closed sets, encoded once.
_ID_TYPES = {t: staging.text(t.value) for t in IdType}
_GENDERS = {g: staging.text(g) for g in GENDERS}


def _record(vault: Vault, row: ValidRow, keys: tuple[int, bytes], existing: bool, shared: Shared) -> bytes:
    """One staging row (columns as staging.STAGE_COLUMNS); a new member's snapshot JSON with it."""
    (member_id, digest), number = keys, row.document.number
    masked, sealed = mask_id_number(number), vault.seal_for_partners(number)
    phone_enc, phone_bi, phone_masked = vault.seal_phone_fields(row.phone)
    text, binary = staging.text, staging.binary
    if existing:
        snapshot = staging.NULL
    else:
        snapshot = text(snapshots.created_json(row, id_text(member_id), masked, sealed, shared.created))
    return b"".join((
        staging.row_start(row.row_no, existing, member_id.to_bytes(16, "big")), text(row.name),
        _ID_TYPES[row.document.id_type], binary(vault.seal_id_number(number)), binary(digest), text(masked),
        binary(phone_enc), binary(phone_bi), text(phone_masked), _GENDERS[row.gender],
        staging.optional_date(row.birth_date), staging.int4(row.org_id), text(row.work_unit), text(row.work_address),
        staging.text_array(row.tags), text(sealed), snapshot, shared.fields,
    ))  # fmt: skip


# --- in the service ----------------------------------------------------------------------------------


class RowChecker:
    """Calls the functions above in the worker process (or, with none configured, in a thread)."""

    def __init__(self, keys: Keys, processes: int) -> None:
        self.keys, self.processes = keys, processes
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        if self.processes:
            # forkserver: a fresh interpreter for the worker, not a fork of a process with threads
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(self.processes, context, initializer=_start_process, initargs=(self.keys,))
        else:
            start(self.keys)

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        if self._pool is None:
            return await asyncio.to_thread(function, *args)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, function, *args)
        except BrokenProcessPool:
            self.stop()  # the worker died (out of memory?): a new one for the next job
            self.start()
            raise

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def spans(count: int, first: int, size: int) -> list[tuple[int, int]]:
    """(start, stop) of each batch: a small first one, so that writing starts early."""
    starts = [0, *range(first, count, size)]
    return [(a, b) for a, b in zip(starts, [*starts[1:], count], strict=True) if b > a]
