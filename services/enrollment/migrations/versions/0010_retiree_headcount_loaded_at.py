"""retiree plan: 社保人数 listed — when each unit's headcount was loaded (the file upload and its list)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "rt_headcount",
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_column("rt_headcount", "updated_at")
