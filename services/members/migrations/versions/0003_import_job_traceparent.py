"""import_job.traceparent: the trace of the request that asked for an import, continued by every run

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, no default: instant on a large table; jobs from before simply start a trace of their own.
    op.add_column("import_job", sa.Column("traceparent", AutoString(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("import_job", "traceparent")
