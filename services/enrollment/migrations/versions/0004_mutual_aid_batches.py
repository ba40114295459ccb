"""mutual-aid 2020: batches and rosters (参保清册), validation, items, attachments

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 22:00:00

The year's rules beside its items (guarantee types gain two flags), the suggested roster and headcounts,
a unit's batches with their roster rows (one ID number claimed once per year: a partial unique index),
roster uploads and their rejections, attachments, social-security checks and the operation log.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ma_counter",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "ma_operation",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("batch_no", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("from_status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("to_status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("actor_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("actor_tier", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ma_operation_batch_no"), "ma_operation", ["batch_no"], unique=False)
    op.create_table(
        "ma_batch",
        sa.Column("batch_no", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("programme_year_id", sa.Integer(), nullable=False),
        sa.Column("enrollment_type", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("unit_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("account_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("org_path", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("handler_name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("handler_phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("handler_phone_masked", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("handler_email", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("check_summary", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("roster_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cover_start", sa.Date(), nullable=True),
        sa.Column("cover_end", sa.Date(), nullable=True),
        sa.Column("half_year", sa.Boolean(), nullable=False),
        sa.Column("items", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("premium", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("ss_persons", sa.Integer(), nullable=False),
        sa.Column("non_ss_persons", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("premium_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voucher_due", sa.Date(), nullable=True),
        sa.Column("payable_no", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("payable_seq", sa.Integer(), nullable=False),
        sa.Column("voucher_no", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("voucher_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("billing_version", sa.Integer(), nullable=False),
        sa.Column("paid_amount_fen", sa.Integer(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_year_id"],
            ["programme_year.id"],
        ),
        sa.PrimaryKeyConstraint("batch_no"),
        sa.UniqueConstraint("payable_no"),
    )
    op.create_index(op.f("ix_ma_batch_account_id"), "ma_batch", ["account_id"], unique=False)
    op.create_index(op.f("ix_ma_batch_org_id"), "ma_batch", ["org_id"], unique=False)
    op.create_index(op.f("ix_ma_batch_programme_year_id"), "ma_batch", ["programme_year_id"], unique=False)
    op.create_index(op.f("ix_ma_batch_status"), "ma_batch", ["status"], unique=False)
    op.create_index("ix_ma_batch_year_code", "ma_batch", ["programme_year_id", "code"], unique=False)
    op.create_table(
        "ma_headcount",
        sa.Column("programme_year_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("unit_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_year_id"],
            ["programme_year.id"],
        ),
        sa.PrimaryKeyConstraint("programme_year_id", "unit_code"),
    )
    op.create_table(
        "ma_rules",
        sa.Column("programme_year_id", sa.Integer(), nullable=False),
        sa.Column("bundle_codes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("bundle_discount_fen", sa.Integer(), nullable=False),
        sa.Column("change_pct", sa.Integer(), nullable=False),
        sa.Column("ratio_min_pct", sa.Integer(), nullable=False),
        sa.Column("ratio_max_pct", sa.Integer(), nullable=False),
        sa.Column("small_unit_max", sa.Integer(), nullable=False),
        sa.Column("template_max_rows", sa.Integer(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_year_id"],
            ["programme_year.id"],
        ),
        sa.PrimaryKeyConstraint("programme_year_id"),
    )
    op.create_table(
        "ma_suggested",
        sa.Column("programme_year_id", sa.Integer(), nullable=False),
        sa.Column("id_digest", sa.LargeBinary(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("unit_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("employment", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_year_id"],
            ["programme_year.id"],
        ),
        sa.PrimaryKeyConstraint("programme_year_id", "id_digest"),
    )
    op.create_table(
        "ma_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_no", sa.String(length=20), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["batch_no"], ["ma_batch.batch_no"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ma_attachment_batch_no"), "ma_attachment", ["batch_no"], unique=False)
    op.create_table(
        "ma_check",
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("batch_no", sa.String(length=20), nullable=False),
        sa.Column("subjects", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["batch_no"], ["ma_batch.batch_no"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_index(op.f("ix_ma_check_batch_no"), "ma_check", ["batch_no"], unique=False)
    op.create_table(
        "ma_import",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("batch_no", sa.String(length=20), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_checked", sa.Integer(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_updated", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("error_code", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("error_message", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["batch_no"], ["ma_batch.batch_no"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ma_import_state"), "ma_import", ["state"], unique=False)
    op.create_table(
        "ma_row",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("batch_no", sa.String(length=20), nullable=False),
        sa.Column("programme_year_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("name_options", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("id_type", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("id_enc", sa.LargeBinary(), nullable=False),
        sa.Column("id_digest", sa.LargeBinary(), nullable=False),
        sa.Column("id_masked", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("gender", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("phone_masked", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("has_social_security", sa.Boolean(), nullable=False),
        sa.Column("employment", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("unit_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("suggested", sa.Boolean(), nullable=False),
        sa.Column("over_age_kept", sa.Boolean(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("check_request_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("check_note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("problem", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("claimed", sa.Boolean(), nullable=False),
        sa.Column("premium_fen", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["batch_no"], ["ma_batch.batch_no"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_no", "id_digest", name="ux_ma_row_batch_person"),
    )
    op.create_index("ix_ma_row_year_person", "ma_row", ["programme_year_id", "id_digest"], unique=False)
    op.create_index(
        "ux_ma_row_claimed_once_per_year",
        "ma_row",
        ["programme_year_id", "id_digest"],
        unique=True,
        postgresql_where=sa.text("claimed"),
    )
    op.create_table(
        "ma_import_rejection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.String(length=40), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("column", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["ma_import.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ma_import_rejection_import_id"), "ma_import_rejection", ["import_id"], unique=False)
    # mutual-aid items are guarantee types; the existing types read "no" for both
    op.add_column(
        "guarantee_type", sa.Column("accident_exempt", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        "guarantee_type", sa.Column("social_security_only", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade() -> None:
    op.drop_column("guarantee_type", "social_security_only")
    op.drop_column("guarantee_type", "accident_exempt")
    op.drop_index(op.f("ix_ma_import_rejection_import_id"), table_name="ma_import_rejection")
    op.drop_table("ma_import_rejection")
    op.drop_index("ux_ma_row_claimed_once_per_year", table_name="ma_row", postgresql_where=sa.text("claimed"))
    op.drop_index("ix_ma_row_year_person", table_name="ma_row")
    op.drop_table("ma_row")
    op.drop_index(op.f("ix_ma_import_state"), table_name="ma_import")
    op.drop_table("ma_import")
    op.drop_index(op.f("ix_ma_check_batch_no"), table_name="ma_check")
    op.drop_table("ma_check")
    op.drop_index(op.f("ix_ma_attachment_batch_no"), table_name="ma_attachment")
    op.drop_table("ma_attachment")
    op.drop_table("ma_suggested")
    op.drop_table("ma_rules")
    op.drop_table("ma_headcount")
    op.drop_index("ix_ma_batch_year_code", table_name="ma_batch")
    op.drop_index(op.f("ix_ma_batch_status"), table_name="ma_batch")
    op.drop_index(op.f("ix_ma_batch_programme_year_id"), table_name="ma_batch")
    op.drop_index(op.f("ix_ma_batch_org_id"), table_name="ma_batch")
    op.drop_index(op.f("ix_ma_batch_account_id"), table_name="ma_batch")
    op.drop_table("ma_batch")
    op.drop_index(op.f("ix_ma_operation_batch_no"), table_name="ma_operation")
    op.drop_table("ma_operation")
    op.drop_table("ma_counter")
