"""retiree hospitalisation plan (退休住院计划): units, name changes, batches, people, uploads, checks, withholding

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 02:00:00

The year's rules beside the programme-year and the social-security headcounts; the units by 参保编码 with
their files and name changes; a unit's batches (TXZY…) with their people (one ID number claimed once per
year: a partial unique index; phones unique within a batch by their blind index), roster uploads and
their rejections, attachments, social-security checks, withholding requests and the operation log.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rt_counter",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "rt_name_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("old_unit_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("new_unit_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("handler_name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("handler_phone_enc", sa.LargeBinary(), nullable=False),
        sa.Column("handler_phone_masked", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("handler_email", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("district", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("economic_type", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("postcode", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("principal", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("unit_phone", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("submitted_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("reviewed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_rt_name_change_code"), "rt_name_change", ["code"], unique=False)
    op.create_index(op.f("ix_rt_name_change_status"), "rt_name_change", ["status"], unique=False)
    op.create_table(
        "rt_operation",
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
    op.create_index(op.f("ix_rt_operation_batch_no"), "rt_operation", ["batch_no"], unique=False)
    op.create_table(
        "rt_unit",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("unit_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("uscc_valid", sa.Boolean(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("org_path", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("owner_user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("owner_tier", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("postcode", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("district", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("economic_type", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("handler_name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("handler_phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("handler_phone_masked", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("handler_email", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("announced_version", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index(op.f("ix_rt_unit_org_id"), "rt_unit", ["org_id"], unique=False)
    op.create_index(op.f("ix_rt_unit_owner_user_id"), "rt_unit", ["owner_user_id"], unique=False)
    op.create_index(op.f("ix_rt_unit_unit_name"), "rt_unit", ["unit_name"], unique=False)
    op.create_table(
        "rt_unit_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("name_change_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_rt_unit_file_code"), "rt_unit_file", ["code"], unique=False)
    op.create_index(op.f("ix_rt_unit_file_name_change_id"), "rt_unit_file", ["name_change_id"], unique=False)
    op.create_table(
        "rt_batch",
        sa.Column("batch_no", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("programme_year_id", sa.Integer(), nullable=False),
        sa.Column("enrollment_type", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("unit_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("owner_user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("org_path", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("unit_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payment_mode", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("withholding_amount_fen", sa.Integer(), nullable=True),
        sa.Column("entrustment_attachment_id", sa.Integer(), nullable=True),
        sa.Column("validation_requested", sa.Integer(), nullable=False),
        sa.Column("validation_answered", sa.Integer(), nullable=False),
        sa.Column("validation_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("review_lines", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("reviewed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withholding_request_no", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("withholding_requested", sa.Integer(), nullable=False),
        sa.Column("withholding_answered", sa.Integer(), nullable=False),
        sa.Column("withholding_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deducted_on", sa.Date(), nullable=True),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("withheld_persons", sa.Integer(), nullable=False),
        sa.Column("withheld_fen", sa.Integer(), nullable=False),
        sa.Column("payable_no", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("roster_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pay_by", sa.Date(), nullable=True),
        sa.Column("voucher_no", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("voucher_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("billing_version", sa.Integer(), nullable=False),
        sa.Column("paid_amount_fen", sa.Integer(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cover_start", sa.Date(), nullable=True),
        sa.Column("cover_end", sa.Date(), nullable=True),
        sa.Column("handler_name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("handler_phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("handler_phone_masked", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("handler_email", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
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
    op.create_index(op.f("ix_rt_batch_org_id"), "rt_batch", ["org_id"], unique=False)
    op.create_index(op.f("ix_rt_batch_owner_user_id"), "rt_batch", ["owner_user_id"], unique=False)
    op.create_index(op.f("ix_rt_batch_programme_year_id"), "rt_batch", ["programme_year_id"], unique=False)
    op.create_index(op.f("ix_rt_batch_status"), "rt_batch", ["status"], unique=False)
    op.create_index("ix_rt_batch_year_code", "rt_batch", ["programme_year_id", "code"], unique=False)
    op.create_table(
        "rt_headcount",
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
        "rt_rules",
        sa.Column("programme_year_id", sa.Integer(), nullable=False),
        sa.Column("premium_fen", sa.Integer(), nullable=False),
        sa.Column("withholding_max_fen", sa.Integer(), nullable=False),
        sa.Column("waiting_days", sa.Integer(), nullable=False),
        sa.Column("ratio_min_pct", sa.Integer(), nullable=False),
        sa.Column("phone_valid_pct", sa.Integer(), nullable=False),
        sa.Column("pension_day", sa.Date(), nullable=True),
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
        "rt_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_no", sa.String(length=20), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("unit_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["batch_no"], ["rt_batch.batch_no"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_rt_attachment_batch_no"), "rt_attachment", ["batch_no"], unique=False)
    op.create_table(
        "rt_check",
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("batch_no", sa.String(length=20), nullable=False),
        sa.Column("subjects", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["batch_no"], ["rt_batch.batch_no"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_index(op.f("ix_rt_check_batch_no"), "rt_check", ["batch_no"], unique=False)
    op.create_table(
        "rt_import",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("batch_no", sa.String(length=20), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_checked", sa.Integer(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("error_code", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("error_message", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["batch_no"], ["rt_batch.batch_no"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_rt_import_state"), "rt_import", ["state"], unique=False)
    op.create_table(
        "rt_person",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("batch_no", sa.String(length=20), nullable=False),
        sa.Column("programme_year_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("id_type", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("id_enc", sa.LargeBinary(), nullable=False),
        sa.Column("id_digest", sa.LargeBinary(), nullable=False),
        sa.Column("id_masked", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("gender", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=False),
        sa.Column("phone_digest", sa.LargeBinary(), nullable=False),
        sa.Column("phone_masked", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("phone_valid", sa.Boolean(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("check_request_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("failure", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.Column("ss_name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("deceased", sa.Boolean(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("retirement_month", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
        sa.Column("retirement_edited", sa.Boolean(), nullable=False),
        sa.Column("name_confirmed", sa.Boolean(), nullable=False),
        sa.Column("medical_insured", sa.Boolean(), nullable=False),
        sa.Column("withholdable", sa.Boolean(), nullable=False),
        sa.Column("ss_unit_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("ss_unit_uscc", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("check_result", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("no_ss_class", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("no_ss_remark", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("no_ss_attachment_id", sa.Integer(), nullable=True),
        sa.Column("withholding_request_no", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("withholding_result", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("withholding_amount_fen", sa.Integer(), nullable=True),
        sa.Column("withholding_reason", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("claimed", sa.Boolean(), nullable=False),
        sa.Column("premium_fen", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["batch_no"], ["rt_batch.batch_no"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_no", "id_digest", name="ux_rt_person_batch_id"),
        sa.UniqueConstraint("batch_no", "phone_digest", name="ux_rt_person_batch_phone"),
    )
    op.create_index(op.f("ix_rt_person_check_result"), "rt_person", ["check_result"], unique=False)
    op.create_index("ix_rt_person_year_code", "rt_person", ["programme_year_id", "ss_unit_code"], unique=False)
    op.create_index(
        "ux_rt_person_claimed_once_per_year",
        "rt_person",
        ["programme_year_id", "id_digest"],
        unique=True,
        postgresql_where=sa.text("claimed"),
    )
    op.create_table(
        "rt_withholding",
        sa.Column("request_no", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("batch_no", sa.String(length=20), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("pension_day", sa.Date(), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["batch_no"], ["rt_batch.batch_no"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_no"),
    )
    op.create_index(op.f("ix_rt_withholding_batch_no"), "rt_withholding", ["batch_no"], unique=False)
    op.create_table(
        "rt_import_rejection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.String(length=40), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("column", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["rt_import.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_rt_import_rejection_import_id"), "rt_import_rejection", ["import_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_rt_import_rejection_import_id"), table_name="rt_import_rejection")
    op.drop_table("rt_import_rejection")
    op.drop_index(op.f("ix_rt_withholding_batch_no"), table_name="rt_withholding")
    op.drop_table("rt_withholding")
    op.drop_index("ux_rt_person_claimed_once_per_year", table_name="rt_person", postgresql_where=sa.text("claimed"))
    op.drop_index("ix_rt_person_year_code", table_name="rt_person")
    op.drop_index(op.f("ix_rt_person_check_result"), table_name="rt_person")
    op.drop_table("rt_person")
    op.drop_index(op.f("ix_rt_import_state"), table_name="rt_import")
    op.drop_table("rt_import")
    op.drop_index(op.f("ix_rt_check_batch_no"), table_name="rt_check")
    op.drop_table("rt_check")
    op.drop_index(op.f("ix_rt_attachment_batch_no"), table_name="rt_attachment")
    op.drop_table("rt_attachment")
    op.drop_table("rt_rules")
    op.drop_table("rt_headcount")
    op.drop_index("ix_rt_batch_year_code", table_name="rt_batch")
    op.drop_index(op.f("ix_rt_batch_status"), table_name="rt_batch")
    op.drop_index(op.f("ix_rt_batch_programme_year_id"), table_name="rt_batch")
    op.drop_index(op.f("ix_rt_batch_owner_user_id"), table_name="rt_batch")
    op.drop_index(op.f("ix_rt_batch_org_id"), table_name="rt_batch")
    op.drop_table("rt_batch")
    op.drop_index(op.f("ix_rt_unit_file_name_change_id"), table_name="rt_unit_file")
    op.drop_index(op.f("ix_rt_unit_file_code"), table_name="rt_unit_file")
    op.drop_table("rt_unit_file")
    op.drop_index(op.f("ix_rt_unit_unit_name"), table_name="rt_unit")
    op.drop_index(op.f("ix_rt_unit_owner_user_id"), table_name="rt_unit")
    op.drop_index(op.f("ix_rt_unit_org_id"), table_name="rt_unit")
    op.drop_table("rt_unit")
    op.drop_index(op.f("ix_rt_operation_batch_no"), table_name="rt_operation")
    op.drop_table("rt_operation")
    op.drop_index(op.f("ix_rt_name_change_status"), table_name="rt_name_change")
    op.drop_index(op.f("ix_rt_name_change_code"), table_name="rt_name_change")
    op.drop_table("rt_name_change")
    op.drop_table("rt_counter")
