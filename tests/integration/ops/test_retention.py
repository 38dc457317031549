"""`hubguide conversations prune`: conversations idle longer than the retention are deleted from
Rasa's SQL tracker store (a real store written by Rasa's SQLTrackerStore), the others kept
whole; on SQLite (the default) and on PostgreSQL when it answers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from ops.cli import main
from ops.scratch_postgres import create_database, unreachable_reason

DAY = 86_400
NOW = time.time()
DOMAIN = Domain.from_dict(
    {
        "intents": ["ask_deadline"],
        "slots": {
            "language": {
                "type": "text",
                "influence_conversation": False,
                "mappings": [{"type": "custom"}],
            }
        },
    }
)


@pytest.fixture(autouse=True)
def knowledge_database(tmp_path: Path, monkeypatch) -> None:
    """The command also prunes votes in the knowledge base: a scratch one, not the repo's."""
    monkeypatch.setenv("HUBGUIDE_DATABASE_URL", f"sqlite:///{tmp_path / 'kb.sqlite3'}")


def conversation(sender: str, *days_ago: float) -> DialogueStateTracker:
    """A conversation with one user message (and the bot's reply) on each of `days_ago`."""
    events = []
    for days in days_ago:
        at = NOW - days * DAY
        events += [
            ActionExecuted("action_listen", timestamp=at),
            UserUttered("and the deadline?", {"name": "ask_deadline"}, timestamp=at + 1),
            SlotSet("language", "fr", timestamp=at + 2),
            BotUttered("Le 14 juin 2023.", timestamp=at + 3),
        ]
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


def fill(store: SQLTrackerStore) -> None:
    async def save_all() -> None:
        for tracker in (
            conversation("old", 40, 39),  # idle for 39 days: goes
            conversation("long-running", 90, 2),  # started long ago, active 2 days ago: stays
            conversation("recent", 0.5),
        ):
            await store.save(tracker)

    asyncio.run(save_all())


def senders(store: SQLTrackerStore) -> set[str]:
    async def all_keys() -> set[str]:
        return set(await store.keys())

    return set(asyncio.run(all_keys()))


def events_of(store: SQLTrackerStore, sender: str) -> int:
    tracker = asyncio.run(store.retrieve_full_tracker(sender))
    return len(tracker.events) if tracker else 0


def check_prune(store: SQLTrackerStore, argv: list[str], capsys) -> None:
    fill(store)
    assert senders(store) == {"old", "long-running", "recent"}
    kept = events_of(store, "long-running")

    assert main([*argv, "--older-than-days", "30", "--dry-run"]) == 0
    assert "would delete 1 conversation(s), 8 event(s)" in capsys.readouterr().out
    assert senders(store) == {"old", "long-running", "recent"}

    assert main([*argv, "--older-than-days", "30"]) == 0
    assert "deleted 1 conversation(s), 8 event(s)" in capsys.readouterr().out
    assert senders(store) == {"long-running", "recent"}
    assert events_of(store, "long-running") == kept  # kept whole, not trimmed
    tracker = asyncio.run(store.retrieve("long-running"))
    assert tracker.get_slot("language") == "fr"

    assert main([*argv, "--older-than-days", "30"]) == 0
    assert "deleted 0 conversation(s)" in capsys.readouterr().out


def test_prune_a_sqlite_tracker_store_named_by_endpoints_yml(tmp_path: Path, monkeypatch, capsys):
    """The project's own endpoints.yml, with its SQLite file given by HUBGUIDE_TRACKER_DB."""
    db = tmp_path / "conversations.sqlite3"
    monkeypatch.setenv("HUBGUIDE_TRACKER_DB", str(db))
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    try:
        check_prune(store, ["conversations", "prune"], capsys)
    finally:
        store.engine.dispose()


def test_the_retention_setting_is_the_default(tmp_path: Path, monkeypatch, capsys) -> None:
    db = tmp_path / "conversations.sqlite3"
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    try:
        fill(store)
        monkeypatch.delenv("HUBGUIDE_RETENTION_DAYS", raising=False)
        assert main(["conversations", "prune", "--url", str(db)]) == 2
        assert "HUBGUIDE_RETENTION_DAYS" in capsys.readouterr().err
        monkeypatch.setenv("HUBGUIDE_RETENTION_DAYS", "1.5")
        assert main(["conversations", "prune", "--url", str(db)]) == 2
        assert "whole number" in capsys.readouterr().err
        monkeypatch.setenv("HUBGUIDE_RETENTION_DAYS", "1")
        assert main(["conversations", "prune", "--url", f"sqlite:///{db}"]) == 0
        assert "deleted 2 conversation(s)" in capsys.readouterr().out
        assert senders(store) == {"recent"}
    finally:
        store.engine.dispose()


def test_an_empty_store_has_nothing_to_prune(tmp_path: Path, capsys) -> None:
    db = tmp_path / "never-used.sqlite3"
    assert main(["conversations", "prune", "--older-than-days", "7", "--url", str(db)]) == 0
    assert "deleted 0 conversation(s), 0 event(s)" in capsys.readouterr().out


def test_an_endpoints_file_without_a_sql_tracker_store_is_refused(tmp_path: Path, capsys):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: redis\n  url: 127.0.0.1\n")
    argv = ["conversations", "prune", "--older-than-days", "7", "--endpoints", str(endpoints)]
    assert main(argv) == 2
    assert "no SQL tracker store" in capsys.readouterr().err


@pytest.fixture
def postgres_database() -> Iterator[str]:
    reason = unreachable_reason()
    if reason:
        pytest.skip(reason)
    name, drop = create_database("hubguide_retention")
    yield name
    drop()


@pytest.mark.postgres
def test_prune_a_postgresql_tracker_store(postgres_database: str, tmp_path: Path, capsys):
    """Configured as a replica set's endpoints file configures it (dialect postgresql)."""
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: 127.0.0.1\n  port: 5432\n"
        f"  db: {postgres_database}\n  username: postgres\n"
    )
    store = SQLTrackerStore(
        DOMAIN,
        dialect="postgresql",
        host="127.0.0.1",
        port=5432,
        db=postgres_database,
        username="postgres",
    )
    try:
        check_prune(store, ["conversations", "prune", "--endpoints", str(endpoints)], capsys)
    finally:
        store.engine.dispose()


def test_an_endpoints_file_naming_an_unset_variable_says_so(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.delenv("HUBGUIDE_NO_SUCH_PASSWORD", raising=False)
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: 127.0.0.1\n"
        "  db: x\n  password: ${HUBGUIDE_NO_SUCH_PASSWORD}\n"
    )
    argv = ["conversations", "prune", "--older-than-days", "7", "--endpoints", str(endpoints)]
    assert main(argv) == 2
    assert "cannot read" in capsys.readouterr().err
