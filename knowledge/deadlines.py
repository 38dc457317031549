"""What follows when a call's deadline changes: its calendar event gets a new version, its
subscribers' reminders move with it, and each subscriber is told.

``deadline_changed`` is the one function every writer of calls calls inside its transaction
after writing: the importer (``knowledge/importer.py``) for the calls it imported, the staff
workspace after an edit. Unchanged deadlines do nothing, so calling it too often is harmless.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from knowledge import notices
from knowledge.journey_models import DeadlineVersion, Reminder
from knowledge.models import Call
from knowledge.notices import utc_naive


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(timezone.utc)


def deadline_changed(conn: Connection, call_id: str, *, now: datetime | None = None) -> int:
    """Bring the call's calendar version and reminders in line with its stored deadline.

    Returns how many conversations were told that the deadline moved (0 when it did not).
    """
    moment = utc_naive(_now(now))
    call = conn.execute(
        select(Call.deadline, Call.deadline_latest).where(Call.id == call_id)
    ).first()
    if call is None:
        return 0
    version = conn.execute(
        select(DeadlineVersion).where(DeadlineVersion.call_id == call_id)
    ).first()
    if version is None:
        conn.execute(
            insert(DeadlineVersion).values(
                call_id=call_id,
                sequence=0,
                deadline=call.deadline,
                deadline_latest=call.deadline_latest,
                changed_at=moment,
            )
        )
        return 0
    if version.deadline == call.deadline and version.deadline_latest == call.deadline_latest:
        return 0
    conn.execute(
        update(DeadlineVersion)
        .where(DeadlineVersion.call_id == call_id)
        .values(
            sequence=DeadlineVersion.sequence + 1,
            deadline=call.deadline,
            deadline_latest=call.deadline_latest,
            changed_at=moment,
        )
    )
    return _move_reminders(conn, call_id, version.deadline_latest, call.deadline_latest, moment)


def _move_reminders(
    conn: Connection,
    call_id: str,
    old: datetime | None,
    new: datetime | None,
    moment: datetime,
) -> int:
    rows = conn.execute(
        select(Reminder).where(Reminder.call_id == call_id, Reminder.state == "pending")
    ).all()
    for row in rows:
        if new is None:  # the deadline is no longer known: nothing to remind of
            values = {"state": "cancelled"}
        else:
            values = {
                "deadline_latest": new,
                "fire_at": new - timedelta(minutes=row.lead_minutes),
            }
        conn.execute(update(Reminder).where(Reminder.id == row.id).values(**values))
    senders = sorted({row.sender for row in rows})
    for sender in senders:
        notices.add(
            conn,
            sender,
            "deadline_moved",
            {
                "call_id": call_id,
                "old": old.isoformat() if old else None,
                "new": new.isoformat() if new else None,
            },
            now=moment,
        )
    return len(senders)


def sync(conn: Connection, call_ids: Iterable[str], *, now: datetime | None = None) -> int:
    """``deadline_changed`` for several calls (an import); how many conversations were told."""
    return sum(deadline_changed(conn, call_id, now=now) for call_id in sorted(set(call_ids)))


def version(conn: Connection, call_id: str) -> tuple[int, datetime | None]:
    """(SEQUENCE, last change as naive UTC) of the call's calendar event; (0, None) if unseen."""
    row = conn.execute(
        select(DeadlineVersion.sequence, DeadlineVersion.changed_at).where(
            DeadlineVersion.call_id == call_id
        )
    ).first()
    return (row.sequence, row.changed_at) if row else (0, None)
