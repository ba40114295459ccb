"""Key rotation maintenance (docs/operations.md, "Rotating keys"): re-encrypt what is still sealed under
a retired key, and recompute blind-index digests under a new key. Each service's `python -m <svc>.keys`
names its tables and columns; the walking, checking and reporting are here.

- A table is walked in primary-key order, one transaction per batch: the batch's rows are locked,
  rewritten and committed together, so an interrupted run loses at most one batch and a second run
  continues from what is left (re-encryption finds its rows by their key id, so it is idempotent).
- Re-encryption runs beside the service: its batches skip rows the service holds locked
  (`SKIP LOCKED`), and the walk is repeated while rows under a retired key remain and the last walk
  moved some.
- Re-indexing runs with the service stopped (the service would write digests under the old key
  meanwhile). Every stored digest must match the old key or the new one: already new is skipped (so
  a run interrupted half-way is simply run again), neither stops the run before its batch is written.

Output is counts and table names only: never a value, a digest or a key.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import Row
from sqlmodel.ext.asyncio.session import AsyncSession

from .db import Sessions, create_engine, session_factory
from .pii import PartnerSeal, PiiCipher, PiiDecryptError, PiiKeyError, key_from_text

Report = Callable[[str], None]
Rewrite = Callable[[AsyncSession, Sequence[Row[Any]]], Awaitable[int]]
T = TypeVar("T")
BATCH = 500
WALKS = 5


class RekeyError(RuntimeError):
    """The data does not fit the keys given (a digest under neither key, a ciphertext under an unknown id)."""


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]  # the primary key: the walk's order and each row's address


@dataclass
class Progress:
    label: str
    total: int = 0  # rows to rewrite, counted before the first walk (re-encryption only)
    done: int = 0  # rows rewritten
    left: int = 0  # rows still under a retired key after the last walk (held by the service meanwhile)

    def line(self) -> str:
        of = f"/{self.total}" if self.total else ""
        tail = f", {self.left} left: run again" if self.left else ""
        return f"{self.label}: {self.done}{of} rows rewritten{tail}"


async def walk(
    sessions: Sessions,
    table: Table,
    columns: Sequence[str],
    rewrite: Rewrite,
    progress: Progress,
    report: Report,
    *,
    where: str = "true",
    params: dict[str, Any] | None = None,
    skip_locked: bool = True,
    batch_size: int = BATCH,
) -> int:
    """One walk over the rows matching `where`; `rewrite` gets each locked batch (key columns first)
    inside its transaction and returns how many rows it changed. Returns the rows changed in total."""
    key = ", ".join(table.key)
    lock = "FOR UPDATE SKIP LOCKED" if skip_locked else "FOR UPDATE"
    changed, after = 0, None
    while True:
        bound = dict(params or {}, limit=batch_size)
        clause = ""
        if after is not None:
            clause = f"AND ({key}) > ({', '.join(f':after_{i}' for i in range(len(after)))})"
            bound |= {f"after_{i}": v for i, v in enumerate(after)}
        select = sa.text(
            f"SELECT {', '.join((*table.key, *columns))} FROM {table.name} WHERE ({where}) {clause} "
            f"ORDER BY {key} LIMIT :limit {lock}"
        )
        async with sessions() as session, session.begin():
            rows = (await (await session.connection()).execute(select, bound)).all()
            if not rows:
                return changed
            done = await rewrite(session, rows)
        changed += done
        progress.done += done
        after = tuple(rows[-1][: len(table.key)])
        report(progress.line())


async def count(sessions: Sessions, table: Table, where: str, params: dict[str, Any]) -> int:
    query = sa.text(f"SELECT count(*) FROM {table.name} WHERE {where}")
    async with sessions() as session:
        return int((await (await session.connection()).execute(query, params)).scalar_one())


async def until_done(
    sessions: Sessions,
    table: Table,
    columns: Sequence[str],
    rewrite: Rewrite,
    progress: Progress,
    report: Report,
    *,
    stale: str,
    params: dict[str, Any],
    batch_size: int = BATCH,
) -> Progress:
    """Walk the rows matching `stale` until none is left, or a walk moved none (all held by others). A
    few walks at most: rows that keep appearing mean a replica still seals under the old key."""
    progress.total = await count(sessions, table, stale, params)
    progress.left = progress.total
    for _ in range(WALKS):
        if not progress.left:
            break
        moved = await walk(
            sessions, table, columns, rewrite, progress, report, where=stale, params=params, batch_size=batch_size
        )
        progress.left = await count(sessions, table, stale, params)
        if not moved:
            break
    report(progress.line())
    return progress


def _address(table: Table, row: Row[Any]) -> dict[str, Any]:
    return {f"k_{i}": row[i] for i in range(len(table.key))}


def _update(table: Table, columns: Sequence[str]) -> sa.TextClause:
    sets = ", ".join(f"{c} = :{c}" for c in columns)
    where = " AND ".join(f"{k} = :k_{i}" for i, k in enumerate(table.key))
    return sa.text(f"UPDATE {table.name} SET {sets} WHERE {where}")


def under_other_key(column: str, *, text: bool = False) -> str:
    """SQL: the column holds a ciphertext whose leading key id is not `:current` (NULL and empty: no).
    A CASE, not AND: PostgreSQL does not promise to test the NULL first."""
    blob = f"decode({column}, 'base64')" if text else column
    empty = f"coalesce({column}, '') = ''" if text else f"{column} IS NULL OR length({column}) = 0"
    return f"CASE WHEN {empty} THEN false ELSE get_byte({blob}, 0) <> :current END"


# --- re-encryption ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sealed:
    column: str  # bytea, a PiiCipher ciphertext (or NULL)
    field: str  # the associated data it was sealed with


def opened(table: Table, row: Sequence[Any], column: str, reopen: Callable[[Any], T], value: Any) -> T:
    """`reopen(value)`, a value that does not open reported by its table, column and primary key."""
    try:
        return reopen(value)
    except PiiDecryptError as e:
        address = ", ".join(str(v) for v in row[: len(table.key)])
        raise RekeyError(f"{table.name}.{column} ({address}): {e} — is its key among the retired keys?") from None


async def reencrypt(
    sessions: Sessions,
    table: Table,
    sealed: Sequence[Sealed],
    cipher: PiiCipher,
    report: Report,
    *,
    batch_size: int = BATCH,
) -> Progress:
    """Every value of `sealed` under a key other than the current one, sealed again under the current one."""
    columns = [s.column for s in sealed]
    width = len(table.key)

    async def rewrite(session: AsyncSession, rows: Sequence[Row[Any]]) -> int:
        updates = []
        for row in rows:
            values = dict(_address(table, row))
            for i, s in enumerate(sealed):
                blob = row[width + i]
                stale = blob is not None and PiiCipher.key_id(blob) not in (None, cipher.current_id)
                values[s.column] = (
                    opened(table, row, s.column, partial(cipher.reencrypt, field=s.field), blob) if stale else blob
                )
            updates.append(values)
        await (await session.connection()).execute(_update(table, columns), updates)
        return len(updates)

    stale = " OR ".join(f"({under_other_key(c)})" for c in columns)
    progress = Progress(f"{table.name} ({', '.join(columns)})")
    return await until_done(
        sessions, table, columns, rewrite, progress, report,
        stale=stale, params={"current": cipher.current_id}, batch_size=batch_size,
    )  # fmt: skip


async def reseal(
    sessions: Sessions, table: Table, column: str, seal: PartnerSeal, report: Report, *, batch_size: int = BATCH
) -> Progress:
    """Every partner-sealed text of `column` under a key other than the current one, sealed again."""

    async def rewrite(session: AsyncSession, rows: Sequence[Row[Any]]) -> int:
        width = len(table.key)
        updates = [_address(table, row) | {column: opened(table, row, column, seal.reseal, row[width])} for row in rows]
        await (await session.connection()).execute(_update(table, [column]), updates)
        return len(updates)

    return await until_done(
        sessions, table, [column], rewrite, Progress(f"{table.name} ({column})"), report,
        stale=under_other_key(column, text=True), params={"current": seal.current_id}, batch_size=batch_size,
    )  # fmt: skip


# --- re-indexing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    """A blind-index column and how to remake it: the value it indexes, opened from `source`."""

    column: str
    source: str
    plain: Callable[[Any], str]
    old: Callable[[str], bytes]
    new: Callable[[str], bytes]


async def reindex(
    sessions: Sessions,
    table: Table,
    digests: Sequence[Digest],
    report: Report,
    *,
    where: str = "true",
    batch_size: int = BATCH,
) -> Progress:
    """Every digest of `digests` remade under the new key. Run it with the service stopped."""
    width = len(table.key)
    columns = [c for d in digests for c in (d.column, d.source)]

    async def rewrite(session: AsyncSession, rows: Sequence[Row[Any]]) -> int:
        updates = []
        for row in rows:
            values, moved = dict(_address(table, row)), False
            for i, d in enumerate(digests):
                stored, source = row[width + 2 * i], row[width + 2 * i + 1]
                plain = opened(table, row, d.source, d.plain, source)
                values[d.column] = d.new(plain)
                if stored == values[d.column]:
                    continue
                if stored != d.old(plain):
                    address = ", ".join(str(v) for v in row[:width])
                    raise RekeyError(
                        f"{table.name}.{d.column} ({address}): the digest is under neither the current nor the new "
                        "key — is the current key setting the one the rows were indexed with?"
                    )
                moved = True
            if moved:
                updates.append(values)
        if updates:
            await (await session.connection()).execute(_update(table, [d.column for d in digests]), updates)
        return len(updates)

    progress = Progress(f"{table.name} ({', '.join(d.column for d in digests)})")
    await walk(
        sessions, table, columns, rewrite, progress, report, where=where, skip_locked=False, batch_size=batch_size
    )
    report(progress.line())
    return progress


async def other_connections(sessions: Sessions) -> int:
    """Other clients of this database: the service must be stopped while its digests are remade."""
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
    )
    async with sessions() as session:
        return int((await (await session.connection()).execute(query)).scalar_one())


async def require_stopped(sessions: Sessions, service: str, *, force: bool) -> None:
    connected = await other_connections(sessions)
    if connected and not force:
        raise RekeyError(
            f"{connected} other connection(s) to the {service} database: stop the {service} service (all replicas) "
            "first, or pass --force if they are not the service"
        )


def key_from_env(name: str) -> bytes:
    """A new key from an environment variable: never on the command line (shell history, `ps`)."""
    text = os.environ.get(name, "")
    if not text.strip():
        raise PiiKeyError(f"{name} is not set: put the new key in that environment variable")
    try:
        return key_from_text(text)
    except PiiKeyError as e:
        raise PiiKeyError(f"{name}: {e}") from None


# --- the commands ----------------------------------------------------------------------------------


def say(line: str) -> None:
    """Progress on stdout, a line at a time even into a pipe or a container log."""
    print(line, flush=True)


def parse(prog: str, description: str, commands: Sequence[str], argv: list[str] | None) -> argparse.Namespace:
    """The commands' arguments: `reencrypt`, and `reindex` with the variable holding the new key."""
    p = argparse.ArgumentParser(prog=prog, description=description)
    p.add_argument("command", choices=list(commands))
    p.add_argument("--batch-size", type=int, default=BATCH, help=f"rows per transaction (default {BATCH})")
    if "reindex" in commands:
        p.add_argument("--new-key-env", metavar="VAR", help="reindex: the environment variable holding the new key")
        p.add_argument("--force", action="store_true", help="reindex even if other clients are connected")
    args = p.parse_args(argv)
    if args.command == "reindex" and not args.new_key_env:
        p.error("reindex needs --new-key-env VAR")
    return args


def run(database_url: str, job: Callable[[Sessions], Coroutine[Any, Any, Sequence[Progress]]]) -> int:
    """Run a maintenance job on its own small engine; exit 0 when done, 1 when rows are left to
    another run, 2 when the keys do not fit (the message says which setting or table)."""

    async def main() -> Sequence[Progress]:
        engine = create_engine(database_url, pool_size=1)
        try:
            return await job(session_factory(engine))
        finally:
            await engine.dispose()

    try:
        results = asyncio.run(main())
    except (PiiKeyError, RekeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 1 if any(p.left for p in results) else 0
