"""payer_account: the unit's account on payables and what is scoped by the payer

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:00:00

A mutual-aid unit without a union (未建会单位) pays with payer_org_id 0: billing knows it by the account
that owns its 参保编码. Payables take it from enrollment.batch.submitted; vouchers, refunds and receipts
copy it from their payables, so that every list and detail can be scoped by it. Rows made before stay
NULL (district unions' batches, scoped by the org tree as before).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("payable", "voucher", "refund", "receipt")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("payer_account", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        op.create_index(op.f(f"ix_{table}_payer_account"), table, ["payer_account"], unique=False)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_index(op.f(f"ix_{table}_payer_account"), table_name=table)
        op.drop_column(table, "payer_account")
