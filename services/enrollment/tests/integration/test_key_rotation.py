"""Key rotation for enrollment: `python -m enrollment.keys reencrypt` knows every column sealed under
ENROLLMENT_PII_KEY, and its statements run on the migrated schema."""

from __future__ import annotations

import sqlalchemy as sa

from enrollment.main import MIGRATIONS
from enrollment.models.columns import ENROLLMENT
from enrollment.service import rekeying
from runtime.db import create_engine, migrate, session_factory
from runtime.pii import KeyRing, PiiCipher, new_key_text

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
