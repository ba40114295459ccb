"""mutual-aid 2020: 清册校验 as a background job

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 01:10:00

A roster check job per 【清册校验】 (rosters of tens of thousands of rows): its state and progress, the
verdict it left on the batch, the error when it failed, its attempts (picked up again after a restart).
At most one unfinished check per batch: a partial unique index.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UNFINISHED = sa.text("state IN ('排队中', '校验中')")


def upgrade() -> None:
    op.create_table(
        "ma_check_job",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("batch_no", sa.String(length=20), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_checked", sa.Integer(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("error_code", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("error_message", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("requested_tier", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["batch_no"], ["ma_batch.batch_no"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ma_check_job_batch_no"), "ma_check_job", ["batch_no"], unique=False)
    op.create_index(op.f("ix_ma_check_job_state"), "ma_check_job", ["state"], unique=False)
    op.create_index("ux_ma_check_job_running", "ma_check_job", ["batch_no"], unique=True, postgresql_where=UNFINISHED)


def downgrade() -> None:
    op.drop_index("ux_ma_check_job_running", table_name="ma_check_job", postgresql_where=UNFINISHED)
    op.drop_index(op.f("ix_ma_check_job_state"), table_name="ma_check_job")
    op.drop_index(op.f("ix_ma_check_job_batch_no"), table_name="ma_check_job")
    op.drop_table("ma_check_job")
