"""mutual-aid 2020: the insurer's loads listed — 建议清册 keeps the masked ID number and when each row was
loaded (lists filter by 单位社保编码), 社保在职人数 when each unit was loaded

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 01:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ma_suggested", sa.Column("id_masked", sa.String(length=30), nullable=False, server_default=""))
    op.add_column(
        "ma_suggested",
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_ma_suggested_year_unit", "ma_suggested", ["programme_year_id", "unit_code"])
    op.add_column(
        "ma_headcount",
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_column("ma_headcount", "updated_at")
    op.drop_index("ix_ma_suggested_year_unit", table_name="ma_suggested")
    op.drop_column("ma_suggested", "updated_at")
    op.drop_column("ma_suggested", "id_masked")
