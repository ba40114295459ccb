"""batch: the roster frozen by billing.voucher.submitted (voucher uploaded), and billing's last version

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Server defaults so the existing batches read "no voucher heard of yet".
    op.add_column("batch", sa.Column("roster_frozen", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("batch", sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("batch", sa.Column("voucher_no", sa.String(length=20), nullable=True))
    op.add_column("batch", sa.Column("voucher_submitted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("batch", sa.Column("billing_version", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    for column in ("billing_version", "voucher_submitted_at", "voucher_no", "frozen_at", "roster_frozen"):
        op.drop_column("batch", column)
