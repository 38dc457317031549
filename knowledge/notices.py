"""Notices: what the bot must say in a conversation unasked (a reminder, a moved deadline, a
staff reply), kept in the database until one process has delivered it.

Claiming is a conditional UPDATE (``… WHERE state = 'pending'``): of several schedulers or web
servers racing for the same notice exactly one sees its row change, so each notice is handed to
Rasa once. A failed delivery releases the notice for the next round: the retry follows the
rounds, not the business clock (which tests freeze with ``HUBGUIDE_NOW``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from knowledge.journey_models import Notice

#: after this many failed attempts a notice is given up (at one attempt per scheduler round,
#: 5 s by default, about an hour and a half of Rasa being unreachable)
MAX_ATTEMPTS = 1000


def utc_naive(moment: datetime) -> datetime:
    """An aware instant as the naive UTC datetime the tables store."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class NoticeView:
    id: int
    sender: str
    kind: str
    params: dict
    state: str


def _view(row) -> NoticeView:
    return NoticeView(row.id, row.sender, row.kind, dict(row.params or {}), row.state)


def add(
    conn: Connection,
    sender: str,
    kind: str,
    params: dict,
    *,
    now: datetime,
    due_at: datetime | None = None,
) -> int:
    """Queue a notice (inside the caller's transaction); ``due_at`` None: deliver at once."""
    result = conn.execute(
        insert(Notice).values(
            sender=sender,
            kind=kind,
            params=params,
            state="pending",
            due_at=utc_naive(due_at) if due_at else None,
            attempts=0,
            created_at=utc_naive(now),
        )
    )
    return int(result.inserted_primary_key[0])


def get(engine: Engine, notice_id: int) -> NoticeView | None:
    with engine.connect() as conn:
        row = conn.execute(select(Notice).where(Notice.id == notice_id)).first()
    return _view(row) if row else None


def due(engine: Engine, now: datetime, *, limit: int = 50) -> list[int]:
    """Ids of pending notices that may be delivered at ``now``, oldest first."""
    moment = utc_naive(now)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Notice.id)
            .where(Notice.state == "pending")
            .where(or_(Notice.due_at.is_(None), Notice.due_at <= moment))
            .order_by(Notice.id)
            .limit(limit)
        )
        return [row.id for row in rows]


def claim(engine: Engine, notice_id: int, worker: str, now: datetime) -> NoticeView | None:
    """The notice, if this worker won it (exactly one racing worker does), else None."""
    with engine.begin() as conn:
        changed = conn.execute(
            update(Notice)
            .where(Notice.id == notice_id, Notice.state == "pending")
            .values(
                state="claimed",
                claimed_by=worker,
                claimed_at=utc_naive(now),
                attempts=Notice.attempts + 1,
            )
        ).rowcount
        if changed != 1:
            return None
        row = conn.execute(select(Notice).where(Notice.id == notice_id)).one()
    return _view(row)


def delivered(engine: Engine, notice_id: int, now: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(Notice)
            .where(Notice.id == notice_id)
            .values(state="delivered", delivered_at=utc_naive(now))
        )


def release(engine: Engine, notice_id: int) -> None:
    """A failed delivery: pending again (given up after ``MAX_ATTEMPTS`` tries)."""
    with engine.begin() as conn:
        conn.execute(
            update(Notice)
            .where(Notice.id == notice_id, Notice.state == "claimed")
            .values(state="pending", claimed_by=None)
        )
        conn.execute(
            update(Notice)
            .where(Notice.id == notice_id, Notice.attempts >= MAX_ATTEMPTS)
            .values(state="failed")
        )


def pending_for(engine: Engine, sender: str) -> list[NoticeView]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Notice).where(Notice.sender == sender, Notice.state == "pending")
        ).all()
    return [_view(row) for row in rows]
