"""When the action server or the database is down: a short apology in the user's language within
two seconds, and the conversation goes on once it is back."""

from __future__ import annotations

import time
import uuid

import pytest

from ops.stack import Stack, free_port, send
from tests.conftest import CONTENT, FROZEN_NOW

pytestmark = pytest.mark.e2e

FRENCH_QUESTION = "quelle est la date limite de l'appel à projets clusters au maroc ?"


@pytest.fixture
def own_stack(trained_model, tmp_path):
    """A stack of its own (these tests stop its servers) whose database cannot be opened yet:
    a plain file stands where the database's folder should be."""
    blocker = tmp_path / "later"
    blocker.write_text("not a folder")
    db_file = blocker / "kb.sqlite3"
    stack = Stack(
        model=trained_model,
        log_dir=tmp_path / "logs",
        ports={"rasa": free_port(), "actions": free_port(), "web": free_port()},
        env={"HUBGUIDE_DATABASE_URL": f"sqlite:///{db_file}", "HUBGUIDE_NOW": FROZEN_NOW},
    )
    with stack:
        yield stack, db_file


def timed_send(stack: Stack, sender: str, text: str) -> tuple[str, float]:
    started = time.monotonic()
    replies = send(stack.rasa_url, sender, text)
    return "\n".join(r.get("text", "") for r in replies), time.monotonic() - started


def test_database_down_then_back(own_stack) -> None:
    from knowledge.db import make_engine
    from knowledge.importer import import_paths

    stack, db_file = own_stack
    sender = f"outage-{uuid.uuid4().hex[:8]}"
    text, seconds = timed_send(stack, sender, FRENCH_QUESTION)
    assert "base de connaissances" in text.lower(), text  # the French apology
    assert seconds < 2.0

    db_file.parent.unlink()
    db_file.parent.mkdir()
    import_paths(make_engine(f"sqlite:///{db_file}"), [CONTENT])
    text, _ = timed_send(stack, sender, FRENCH_QUESTION)
    assert "14 juin 2023" in text


def test_action_server_down_then_back(own_stack) -> None:
    stack, _ = own_stack
    sender = f"outage-{uuid.uuid4().hex[:8]}"
    assert timed_send(stack, sender, "bonjour")[0]
    actions = stack.server("action server")
    actions.stop()
    text, seconds = timed_send(stack, sender, FRENCH_QUESTION)
    assert "désolé" in text.lower(), text  # utter_service_unavailable, in French
    assert seconds < 2.0

    actions.start()
    stack.wait_ready(actions)
    text, _ = timed_send(stack, sender, "bonjour")
    assert text
