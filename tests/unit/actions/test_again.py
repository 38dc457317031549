"""A language switch answers the previous message again, in the new language."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.again import AnswerAgain
from actions.knowledge_access import forget_knowledge_base
from tests.conftest import FROZEN_NOW


def user(text: str, intent: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"text": text, "intent": {"name": intent},
                                                         "entities": []}}  # fmt: skip


def run_again(events: list[dict], slots: dict) -> tuple[list[dict], list[dict]]:
    all_slots = {"language": "en", "subject_id": None, "subject_kind": None, **slots}
    latest = events[-1]["parse_data"]
    tracker = Tracker("t", all_slots, latest, events, False, None, None, "utter_language_switched")
    dispatcher = CollectingDispatcher()
    result = asyncio.run(AnswerAgain().run(dispatcher, tracker, {}))
    return dispatcher.messages, result


@pytest.fixture(autouse=True)
def seed_kb(seed_database_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HUBGUIDE_DATABASE_URL", seed_database_url)
    monkeypatch.setenv("HUBGUIDE_NOW", FROZEN_NOW)
    forget_knowledge_base()
    yield
    forget_knowledge_base()


def test_a_switch_as_first_message_says_nothing_more_but_leaves_an_event() -> None:
    """Silence with no event is how the failure policy recognises an unreachable server."""
    messages, events = run_again([user("Can you speak English?", "change_language")], {})
    assert messages == []
    assert events and events[0]["event"] == "slot"


def test_a_question_asked_before_is_answered_again() -> None:
    events = [user("Når er fristen for Marokko-utlysningen?", "ask_deadline"),
              user("in English please", "change_language")]  # fmt: skip
    messages, _ = run_again(events, {"last_question": "ask_deadline"})
    assert "2023" in messages[0]["text"] and "deadline" in messages[0]["text"].lower()


def test_a_message_not_understood_gets_its_reply_again_in_the_new_language() -> None:
    events = [user("لأي غرض ستُصرف الأموال؟", "nlu_fallback"),
              user("Can you answer in English, please?", "change_language")]  # fmt: skip
    messages, _ = run_again(events, {"last_question": None})
    assert messages and (messages[0].get("response") or messages[0].get("text"))
