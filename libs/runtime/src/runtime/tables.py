"""Each service keeps its tables on a registry of its own.

Services run as separate processes, but tests, benchmarks and tools import several at once, and two
services may both project the org tree into an `org_ref` table: one shared SQLModel metadata would
refuse the second. A service declares `TABLES = registry()` and a base
`class <Svc>Table(SQLModel, registry=TABLES)`; its migration env runs on `migration_metadata(TABLES)`.
"""

from __future__ import annotations

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import registry

from .inbox import InboxEntry
from .outbox import OutboxMessage


def migration_metadata(tables: registry) -> MetaData:
    """The service's tables beside the runtime's inbox and outbox, for Alembic."""
    metadata = MetaData()
    messaging: list[Table] = [
        InboxEntry.__table__,  # type: ignore[attr-defined]
        OutboxMessage.__table__,  # type: ignore[attr-defined]
    ]
    for table in (*messaging, *tables.metadata.tables.values()):
        table.to_metadata(metadata)
    return metadata
