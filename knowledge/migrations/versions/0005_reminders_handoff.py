"""deadline reminders, notices, calendar versions of deadlines, hand-off cases, web chat outbox

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deadline_versions",
        sa.Column("call_id", sa.String(120), primary_key=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.JSON()),
        sa.Column("deadline_latest", sa.DateTime()),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("call_id", name="pk_deadline_versions"),
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("call_id", sa.String(120), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("lead_minutes", sa.Integer(), nullable=False),
        sa.Column("deadline_latest", sa.DateTime(), nullable=False),
        sa.Column("fire_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("sent_at", sa.DateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
    )
    op.create_index("ix_reminders_sender", "reminders", ["sender"])
    op.create_index("ix_reminders_call_id", "reminders", ["call_id"])
    op.create_index("ix_reminders_state_fire_at", "reminders", ["state", "fire_at"])
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("due_at", sa.DateTime()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_at", sa.DateTime()),
        sa.Column("delivered_at", sa.DateTime()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notices"),
    )
    op.create_index("ix_notices_sender", "notices", ["sender"])
    op.create_index("ix_notices_state_due_at", "notices", ["state", "due_at"])
    op.create_table(
        "handoff_cases",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("hub_id", sa.String(120)),
        sa.Column("subject_id", sa.String(200)),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("question", sa.Text()),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.Column("transcript_url", sa.Text()),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("staff_name", sa.String(120)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("taken_at", sa.DateTime()),
        sa.Column("closed_at", sa.DateTime()),
        sa.Column("timed_out_at", sa.DateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_handoff_cases"),
    )
    op.create_index("ix_handoff_cases_sender", "handoff_cases", ["sender"])
    op.create_index("ix_handoff_cases_state", "handoff_cases", ["state"])
    op.create_table(
        "handoff_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_handoff_messages"),
    )
    op.create_index("ix_handoff_messages_case_id", "handoff_messages", ["case_id"])
    op.create_table(
        "webchat_outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webchat_outbox"),
    )
    op.create_index("ix_webchat_outbox_sender", "webchat_outbox", ["sender"])


def downgrade() -> None:
    for table in (
        "webchat_outbox",
        "handoff_messages",
        "handoff_cases",
        "notices",
        "reminders",
        "deadline_versions",
    ):
        op.drop_table(table)
