"""The CPU side of an import: reading the workbook, the whole-file rules, then checking and sealing
rows batch by batch into records for the staging table.

It runs in a worker process (`RowChecker`), so that a 100,000-row file neither holds the service's
event loop nor competes with it for the GIL: the process checks the next batch while the service
writes this one. A job's rows stay in the worker between calls (`load`, `prepare`, `check`,
`forget`); everything that crosses is small or already what the database gets. With no worker
processes configured the same functions run in a thread of the service.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from contracts.members import MemberCategory
from runtime.identity import mask_id_number

from ..domain import file_rules, roster
from ..domain.ids import time_ordered_ids
from ..domain.membership import MemberSource
from ..domain.roster import FileRejected, RawRow, Rejection
from ..domain.rows import ImportContext, ValidRow, check_row, member_elsewhere
from ..domain.upload import Limits, check_inflated_sizes
from .import_store import Known
from .roster_file import read_rows
from .vault import Vault

T = TypeVar("T")


@dataclass(frozen=True)
class Loaded:
    rows_total: int  # data rows in the file
    to_check: int  # rows left after the whole-file rules
    rejected: list[Rejection]  # already: people repeated in the file
    union_codes: set[str]
    digests: list[bytes]  # the ID numbers' blind indexes, to look up who is a member already


@dataclass(frozen=True)
class Batch:
    records: list[tuple[Any, ...]]  # sealed rows for the staging table (import_store.STAGE_COLUMNS)
    rejected: list[Rejection]
    rows: int
    existing: int  # how many records update a member of the same union


@dataclass
class _Job:
    rows: list[RawRow]
    digests: dict[int, bytes]
    ctx: ImportContext | None = None
    known: dict[bytes, Known] = field(default_factory=dict)
    fixed: tuple[Any, ...] = ()  # what every record of the job shares


# --- in the worker -----------------------------------------------------------------------------------

_vault: Vault | None = None
_jobs: dict[str, _Job] = {}


def start(pii_key: str, blind_index_key: str) -> None:
    """The worker's keys: passed as text, because a cipher object does not cross processes."""
    global _vault
    _vault = Vault.from_keys(pii_key, blind_index_key)


def load(job_id: str, content: bytes, limits: Limits, max_rows: int, category: MemberCategory) -> Loaded:
    assert _vault is not None, "start() first"
    check_inflated_sizes(content, limits)
    rows = read(content, max_rows)
    file_rules.check_flexible(rows, category)
    unique, duplicates = file_rules.split_duplicates(rows)
    digests = {r.row_no: _vault.id_digest(r.get("id_number")) for r in unique}
    _jobs[job_id] = _Job(unique, digests)
    codes = {r.get("union_code") for r in unique}
    return Loaded(len(rows), len(unique), duplicates, codes, list(digests.values()))


def prepare(job_id: str, ctx: ImportContext, known: dict[bytes, Known], fixed: tuple[Any, ...]) -> None:
    job = _jobs[job_id]
    job.ctx, job.known, job.fixed = ctx, known, fixed


def check(job_id: str, start: int, stop: int) -> Batch:
    job, vault = _jobs[job_id], _vault
    assert job.ctx is not None and vault is not None
    rows = job.rows[start:stop]
    records: list[tuple[Any, ...]] = []
    rejected: list[Rejection] = []
    existing = 0
    ids = iter(time_ordered_ids(len(rows)))
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
        records.append(_record(vault, result, (str(next(ids)), digest), known is not None, job.fixed))
    return Batch(records, rejected, len(rows), existing)


def forget(job_id: str) -> None:
    _jobs.pop(job_id, None)


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


def fixed_fields(
    category: MemberCategory, enterprise: tuple[str | None, str | None], today: date, import_id: str
) -> tuple[Any, ...]:
    return (category.value, *enterprise, today, import_id)


def _record(
    vault: Vault, row: ValidRow, keys: tuple[str, bytes], existing: bool, fixed: tuple[Any, ...]
) -> tuple[Any, ...]:
    # the member id as text: it crosses processes several times cheaper than a UUID object
    category, enterprise_name, enterprise_uscc, today, import_id = fixed
    (member_id, digest), number = keys, row.document.number
    return (
        row.row_no, existing, member_id, row.name, row.document.id_type.value,
        vault.seal_id_number(number), digest, mask_id_number(number), *vault.seal_phone_fields(row.phone),
        row.gender, row.birth_date, row.org_id, category, enterprise_name, enterprise_uscc, row.work_unit,
        row.work_address, list(row.tags), MemberSource.IMPORT.value, today, import_id,
    )  # fmt: skip


# --- in the service ----------------------------------------------------------------------------------


class RowChecker:
    """Calls the functions above in the worker process (or, with none configured, in a thread)."""

    def __init__(self, keys: tuple[str, str], processes: int) -> None:
        self.keys, self.processes = keys, processes
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        if self.processes:
            # forkserver: a fresh interpreter for the worker, not a fork of a process with threads
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(self.processes, context, initializer=start, initargs=self.keys)
        else:
            start(*self.keys)

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
