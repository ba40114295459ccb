"""retiree plan notices (退休住院计划): 代扣结果 to the handler by SMS and mail, sent once

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 02:00:00

One row per batch, kind and channel (unique), recorded with the bank's last outcome and marked sent by the
notice loop; a partial index finds the unsent ones.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rt_notice",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("batch_no", sa.String(length=20), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("tried_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["batch_no"], ["rt_batch.batch_no"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_no", "kind", "channel", name="ux_rt_notice_once"),
    )
    op.create_index(
        "ix_rt_notice_unsent", "rt_notice", ["id"], unique=False, postgresql_where=sa.text("sent_at IS NULL")
    )


def downgrade() -> None:
    op.drop_index("ix_rt_notice_unsent", table_name="rt_notice", postgresql_where=sa.text("sent_at IS NULL"))
    op.drop_table("rt_notice")
