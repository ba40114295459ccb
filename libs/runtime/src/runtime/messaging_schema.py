"""The outbox and inbox tables every service's first migration creates (runtime.outbox, runtime.inbox).

Called from a migration's upgrade()/downgrade() so the DDL lives once, next to the models it serves.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def create_outbox_and_inbox() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("ce_id", sa.String(), nullable=False),
        sa.Column("ce_type", sa.String(), nullable=False),
        sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ce_id"),
    )
    op.create_index("ix_outbox_unsent", "outbox", ["id"], unique=False, postgresql_where=sa.text("sent_at IS NULL"))
    # Bulk events make outbox rows of ~200 KB: lz4 compresses them several times faster than the
    # default pglz. A server built without lz4 keeps pglz.
    op.execute(
        "DO $$ BEGIN ALTER TABLE outbox ALTER COLUMN payload SET COMPRESSION lz4; "
        "EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL; END $$"
    )
    op.create_table(
        "inbox",
        sa.Column("ce_source", sa.String(), nullable=False),
        sa.Column("ce_id", sa.String(), nullable=False),
        sa.Column("ce_type", sa.String(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=True),
        sa.PrimaryKeyConstraint("ce_source", "ce_id"),
    )


def drop_outbox_and_inbox() -> None:
    op.drop_table("inbox")
    op.drop_index("ix_outbox_unsent", table_name="outbox", postgresql_where=sa.text("sent_at IS NULL"))
    op.drop_table("outbox")
