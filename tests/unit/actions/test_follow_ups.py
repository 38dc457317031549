"""Follow-ups that need the message before: a bare name, "how many in all?", "who sits there?"."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.describe import DescribeSubject
from actions.fact_questions import AnswerCount
from actions.knowledge_access import forget_knowledge_base
from tests.conftest import FROZEN_NOW


def user(text: str, intent: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"text": text, "intent": {"name": intent},
                                                         "entities": []}}  # fmt: skip


def run(action, events: list[dict], slots: dict, lang: str = "en") -> str:
    all_slots = {"language": lang, "subject_id": None, "subject_kind": None, **slots}
    tracker = Tracker("t", all_slots, events[-1]["parse_data"], events, False, None, None,
                      "action_listen")  # fmt: skip
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return "\n".join(m.get("text") or "" for m in dispatcher.messages).replace("\xa0", " ")


@pytest.fixture(autouse=True)
def seed_kb(seed_database_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HUBGUIDE_DATABASE_URL", seed_database_url)
    monkeypatch.setenv("HUBGUIDE_NOW", FROZEN_NOW)
    forget_knowledge_base()
    yield
    forget_knowledge_base()


def test_a_bare_name_asks_the_previous_question_as_it_was_asked() -> None:
    """ "How much did Fabrikken get?" … "and Voss?": an amount, not a count of services."""
    events = [user("How much did Fabrikken Næringshage receive?", "ask_count"),
              user("and Voss?", "inform")]  # fmt: skip
    slots = {"last_question": "ask_count", "subject_id": "organisation:no-fabrikken-naeringshage"}
    text = run(DescribeSubject(), events, slots)
    assert "Voss" in text and "6,000,000" in text


def test_how_many_in_all_counts_what_the_message_before_asked_about() -> None:
    events = [user("Which thematic clusters does Innov'Eurometropolis have?", "ask_members"),
              user("how many in all?", "ask_count")]  # fmt: skip
    slots = {"subject_id": "organisation:innov-eurometropolis"}
    assert "4 thematic clusters" in run(AnswerCount(), events, slots)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "how many people sit on it?"), ("nb", "og hvor mange sitter der?"),
     ("nl", "hoeveel mensen zetelen erin?"), ("fr", "combien de personnes y siègent ?")],
)  # fmt: skip
def test_how_many_sit_on_an_assembly_are_its_representatives(lang: str, text: str) -> None:
    slots = {"subject_id": "organisation:eurometropool-forum"}
    assert "80" in run(AnswerCount(), [user(text, "ask_count")], slots, lang)
