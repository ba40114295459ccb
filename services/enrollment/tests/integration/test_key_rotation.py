"""Key rotation for enrollment: `python -m enrollment.keys reencrypt` knows every column sealed under
ENROLLMENT_PII_KEY, and its statements run on the migrated schema; `reindex` remakes the roster's
ID-number digests under a new ENROLLMENT_ROSTER_INDEX_KEY."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa
from sqlmodel import select

from enrollment.main import MIGRATIONS
from enrollment.models import RosterRow
from enrollment.models.columns import ENROLLMENT
from enrollment.service import rekeying
from runtime.db import create_engine, migrate, session_factory
from runtime.pii import BlindIndex, KeyRing, PiiCipher, key_from_text, new_key_text
from runtime.rekey import RekeyError
from services.enrollment.tests.conftest import app_of
from services.enrollment.tests.integration.mutual_aid_world import configure, last_year_roster, person_id

METADATA = ENROLLMENT.metadata


def test_every_sealed_column_is_rotated() -> None:
    """A new `*_enc` column must be added to rekeying.SEALED (with the field it is sealed for)."""
    sealed = {
        (table.name, column.name)
        for table in METADATA.tables.values()
        for column in table.columns
        if column.name.endswith("_enc") and isinstance(column.type, sa.LargeBinary)
    }
    listed = {(table.name, s.column) for table, columns in rekeying.SEALED.items() for s in columns}
    assert listed == sealed
    for table in rekeying.SEALED:
        assert tuple(c.name for c in METADATA.tables[table.name].primary_key.columns) == table.key


async def test_reencrypt_runs_on_the_migrated_schema(database: str) -> None:
    await migrate(MIGRATIONS, database)
    cipher = PiiCipher.from_ring(KeyRing.from_settings("ENROLLMENT_PII", new_key_text(), 2, f"1:{new_key_text()}"))
    engine = create_engine(database, pool_size=1)
    lines: list[str] = []
    try:
        progress = await rekeying.reencrypt(session_factory(engine), cipher, lines.append)
    finally:
        await engine.dispose()
    assert [(p.total, p.done, p.left) for p in progress] == [(0, 0, 0)] * len(rekeying.SEALED)
    assert len(lines) == len(rekeying.SEALED)


async def test_reindex_remakes_every_roster_digest_under_the_new_key(client, clock) -> None:  # type: ignore[no-untyped-def]
    app = app_of(client)
    await configure(client)
    ids = [person_id(200 + n) for n in range(5)]
    await last_year_roster(client, "ABC123", "上海建朗信息科技有限公司", ids)
    old = app.state.roster_vault
    new = replace(old, index=BlindIndex(key_from_text(new_key_text())))

    async def digests() -> set[bytes]:
        async with app.state.sessions() as session:
            return set(await session.exec(select(RosterRow.id_digest)))

    before = await digests()
    assert before == {old.digest(n) for n in ids}
    # checked: a current key that did not make the digests stops before writing anything
    wrong = replace(old, index=BlindIndex(key_from_text(new_key_text())))
    with pytest.raises(RekeyError, match="under neither the current nor the new key"):
        await rekeying.reindex(app.state.sessions, wrong, new, lambda _: None, batch_size=2)
    assert await digests() == before

    lines: list[str] = []
    progress = await rekeying.reindex(app.state.sessions, old, new, lines.append, batch_size=2)
    assert await digests() == {new.digest(n) for n in ids}
    assert progress[0].done == 5
    # run again (after an interruption, say): what is under the new key already is left alone
    again = await rekeying.reindex(app.state.sessions, old, new, lines.append)
    assert again[0].done == 0
    assert not [n for n in ids if any(n in line for line in lines)]
