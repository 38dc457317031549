"""Deadline reminders: subscribe, list, cancel, and fire the due ones exactly once.

A reminder fires by turning into a notice (``knowledge/notices.py``) in the same transaction as
the conditional UPDATE that marks it sent: two schedulers racing for it cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from knowledge import notices
from knowledge.journey_models import Reminder
from knowledge.notices import utc_naive


@dataclass(frozen=True)
class ReminderView:
    id: int
    sender: str
    call_id: str
    lang: str
    lead_minutes: int
    deadline_latest: datetime  # naive UTC
    fire_at: datetime  # naive UTC
    state: str


def _view(row) -> ReminderView:
    return ReminderView(
        row.id,
        row.sender,
        row.call_id,
        row.lang,
        row.lead_minutes,
        row.deadline_latest,
        row.fire_at,
        row.state,
    )


def subscribe(
    engine: Engine,
    sender: str,
    call_id: str,
    *,
    lang: str,
    lead: timedelta,
    deadline: datetime,
    now: datetime,
) -> ReminderView:
    """A pending reminder ``lead`` before ``deadline``; asking twice keeps one."""
    minutes = int(lead.total_seconds() // 60)
    deadline_utc = utc_naive(deadline)
    with engine.begin() as conn:
        existing = conn.execute(
            select(Reminder).where(
                Reminder.sender == sender,
                Reminder.call_id == call_id,
                Reminder.lead_minutes == minutes,
                Reminder.state == "pending",
            )
        ).first()
        if existing is not None:
            return _view(existing)
        conn.execute(
            Reminder.__table__.insert().values(
                sender=sender,
                call_id=call_id,
                lang=lang,
                lead_minutes=minutes,
                deadline_latest=deadline_utc,
                fire_at=deadline_utc - timedelta(minutes=minutes),
                state="pending",
                created_at=utc_naive(now),
            )
        )
        row = conn.execute(
            select(Reminder)
            .where(Reminder.sender == sender, Reminder.call_id == call_id)
            .order_by(Reminder.id.desc())
            .limit(1)
        ).one()
    return _view(row)


def pending(engine: Engine, sender: str) -> list[ReminderView]:
    """The conversation's reminders still to come, soonest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Reminder)
            .where(Reminder.sender == sender, Reminder.state == "pending")
            .order_by(Reminder.fire_at, Reminder.id)
        ).all()
    return [_view(row) for row in rows]


def cancel(engine: Engine, sender: str, *, call_id: str | None = None) -> int:
    """Cancel the conversation's pending reminders (of one call, or all); how many."""
    query = update(Reminder).where(Reminder.sender == sender, Reminder.state == "pending")
    if call_id is not None:
        query = query.where(Reminder.call_id == call_id)
    with engine.begin() as conn:
        return conn.execute(query.values(state="cancelled")).rowcount


def fire_due(engine: Engine, now: datetime, worker: str, *, limit: int = 50) -> list[int]:
    """Turn every reminder due at ``now`` into a notice; the ids this worker fired."""
    moment = utc_naive(now)
    with engine.connect() as conn:
        ids = [
            row.id
            for row in conn.execute(
                select(Reminder.id)
                .where(Reminder.state == "pending", Reminder.fire_at <= moment)
                .order_by(Reminder.fire_at)
                .limit(limit)
            )
        ]
    fired = []
    for reminder_id in ids:
        with engine.begin() as conn:
            won = conn.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id, Reminder.state == "pending")
                .values(state="sent", claimed_by=worker, sent_at=moment)
            ).rowcount
            if won != 1:
                continue
            row = conn.execute(select(Reminder).where(Reminder.id == reminder_id)).one()
            notices.add(
                conn,
                row.sender,
                "reminder",
                {
                    "reminder_id": row.id,
                    "call_id": row.call_id,
                    "lead_minutes": row.lead_minutes,
                    "fired_at": moment.isoformat(),
                },
                now=now,
            )
        fired.append(reminder_id)
    return fired
