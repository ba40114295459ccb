"""Storing an import: every accepted row, its events and the rejections in ONE transaction.

Before the first batch, one lookup by the ID numbers' blind index finds who in the file is a member
already, and where (members of another union are reported, never moved). Rows then arrive in
batches as COPY data, checked and sealed by the row checker (import_rows) while the previous batch
is written. Each batch goes to a temporary table with COPY; new people are inserted, members of the
same union updated only when something differs (their version moves by one). What a batch changed
becomes `members.imported` events, ≤ 1,000 snapshots each, written straight into the outbox.

The events bypass `outbox.record` on purpose: building 100,000 pydantic snapshots and their JSON in
Python costs seconds. A new member's snapshot comes as JSON text with its row (made in the row
checker beside the checks); an updated member's is built from the stored row; the database only
joins them into chunks. The outbox rows are the same (headers from `new_envelope`), and a test checks
that the payloads validate as `MembersImported` and equal `members.snapshot()` of the stored rows.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import new_envelope
from contracts.members import MAX_CHUNK, MembersImported
from runtime.telemetry import inject_traceparent

from ..domain.roster import Rejection
from .staging import STAGE_COLUMNS, STAGE_TABLE

# What a re-import may change; e-card, source, joined_on and the member number stay as they are.
_CHANGEABLE = (
    "name", "id_type", "id_number_enc", "id_number_masked", "phone_enc", "phone_bi", "phone_masked", "gender",
    "birth_date", "category", "enterprise_name", "enterprise_uscc", "work_unit", "work_address", "tags", "import_id",
    "id_sealed",
)  # fmt: skip
_NOT_COMPARED = ("id_number_enc", "phone_enc", "id_sealed", "import_id")  # differ every time (sealed, the job)
_COMPARED = tuple(c for c in _CHANGEABLE if c not in _NOT_COMPARED)
_INSERTED = tuple(c for c in STAGE_COLUMNS if c not in ("row_no", "existing", "snapshot"))
# An updated member's snapshot from the stored row; the keys are MemberSnapshot's fields.
_SNAPSHOT_JSON = (
    "json_build_object('member_id', m.id::text, 'org_id', m.org_id, 'category', m.category, "
    "'member_no', m.member_no, 'work_address', m.work_address, 'joined_on', m.joined_on, "
    "'e_card_activated', m.e_card_activated, 'active', m.status = '正常', 'version', m.version, 'name', m.name, "
    "'id_type', m.id_type, 'id_number_masked', m.id_number_masked, 'gender', m.gender, 'birth_date', m.birth_date, "
    "'work_unit', m.work_unit, 'id_sealed', coalesce(m.id_sealed, ''))::text"
)
# Existing members of the same union: only when something differs, and then version + 1.
_UPDATED_CTE = (
    "updated AS ("
    f"  UPDATE member m SET {', '.join(f'{c} = s.{c}' for c in _CHANGEABLE)}, "
    "   version = m.version + 1, updated_at = now() FROM member_stage s "
    "   WHERE s.existing AND m.id_number_bi = s.id_number_bi AND m.status = '正常' AND m.org_id = s.org_id "
    f"  AND ({', '.join('m.' + c for c in _COMPARED)}) IS DISTINCT FROM ({', '.join('s.' + c for c in _COMPARED)}) "
    f"  RETURNING s.row_no, {_SNAPSHOT_JSON} AS snapshot)"
)
# New people: a plain insert, no join, nothing returned (their snapshots came with the rows). Someone
# added meanwhile by another import breaks the unique index, which fails this job (nothing stored)
# and a retry then updates them.
_INSERTED_CTE = (
    "inserted AS ("
    f"  INSERT INTO member ({', '.join(_INSERTED)}, e_card_activated, status, version, created_at, updated_at) "
    f"  SELECT {', '.join('s.' + c for c in _INSERTED)}, false, '正常', 1, now(), now() "
    "   FROM member_stage s WHERE NOT s.existing)"
)
_CREATED = "SELECT row_no, snapshot, true AS created FROM member_stage WHERE NOT existing"
# One MembersImported per 1,000 changed members: the snapshots joined as text, parsed once as jsonb.
_EVENTS_CTES = (
    "numbered AS (SELECT snapshot, row_number() OVER (ORDER BY row_no) AS n FROM changed), "
    f"chunks AS (SELECT (n - 1) / {MAX_CHUNK} AS chunk, string_agg(snapshot, ',' ORDER BY n) AS members "
    "  FROM numbered GROUP BY 1), "
    "announced AS (INSERT INTO outbox (topic, key, ce_id, ce_type, headers, payload, created_at) "
    "  SELECT CAST(:topic AS text), CAST(:import_id AS text), h ->> 'ce_id', CAST(:ce_type AS text), h, "
    "  CAST(concat('{\"import_id\":', to_json(CAST(:import_id AS text)), ',\"chunk\":', "
    "  c.chunk + CAST(:first AS int), ',\"members\":[', c.members, ']}') AS jsonb), CAST(:now AS timestamptz) "
    "  FROM chunks c, LATERAL (SELECT CAST((CAST(:headers AS text[]))[c.chunk + 1] AS jsonb) AS h) envelope "
    "  ORDER BY c.chunk RETURNING 1) "
    "SELECT (SELECT count(*) FROM changed WHERE created), (SELECT count(*) FROM changed), "
    "(SELECT count(*) FROM announced)"
)


def _write(with_updates: bool) -> sa.TextClause:
    """One statement per batch — upsert, collect what changed, write its events — so that the
    database has one long piece of work per batch rather than several round trips."""
    if with_updates:
        changed = f"changed AS ({_CREATED} UNION ALL SELECT row_no, snapshot, false FROM updated), "
        return sa.text(f"WITH {_UPDATED_CTE}, {_INSERTED_CTE}, {changed}{_EVENTS_CTES}")
    return sa.text(f"WITH {_INSERTED_CTE}, changed AS ({_CREATED}), {_EVENTS_CTES}")


_WRITE_NEW, _WRITE_ANY = _write(False), _write(True)


@dataclass
class Stored:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0


class Writer:
    """Writes one import inside the caller's open transaction, batch by batch; each batch's events
    are built while the caller checks the next batch."""

    def __init__(self, session: AsyncSession, import_id: str, source: str) -> None:
        self.session, self.import_id, self.source = session, import_id, source
        self.stored = Stored()

    async def open(self) -> Writer:
        await self._run(sa.text(STAGE_TABLE))  # through SQLAlchemy: this also opens the transaction
        return self

    async def write(self, copy: bytes, records: int, existing: int) -> None:
        """One batch: `copy` is `records` rows of binary COPY data for the staging table, `existing`
        of them people who are members of the same union already."""
        if not records:
            return
        await self._run(sa.text("TRUNCATE member_stage"))
        driver = await _driver_connection(self.session)
        # a memoryview: asyncpg would take plain bytes for a file name
        await driver.copy_to_table("member_stage", source=memoryview(copy), columns=STAGE_COLUMNS, format="binary")
        if existing:
            # a temporary table has no statistics: without them the join may scan every member
            await self._run(sa.text("ANALYZE member_stage"))
        statement = _WRITE_ANY if existing else _WRITE_NEW
        # at most one chunk per 1,000 records: envelopes for that many, the unused ones are dropped
        params = self._event_params(math.ceil(records / MAX_CHUNK))
        created, changed, events = (await self._run(statement, params)).one()
        done = self.stored
        done.created, done.updated = done.created + created, done.updated + changed - created
        done.unchanged, done.events = done.unchanged + records - changed, done.events + events

    async def _run(self, statement: sa.TextClause, params: dict[str, Any] | None = None) -> Rows:
        return await run_sql(self.session, statement, params)

    def _event_params(self, chunks: int) -> dict[str, Any]:
        traceparent = inject_traceparent().get("traceparent")
        now, first = datetime.now(UTC), self.stored.events
        headers = [
            json.dumps(new_envelope(self.source, self._chunk(first + n), traceparent=traceparent, at=now).headers())
            for n in range(chunks)
        ]
        return {
            "topic": MembersImported.topic,
            "ce_type": MembersImported.ce_type,
            "import_id": self.import_id,
            "first": first,
            "headers": headers,
            "now": now,
        }

    def _chunk(self, number: int) -> MembersImported:
        return MembersImported(import_id=self.import_id, chunk=number, members=[])

    @property
    def accepted(self) -> int:
        return self.stored.created + self.stored.updated + self.stored.unchanged


Rows = sa.CursorResult[*tuple[Any, ...]]


async def run_sql(session: AsyncSession, statement: sa.TextClause, params: dict[str, Any] | None = None) -> Rows:
    """A text statement in the session's transaction (opening it if none is open yet)."""
    connection = await session.connection()
    return await connection.execute(statement, params)


