"""The SQLite tracker store: write-ahead log, normal syncing, and conversations kept."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from ops.tracker_store import SQLiteTunedTrackerStore


def test_sqlite_connections_use_the_write_ahead_log(tmp_path: Path) -> None:
    store = SQLiteTunedTrackerStore(dialect="sqlite", db=str(tmp_path / "conversations.sqlite3"))
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL


async def test_a_saved_conversation_is_read_back_by_a_new_store(tmp_path: Path) -> None:
    db = str(tmp_path / "conversations.sqlite3")
    tracker = DialogueStateTracker.from_events(
        "someone", [UserUttered("hei"), SlotSet("language", "nb")]
    )
    await SQLiteTunedTrackerStore(dialect="sqlite", db=db).save(tracker)
    again = await SQLiteTunedTrackerStore(dialect="sqlite", db=db).retrieve("someone")
    assert again is not None
    assert [e for e in again.events if isinstance(e, SlotSet)] == [SlotSet("language", "nb")]
    assert again.latest_message.text == "hei"
