"""retiree plan pre-issued accounts (预派账号)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retiree_unit_account",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("unit_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum("issued", "unmatched", "name_taken", name="preissueoutcome", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("account_id"),
    )
    op.create_index(op.f("ix_retiree_unit_account_outcome"), "retiree_unit_account", ["outcome"], unique=False)
    op.create_index(op.f("ix_retiree_unit_account_uscc"), "retiree_unit_account", ["uscc"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_retiree_unit_account_uscc"), table_name="retiree_unit_account")
    op.drop_index(op.f("ix_retiree_unit_account_outcome"), table_name="retiree_unit_account")
    op.drop_table("retiree_unit_account")
