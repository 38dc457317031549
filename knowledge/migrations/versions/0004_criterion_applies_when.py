"""the condition under which an eligibility criterion applies ("existing clusters must …")

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("criteria") as batch:
        batch.add_column(sa.Column("applies_when", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("criteria") as batch:
        batch.drop_column("applies_when")
