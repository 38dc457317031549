"""the staff workspace's hand-off section: who took, answered, closed, gave back or assigned
a case

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer, nullable=False, index=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_name", sa.String(80), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("message_id", sa.Integer),
        sa.Column("detail", sa.String(120)),  # assign: the hub the case was given to
    )


def downgrade() -> None:
    op.drop_table("handoff_actions")
