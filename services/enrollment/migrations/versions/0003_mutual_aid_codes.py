"""mutual-aid 2020: enrollment codes (参保编码申请), handler info, unit name changes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 22:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # codes are numbered in approval order (enrollment.domain.mutual_aid.codes.make_code)
    op.execute("CREATE SEQUENCE enrollment_code_seq START 1")
    op.create_table(
        "code_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("owner_tier", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("owner_org_id", sa.Integer(), nullable=True),
        sa.Column("unit_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("committee", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("nature", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("contact_phone_enc", sa.LargeBinary(), nullable=False),
        sa.Column("contact_phone_masked", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("postcode", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("leader", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("leader_phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("unit_phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("reviewed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reject_reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index(op.f("ix_code_application_name_key"), "code_application", ["name_key"], unique=False)
    op.create_index(op.f("ix_code_application_owner_user_id"), "code_application", ["owner_user_id"], unique=False)
    op.create_index("ix_code_application_status", "code_application", ["status", "submitted_at"], unique=False)
    op.create_table(
        "code_attachment",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("owner_user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_code_attachment_owner_user_id"), "code_attachment", ["owner_user_id"], unique=False)
    op.create_index(op.f("ix_code_attachment_subject"), "code_attachment", ["subject"], unique=False)
    op.create_table(
        "code_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_code_history_subject"), "code_history", ["subject"], unique=False)
    op.create_table(
        "sms_code",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("phone_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("code_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sms_code_phone", "sms_code", ["purpose", "phone_digest", "sent_at"], unique=False)
    op.create_index(op.f("ix_sms_code_requested_by"), "sms_code", ["requested_by"], unique=False)
    op.create_table(
        "enrollment_code",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("owner_tier", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("owner_org_id", sa.Integer(), nullable=True),
        sa.Column("unit_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("approved_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["code_application.id"],
        ),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("application_id"),
    )
    op.create_index(op.f("ix_enrollment_code_owner_user_id"), "enrollment_code", ["owner_user_id"], unique=False)
    op.create_table(
        "code_handler",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("handler_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("handler_phone_enc", sa.LargeBinary(), nullable=False),
        sa.Column("handler_phone_masked", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("handler_email", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("economic_type", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("union_first", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("union_second", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("industry", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("saved_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["code"],
            ["enrollment_code.code"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "code_name_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("old_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("new_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("applied_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("reviewed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reject_reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["code"],
            ["enrollment_code.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_code_name_change_code"), "code_name_change", ["code"], unique=False)
    op.create_index(
        "ux_code_name_change_pending",
        "code_name_change",
        ["code"],
        unique=True,
        postgresql_where=sa.text("status = '申请中'"),
    )
    op.create_table(
        "code_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("unit_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("main", sa.Boolean(), nullable=False),
        sa.Column("added_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["code"],
            ["enrollment_code.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
    )
    op.create_index(op.f("ix_code_unit_code"), "code_unit", ["code"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_code_unit_code"), table_name="code_unit")
    op.drop_table("code_unit")
    op.drop_index(
        "ux_code_name_change_pending", table_name="code_name_change", postgresql_where=sa.text("status = '申请中'")
    )
    op.drop_index(op.f("ix_code_name_change_code"), table_name="code_name_change")
    op.drop_table("code_name_change")
    op.drop_table("code_handler")
    op.drop_index(op.f("ix_enrollment_code_owner_user_id"), table_name="enrollment_code")
    op.drop_table("enrollment_code")
    op.drop_index(op.f("ix_sms_code_requested_by"), table_name="sms_code")
    op.drop_index("ix_sms_code_phone", table_name="sms_code")
    op.drop_table("sms_code")
    op.drop_index(op.f("ix_code_history_subject"), table_name="code_history")
    op.drop_table("code_history")
    op.drop_index(op.f("ix_code_attachment_subject"), table_name="code_attachment")
    op.drop_index(op.f("ix_code_attachment_owner_user_id"), table_name="code_attachment")
    op.drop_table("code_attachment")
    op.drop_index("ix_code_application_status", table_name="code_application")
    op.drop_index(op.f("ix_code_application_owner_user_id"), table_name="code_application")
    op.drop_index(op.f("ix_code_application_name_key"), table_name="code_application")
    op.drop_table("code_application")
    op.execute("DROP SEQUENCE enrollment_code_seq")
