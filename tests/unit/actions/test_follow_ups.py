"""Follow-ups that need the messages before: a bare name, "how many in all?", "who sits
there?", and a language switch that answers the previous question again."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.again import AnswerAgain
from actions.describe import DescribeSubject
from actions.fact_questions import AnswerCount
from actions.knowledge_access import forget_knowledge_base
from tests.conftest import FROZEN_NOW


def user(text: str, intent: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"text": text, "intent": {"name": intent},
                                                         "entities": []}}  # fmt: skip


def run_with_events(
    action, events: list[dict], slots: dict, lang: str = "en"
) -> tuple[list[dict], list[dict]]:
    """The action's messages and events, with ``events`` as the conversation so far."""
    all_slots = {"language": lang, "subject_id": None, "subject_kind": None, **slots}
    tracker = Tracker("t", all_slots, events[-1]["parse_data"], events, False, None, None,
                      "action_listen")  # fmt: skip
    dispatcher = CollectingDispatcher()
    returned = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, returned


def run(action, events: list[dict], slots: dict, lang: str = "en") -> str:
    messages, _ = run_with_events(action, events, slots, lang)
    return "\n".join(m.get("text") or "" for m in messages).replace("\xa0", " ")


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


def test_a_switch_as_first_message_says_nothing_more_but_leaves_an_event() -> None:
    """Silence with no event is how the failure policy recognises an unreachable server."""
    messages, events = run_with_events(AnswerAgain(), [user("Can you speak English?",
                                                           "change_language")], {})  # fmt: skip
    assert messages == []
    assert events and events[0]["event"] == "slot"


def test_a_question_asked_before_is_answered_again() -> None:
    events = [user("Når er fristen for Marokko-utlysningen?", "ask_deadline"),
              user("in English please", "change_language")]  # fmt: skip
    text = run(AnswerAgain(), events, {"last_question": "ask_deadline"})
    assert "2023" in text and "deadline" in text.lower()


def test_a_message_not_understood_gets_its_reply_again_in_the_new_language() -> None:
    events = [user("لأي غرض ستُصرف الأموال؟", "nlu_fallback"),
              user("Can you answer in English, please?", "change_language")]  # fmt: skip
    messages, _ = run_with_events(AnswerAgain(), events, {"last_question": None})
    assert messages and (messages[0].get("response") or messages[0].get("text"))


def test_a_place_after_a_question_of_where_asks_it_again() -> None:
    from actions.about import AnswerFallback

    events = [
        user("where is Region Vasterbotten based?", "ask_location"),
        user("and Brussels, anything there?", "nlu_fallback"),
    ]
    slots = {"subject_id": "organisation:se-region-vasterbotten", "subject_kind": "organisation"}
    text = run(AnswerFallback(), events, slots)
    assert "Brussels" in text and "Umeå" in text
