"""The action server over real HTTP: /metrics after action calls, /health with and without a
database, the JSON log line of a call (conversation id, no message text)."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ops.stack import Server, Stack, free_port
from tests.conftest import FROZEN_NOW

SECRET_WORDS = "when was Coompanion Nord founded?"


def start_action_server(tmp_path: Path, database_url: str, **env: str) -> Server:
    stack = Stack(
        model=tmp_path / "no-model.tar.gz",
        log_dir=tmp_path / "logs",
        ports={"actions": free_port()},
        env={"HUBGUIDE_DATABASE_URL": database_url, "HUBGUIDE_NOW": FROZEN_NOW, **env},
    )
    server = stack.action_server()
    server.start()
    try:
        stack.wait_ready(server, timeout=90)
    except BaseException:
        server.stop()
        raise
    server.base_url = stack.actions_url  # type: ignore[attr-defined]
    return server


def get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


def call_action(base_url: str, action: str, text: str, intent: str, lang: str) -> dict:
    body = {
        "next_action": action,
        "sender_id": "watch-me-1",
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": "watch-me-1",
            "slots": {"language": lang},
            "latest_message": {"text": text, "intent": {"name": intent}, "entities": []},
            "latest_input_channel": "rest",
            "events": [],
            "paused": False,
            "latest_event_time": time.time(),
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }
    request = urllib.request.Request(
        f"{base_url}/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def sample(metrics_text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition (0 when absent)."""
    for line in metrics_text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        match = re.match(r"^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)$", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(match.group(3))
    return 0.0


@pytest.fixture(scope="module")
def action_server(seed_database_url: str, tmp_path_factory) -> Iterator[Server]:
    server = start_action_server(tmp_path_factory.mktemp("actions"), seed_database_url)
    yield server
    server.stop()


def test_metrics_count_an_action_call_its_latency_and_an_unknown_fact(action_server) -> None:
    base = action_server.base_url
    result = call_action(base, "action_answer_founded", SECRET_WORDS, "ask_founded", "en")
    assert "does not say" in result["responses"][0]["text"]

    status, body, content_type = get(f"{base}/metrics")
    assert status == 200 and content_type.startswith("text/plain")
    text = body.decode()
    labels = {"action": "action_answer_founded"}
    calls = sample(
        text, "hubguide_action_calls_total", intent="ask_founded", language="en", **labels
    )
    assert calls == 1
    assert sample(text, "hubguide_action_seconds_count", **labels) == 1
    assert sample(text, "hubguide_action_seconds_bucket", le="+Inf", **labels) == 1
    assert sample(text, "hubguide_unknown_answers_total", language="en", **labels) == 1


def test_health_answers_ok_with_the_database(action_server) -> None:
    status, body, _ = get(f"{action_server.base_url}/health")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok"}


def test_the_log_line_of_a_call_has_the_conversation_id_and_not_the_text(action_server) -> None:
    call_action(action_server.base_url, "action_answer_founded", SECRET_WORDS, "ask_founded", "en")
    lines = [json.loads(line) for line in action_server.log_path.read_text().splitlines()
             if line.startswith("{")]  # fmt: skip
    calls = [line for line in lines if line.get("action") == "action_answer_founded"]
    assert calls, lines[-5:]
    assert calls[-1]["conversation_id"] == "watch-me-1"
    assert calls[-1]["status"] == 200 and calls[-1]["intent"] == "ask_founded"
    assert "Coompanion" not in action_server.log_path.read_text()


def test_health_answers_503_with_the_reason_when_the_database_is_broken(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database's folder should be")
    server = start_action_server(tmp_path, f"sqlite:///{blocker / 'kb.sqlite3'}")
    try:
        status, body, _ = get(f"{server.base_url}/health")
        assert status == 503
        answer = json.loads(body)
        assert answer["status"] == "unavailable" and answer["reason"], answer
        # It still answers, with the apology, and counts the error.
        result = call_action(
            server.base_url, "action_answer_founded", SECRET_WORDS, "ask_founded", "en"
        )
        assert result["responses"], result
        _, metrics_body, _ = get(f"{server.base_url}/metrics")
        assert sample(metrics_body.decode(), "hubguide_errors_total", component="actions") >= 1
    finally:
        server.stop()


def test_health_answers_503_when_postgresql_does_not_answer(tmp_path: Path) -> None:
    port = free_port()  # nobody listens there
    server = start_action_server(tmp_path, f"postgresql+psycopg2://nobody@127.0.0.1:{port}/kb")
    try:
        status, body, _ = get(f"{server.base_url}/health")
        assert status == 503
        assert "OperationalError" in json.loads(body)["reason"]
    finally:
        server.stop()


def test_message_text_is_logged_only_when_configured(seed_database_url, tmp_path: Path) -> None:
    server = start_action_server(tmp_path, seed_database_url, HUBGUIDE_LOG_TEXT="1")
    try:
        call_action(server.base_url, "action_answer_founded", SECRET_WORDS, "ask_founded", "en")
    finally:
        server.stop()
    lines = [json.loads(line) for line in server.log_path.read_text().splitlines()
             if line.startswith("{")]  # fmt: skip
    assert any(line.get("text") == SECRET_WORDS for line in lines)
