"""Bot messages kept for a web chat visitor who is away, until their session reconnects.

Taking a message is a conditional DELETE: of two Rasa replicas serving the same reconnecting
session, only one sends it.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from knowledge.journey_models import WebchatOutbox


def keep(engine: Engine, sender: str, payload: dict) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(WebchatOutbox).values(
                sender=sender,
                payload=payload,
                created_at=datetime.now(timezone.utc).replace(tzinfo=None),
            )
        )


def take(engine: Engine, sender: str) -> list[dict]:
    """The session's kept messages, oldest first, each removed by the one caller that gets it."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(WebchatOutbox.id, WebchatOutbox.payload)
            .where(WebchatOutbox.sender == sender)
            .order_by(WebchatOutbox.id)
        ).all()
    taken = []
    for row in rows:
        with engine.begin() as conn:
            if conn.execute(delete(WebchatOutbox).where(WebchatOutbox.id == row.id)).rowcount:
                taken.append(dict(row.payload))
    return taken
