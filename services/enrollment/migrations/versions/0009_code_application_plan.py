"""code applications per plan (参保项目): 互助保障 and 退休住院计划 新参保编码申请

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 02:00:00

`code_application.plan` says which programme a 参保编码申请 is for (every existing row is a mutual-aid
one); the retiree plan's codes granted online come from a sequence of their own ("13" + 7 digits, apart
from last year's loaded codes).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "code_application",
        sa.Column(
            "plan",
            sqlmodel.sql.sqltypes.AutoString(length=12),
            server_default="mutual_aid",
            nullable=False,
        ),
    )
    op.create_index("ix_code_application_plan", "code_application", ["plan", "status"], unique=False)
    op.execute("CREATE SEQUENCE rt_unit_code_seq START 1")


def downgrade() -> None:
    op.execute("DROP SEQUENCE rt_unit_code_seq")
    op.drop_index("ix_code_application_plan", table_name="code_application")
    op.drop_column("code_application", "plan")
