"""pension withholding (委托代扣): requests, one result per person, one report per chunk and version

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "withholding_request",
        sa.Column("request_no", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("batch_no", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("pension_day", sa.Date(), nullable=False),
        sa.Column("deducted_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("request_no"),
    )
    op.create_table(
        "withholding_result",
        sa.Column("request_no", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("subject_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.PrimaryKeyConstraint("request_no", "subject_id"),
    )
    op.create_table(
        "withholding_report",
        sa.Column("request_no", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("chunk", sa.Integer(), nullable=False),
        sa.Column("subject_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("request_no", "version", "chunk"),
    )
    op.create_index(
        "ix_withholding_report_due",
        "withholding_report",
        ["due_at"],
        unique=False,
        postgresql_where=sa.text("answered_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_withholding_report_due", table_name="withholding_report", postgresql_where=sa.text("answered_at IS NULL")
    )
    op.drop_table("withholding_report")
    op.drop_table("withholding_result")
    op.drop_table("withholding_request")
