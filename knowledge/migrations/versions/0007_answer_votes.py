"""votes on the bot's answers (web chat thumbs) and analytics items marked handled

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_votes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(64), nullable=False, index=True),
        sa.Column("bot_timestamp", sa.Float, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("vote", sa.String(4), nullable=False),
        sa.Column("voted_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("conversation_id", "bot_timestamp", name="uq_answer_votes_answer"),
    )
    op.create_table(
        "analytics_handled",
        sa.Column("conversation_id", sa.String(64), primary_key=True),
        sa.Column("message_timestamp", sa.Float, primary_key=True),
        sa.Column("handled_by", sa.String(80), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("analytics_handled")
    op.drop_table("answer_votes")
