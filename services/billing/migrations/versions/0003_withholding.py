"""withholding: the retiree plan's 代扣行 on payables

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 12:00:00

A retiree-plan batch arrives with what pensions already paid (withheld_fen = successes × amount, and
withheld_persons): the payer owes the rest. Rows made before withheld nothing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("payable", sa.Column("withheld_fen", sa.BigInteger(), server_default="0", nullable=False))
    op.add_column("payable", sa.Column("withheld_persons", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    op.drop_column("payable", "withheld_persons")
    op.drop_column("payable", "withheld_fen")
