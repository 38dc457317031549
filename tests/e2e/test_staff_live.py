"""The staff workspace against the real servers: a deadline saved through the workspace's API
is in the bot's next answer (REST channel) without retraining; the import that `make run` does
at every start keeps it; the "try it" pane shows the answer and what the bot chose.

One stack for the module, on a knowledge base of its own (the edits must not reach the shared
seed database of the other tests).
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from ops.stack import Stack, send
from tests.staff_stack import PASSWORD, staff_stack

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CALL = "ma-clusters-2023"
QUESTION = "When is the deadline for the Moroccan clusters call?"


@pytest.fixture(scope="module")
def live(trained_model, tmp_path_factory):
    with staff_stack(trained_model, tmp_path_factory.mktemp("staff-live")) as running:
        session = requests.Session()
        login = session.post(
            f"{running.web_url}/staff/api/login",
            json={"name": "ada", "password": PASSWORD},
            timeout=10,
        )
        login.raise_for_status()
        session.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        yield running.stack, session, running.database_url, running.web_url


def _answer(stack: Stack) -> str:
    replies = send(stack.rasa_url, f"staff-live-{uuid.uuid4().hex[:8]}", QUESTION)
    return " ".join(r.get("text") or "" for r in replies).replace("\u202f", " ")


def _save_deadline(web_url: str, session: requests.Session, when: str) -> None:
    api = f"{web_url}/staff/api/records/calls/{CALL}"
    record = session.get(api, timeout=10).json()["record"]
    record["deadline"] = {"at": when, "timezone": "Africa/Casablanca"}
    response = session.put(api, json={"record": record}, timeout=30)
    assert response.status_code == 200, response.text


def test_a_saved_deadline_is_in_the_bot_s_next_answer_within_a_second(live):
    stack, session, _, web_url = live
    before = _answer(stack)
    assert "June 14, 2023" in before, before
    _save_deadline(web_url, session, "2023-06-28T15:00")
    saved = time.monotonic()
    answer = _answer(stack)
    elapsed = time.monotonic() - saved
    print(f"save → answer with the new date: {elapsed * 1000:.0f} ms")
    assert "June 28, 2023" in answer, answer
    assert elapsed < 1.0, f"the answer with the new date took {elapsed:.2f} s"


def test_a_restart_with_the_start_up_import_keeps_the_workspace_edit(live):
    """What `make run` does at a restart: stop, `hubguide kb import`, start again (the action
    server: the one that reads the knowledge base; restarting Rasa too costs 30 s and tests
    nothing more here)."""
    stack, session, url, web_url = live
    _save_deadline(web_url, session, "2023-06-29T15:00")
    actions = stack.server("action server")
    actions.stop()
    result = subprocess.run(
        [sys.executable, "-m", "ops.cli", "kb", "--database-url", url, "import"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"kept 1 record(s) saved in the staff workspace: calls[{CALL}]" in result.stdout
    actions.start()
    stack.wait_ready(actions)
    assert "June 29, 2023" in _answer(stack)
    record = session.get(f"{web_url}/staff/api/records/calls/{CALL}", timeout=10).json()
    assert record["record"]["deadline"]["at"] == "2023-06-29T15:00"


def test_the_try_it_pane_shows_the_answer_subject_and_fact(live):
    _, session, _, web_url = live
    response = session.post(
        f"{web_url}/staff/api/try",
        json={"message": "Quelle est la date limite de l'appel clusters au Maroc ?"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["subject_id"] == f"call:{CALL}" and result["intent"] == "ask_deadline"
    assert result["language"] == "fr"
    assert any("2023" in answer for answer in result["answers"]), result


NEW_REGION_NAME = "Sildeland"  # a name of no place; saved as another name of Rogaland


def _replies(stack: Stack, question: str) -> str:
    """The answer's texts with its buttons' titles (a list of hubs comes as buttons)."""
    replies = send(stack.rasa_url, f"staff-live-{uuid.uuid4().hex[:8]}", question)
    parts = []
    for reply in replies:
        parts.append(reply.get("text") or "")
        parts += [b.get("title") or "" for b in reply.get("buttons") or []]
    return " ".join(parts)


def test_a_place_name_added_in_the_workspace_is_found_in_the_bot_s_next_answer(live):
    """A new alternative name of a region finds the hubs of its municipalities at once."""
    stack, session, _, web_url = live
    question = "Which business gardens are there in {}?"
    expected = _replies(stack, question.format("Rogaland"))
    assert "I found 5 hubs for Rogaland" in expected, expected
    before = _replies(stack, question.format(NEW_REGION_NAME))
    assert "hubs for" not in before, before
    api = f"{web_url}/staff/api/records/places/rogaland"
    place = session.get(api, timeout=10).json()["record"]
    place["names"]["en"] = [*place["names"]["en"], NEW_REGION_NAME]
    response = session.put(api, json={"record": place}, timeout=30)
    assert response.status_code == 200, response.text
    assert _replies(stack, question.format(NEW_REGION_NAME)) == expected
