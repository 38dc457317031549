"""Reading Rasa's SQL tracker store (`events` table of rasa/core/tracker_store.py) outside
Rasa: the web server checks that a vote rates a real answer, the staff analytics read the
conversations. Read-only; the database is the one `endpoints.yml` gives Rasa
(`ops.retention.tracker_store_url`, i.e. HUBGUIDE_TRACKER_DB for SQLite).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import MetaData, Table, inspect, select
from sqlalchemy.engine import Engine

from ops.retention import EVENTS_TABLE, engine_for, tracker_store_url

#: a bot timestamp sent back by a browser matches the stored one within this (seconds)
TIMESTAMP_TOLERANCE = 1e-6

_lock = threading.Lock()
_engines: dict[str, Engine] = {}


def tracker_engine(url: str | None = None) -> Engine:
    """The tracker store's engine (`url`, else the one endpoints.yml configures: read each
    time, so a changed HUBGUIDE_TRACKER_DB is followed), one per database."""
    resolved = url or tracker_store_url()
    key = resolved if isinstance(resolved, str) else resolved.render_as_string(hide_password=False)
    with _lock:
        if key not in _engines:
            _engines[key] = engine_for(resolved)
        return _engines[key]


@dataclass(frozen=True)
class Event:
    sender_id: str
    type_name: str
    timestamp: float
    action_name: str | None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.data.get("text") or ""

    @property
    def metadata(self) -> dict[str, Any]:
        value = self.data.get("metadata")
        return value if isinstance(value, dict) else {}


def _table(engine: Engine) -> Table | None:
    if not inspect(engine).has_table(EVENTS_TABLE):  # Rasa has not saved a conversation yet
        return None
    return Table(EVENTS_TABLE, MetaData(), autoload_with=engine)


def _event(row: Any) -> Event:
    try:
        data = json.loads(row.data or "{}")
    except ValueError:
        data = {}
    return Event(
        row.sender_id,
        row.type_name,
        float(row.timestamp or 0.0),
        row.action_name,
        data if isinstance(data, dict) else {},
    )


def bot_event(engine: Engine, sender_id: str, timestamp: float) -> Event | None:
    """The bot message of conversation `sender_id` sent at `timestamp`, if there is one."""
    events = _table(engine)
    if events is None:
        return None
    query = (
        select(events)
        .where(events.c.sender_id == sender_id)
        .where(events.c.type_name == "bot")
        .where(
            events.c.timestamp.between(
                timestamp - TIMESTAMP_TOLERANCE, timestamp + TIMESTAMP_TOLERANCE
            )
        )
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return _event(row) if row is not None else None


def events(
    engine: Engine, *, sender_id: str | None = None, since: float | None = None
) -> Iterator[Event]:
    """Events in the order Rasa stored them (one conversation's, or all since `since`)."""
    table = _table(engine)
    if table is None:
        return
    query = select(table).order_by(table.c.sender_id, table.c.id)
    if sender_id is not None:
        query = query.where(table.c.sender_id == sender_id)
    if since is not None:
        query = query.where(table.c.timestamp >= since)
    with engine.connect() as conn:
        for row in conn.execute(query):
            yield _event(row)
