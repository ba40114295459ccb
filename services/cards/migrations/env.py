from sqlalchemy import MetaData

from cards.models import CARDS
from runtime.inbox import InboxEntry
from runtime.migration_env import run
from runtime.outbox import OutboxMessage

# The runtime's inbox and outbox beside the cards tables (which keep their own metadata).
metadata = MetaData()
for table in (InboxEntry.__table__, OutboxMessage.__table__, *CARDS.metadata.tables.values()):  # type: ignore[attr-defined]
    table.to_metadata(metadata)

run(metadata)
