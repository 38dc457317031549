"""What entrepreneurs said of the answers: thumbs up/down votes from the web chat, and the
analytics items staff marked as handled. Both are personal data (a conversation id, a user's
words): `prune` deletes them after the retention period (`hubguide conversations prune`).

Tables created by migration 0007 (knowledge/migrations/versions/).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection

VOTES = ("up", "down")

metadata = MetaData()

votes = Table(
    "answer_votes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(64), nullable=False, index=True),
    Column("bot_timestamp", Float, nullable=False),  # the rated BotUttered event's timestamp
    Column("answer", Text, nullable=False),
    Column("vote", String(4), nullable=False),
    Column("voted_at", DateTime, nullable=False),
    UniqueConstraint("conversation_id", "bot_timestamp", name="uq_answer_votes_answer"),
)

handled = Table(
    "analytics_handled",
    metadata,
    Column("conversation_id", String(64), primary_key=True),
    Column("message_timestamp", Float, primary_key=True),  # the user event's timestamp
    Column("handled_by", String(80), nullable=False),
    Column("handled_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class Vote:
    conversation_id: str
    bot_timestamp: float
    answer: str
    vote: str
    voted_at: datetime


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def record_vote(
    conn: Connection,
    conversation_id: str,
    bot_timestamp: float,
    answer: str,
    vote: str,
    *,
    at: datetime | None = None,
) -> None:
    """Store a vote; a second vote on the same answer replaces the first (a changed mind)."""
    if vote not in VOTES:
        raise ValueError(f"vote must be one of {VOTES}, not {vote!r}")
    at = at or utcnow()
    changed = conn.execute(
        update(votes)
        .where(votes.c.conversation_id == conversation_id)
        .where(votes.c.bot_timestamp == bot_timestamp)
        .values(vote=vote, voted_at=at, answer=answer)
    ).rowcount
    if not changed:
        conn.execute(
            votes.insert().values(
                conversation_id=conversation_id,
                bot_timestamp=bot_timestamp,
                answer=answer,
                vote=vote,
                voted_at=at,
            )
        )


def all_votes(conn: Connection) -> list[Vote]:
    rows = conn.execute(select(votes).order_by(votes.c.voted_at)).mappings()
    return [
        Vote(r["conversation_id"], r["bot_timestamp"], r["answer"], r["vote"], r["voted_at"])
        for r in rows
    ]


def mark_handled(
    conn: Connection, conversation_id: str, message_timestamp: float, user_name: str
) -> None:
    """Record who marked the item (one user message) handled, and when; idempotent."""
    found = conn.execute(
        select(func.count())
        .select_from(handled)
        .where(handled.c.conversation_id == conversation_id)
        .where(handled.c.message_timestamp == message_timestamp)
    ).scalar()
    if not found:
        conn.execute(
            handled.insert().values(
                conversation_id=conversation_id,
                message_timestamp=message_timestamp,
                handled_by=user_name,
                handled_at=utcnow(),
            )
        )


def handled_marks(conn: Connection) -> dict[tuple[str, float], tuple[str, datetime]]:
    """(conversation, message timestamp) → (who, when)."""
    rows = conn.execute(select(handled)).mappings()
    return {
        (r["conversation_id"], r["message_timestamp"]): (r["handled_by"], r["handled_at"])
        for r in rows
    }


@dataclass(frozen=True)
class PrunedFeedback:
    votes: int
    handled: int


def prune(
    conn: Connection, days: int, *, now: datetime | None = None, dry_run: bool = False
) -> PrunedFeedback:
    """Delete votes cast and handled marks made more than `days` days ago."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    old_votes = votes.c.voted_at < cutoff
    old_marks = handled.c.handled_at < cutoff
    counted = PrunedFeedback(
        int(conn.execute(select(func.count()).select_from(votes).where(old_votes)).scalar() or 0),
        int(conn.execute(select(func.count()).select_from(handled).where(old_marks)).scalar() or 0),
    )
    if not dry_run:
        conn.execute(delete(votes).where(old_votes))
        conn.execute(delete(handled).where(old_marks))
    return counted
