"""Watching the running bot: the Rasa server's and the action server's /metrics after real
conversations over the REST channel, and the action server's JSON log."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from ops.stack import Stack, free_port, send
from tests.conftest import FROZEN_NOW
from tests.integration.ops.test_action_server import sample

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def watched_stack(trained_model, seed_database_url, tmp_path_factory) -> Iterator[tuple]:
    metrics_port = free_port()
    stack = Stack(
        model=trained_model,
        log_dir=tmp_path_factory.mktemp("watched"),
        ports={"rasa": free_port(), "actions": free_port(), "web": free_port()},
        env={
            "HUBGUIDE_DATABASE_URL": seed_database_url,
            "HUBGUIDE_NOW": FROZEN_NOW,
            "HUBGUIDE_RASA_METRICS_PORT": str(metrics_port),
        },
    )
    with stack:
        yield stack, f"http://127.0.0.1:{metrics_port}/metrics"


def scrape(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_messages_intents_and_actions_are_counted(watched_stack) -> None:
    stack, rasa_metrics_url = watched_stack
    sender = f"watch-{uuid.uuid4().hex[:8]}"
    question = "Quand est la date limite de l'appel clusters au Maroc ?"
    replies = send(stack.rasa_url, sender, question, {"locale": "fr-FR"})
    assert "14 juin 2023" in "\n".join(r.get("text", "") for r in replies)
    send(stack.rasa_url, sender, "merci beaucoup")

    rasa_side = scrape(rasa_metrics_url)
    assert sample(rasa_side, "hubguide_messages_total", channel="rest", language="fr") >= 2
    assert sample(rasa_side, "hubguide_intents_total", intent="ask_deadline") >= 1
    assert sample(rasa_side, "hubguide_intents_total", intent="thank") >= 1

    actions_side = scrape(f"{stack.actions_url}/metrics")
    deadline = {"action": "action_answer_deadline", "intent": "ask_deadline", "language": "fr"}
    assert sample(actions_side, "hubguide_action_calls_total", **deadline) >= 1
    assert sample(actions_side, "hubguide_action_seconds_count", action=deadline["action"]) >= 1

    log = stack.log_dir / "actions.log"
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert any(line.get("conversation_id") == sender for line in lines)
    assert "Maroc" not in log.read_text()  # no message text unless HUBGUIDE_LOG_TEXT=1
