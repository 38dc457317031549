"""the staff workspace: accounts, login throttling, the change history, record origins

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_record_origins",
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("record_id", sa.String(120), primary_key=True),
        sa.Column("source_id", sa.String(120), nullable=False, index=True),
        sa.Column("file_sha", sa.String(64)),
        sa.Column("edited_at", sa.DateTime()),
    )
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("orgs", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False, server_default="en"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "staff_login_attempts",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime()),
    )
    op.create_table(
        "staff_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False, index=True),
        sa.Column("user_name", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("record_id", sa.String(120), nullable=False),
        sa.Column("source_id", sa.String(120), nullable=False),
        sa.Column("before", sa.JSON()),
        sa.Column("after", sa.JSON()),
        sa.Column("undo_of", sa.Integer),
        sa.Column("undone_by", sa.Integer),
    )
    op.create_index("ix_staff_changes_record", "staff_changes", ["kind", "record_id"])


def downgrade() -> None:
    op.drop_index("ix_staff_changes_record", table_name="staff_changes")
    op.drop_table("staff_changes")
    op.drop_table("staff_login_attempts")
    op.drop_table("staff_users")
    op.drop_table("kb_record_origins")
