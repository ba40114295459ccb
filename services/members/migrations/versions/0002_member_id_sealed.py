"""member.id_sealed: the ID number sealed for the outside systems, carried by every member snapshot

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, no default: instant on a large table. Sealing needs the keys, which a migration does
    # not hold: rows from before are sealed by the service when they next change or get a number.
    op.add_column("member", sa.Column("id_sealed", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("member", "id_sealed")