async def _driver_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under the session's transaction: COPY is not in SQLAlchemy. SQLAlchemy
    starts the transaction lazily, so run a statement through the session before using this."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection


@dataclass(frozen=True, slots=True)
class Known:
    org_id: int
    org_name: str


DIGEST_BYTES = 32  # a blind index is HMAC-SHA256 (runtime.pii.BlindIndex)
# The digests come as one bytea, cut up in the database: an array parameter of 100,000 values costs
# the client more to encode than the lookup costs the server. ARRAY(...) is computed once, so the
# lookup stays one index probe per person.
_KNOWN = (
    "SELECT m.id_number_bi, m.org_id, coalesce(o.name, '其他工会') FROM member m "
    "LEFT JOIN org_ref o ON o.org_id = m.org_id WHERE m.status = '正常' AND m.id_number_bi = ANY(ARRAY("
    f"  SELECT substring($1::bytea FROM n * {DIGEST_BYTES} + 1 FOR {DIGEST_BYTES}) "
    f"  FROM generate_series(0, length($1::bytea) / {DIGEST_BYTES} - 1) AS n))"
)


async def known_people(session: AsyncSession, digests: bytes) -> dict[bytes, Known]:
    """Who of the file is a member already, and where: one index probe per person, whatever the
    table's statistics say (a join could be planned as a scan of every member). `digests`: the
    people's blind indexes one after another."""
    await run_sql(session, sa.text("SELECT 1"))
    driver = await _driver_connection(session)
    rows = await driver.fetch(_KNOWN, digests)
    return {bytes(r[0]): Known(r[1], r[2]) for r in rows}


_REJECTION_COLUMNS = ("import_id", "row_no", "column_name", "code", "reason", "name", "id_number_masked")


async def save_rejections(session: AsyncSession, import_id: str, rejections: Sequence[Rejection]) -> None:
    """Replace the import's report (a rerun after a crash writes it again)."""
    await run_sql(session, sa.text("DELETE FROM import_rejection WHERE import_id = :id"), {"id": import_id})
    if not rejections:
        return
    records = [
        (import_id, r.row_no, r.column, r.code, r.reason[:300], r.name[:50], r.id_number_masked[:30])
        for r in sorted(rejections, key=lambda r: r.row_no)
    ]
    driver = await _driver_connection(session)
    await driver.copy_records_to_table("import_rejection", records=records, columns=_REJECTION_COLUMNS)
