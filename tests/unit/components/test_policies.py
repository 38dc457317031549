"""The conversation-language policy and the action-failure policy on real Rasa trackers."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.action_failure_policy import ActionFailurePolicy
from bot.components.conversation_language_policy import ConversationLanguagePolicy

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[3] / "bot" / "domain"))


def make(policy_class, tmp_path: Path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    return policy_class.create(policy_class.get_default_config(), storage, Resource("p"), context)


def user(text: str, code: str, reliable: bool, intent: str = "greet", entities=(), metadata=None):
    parse = {
        "intent": {"name": intent, "confidence": 1.0},
        "entities": list(entities),
        "language": {"code": code, "confidence": 0.99, "reliable": reliable},
    }
    return UserUttered(text, parse["intent"], list(entities), parse, metadata=metadata)


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "t", [ActionExecuted(ACTION_LISTEN_NAME), *events], DOMAIN.slots
    )


def language_events(prediction) -> list:
    return [e for e in prediction.events if isinstance(e, SlotSet) and e.key == "language"]


def predicted(prediction) -> str | None:
    if max(prediction.probabilities) == 0:
        return None
    return DOMAIN.action_names_or_texts[
        prediction.probabilities.index(max(prediction.probabilities))
    ]


def test_first_message_sets_the_language(tmp_path: Path) -> None:
    policy = make(ConversationLanguagePolicy, tmp_path)
    prediction = policy.predict_action_probabilities(
        tracker(user("hvem kan søke?", "nb", True)), DOMAIN
    )
    assert [e.value for e in language_events(prediction)] == ["nb"]
    assert predicted(prediction) is None  # the rules choose the answer


def test_one_word_in_another_language_does_not_flip(tmp_path: Path) -> None:
    policy = make(ConversationLanguagePolicy, tmp_path)
    conversation = tracker(SlotSet("language", "fr"), user("takk", "nb", False, intent="thank"))
    assert language_events(policy.predict_action_probabilities(conversation, DOMAIN)) == []


def test_locale_hint_decides_an_ambiguous_first_turn(tmp_path: Path) -> None:
    policy = make(ConversationLanguagePolicy, tmp_path)
    conversation = tracker(user("ok", "nb", False, intent="affirm", metadata={"locale": "sv-SE"}))
    prediction = policy.predict_action_probabilities(conversation, DOMAIN)
    assert [e.value for e in language_events(prediction)] == ["sv"]


def test_explicit_request_switches_at_once(tmp_path: Path) -> None:
    policy = make(ConversationLanguagePolicy, tmp_path)
    entity = {"entity": "language", "value": "en", "start": 0, "end": 10}
    message = user("in English please", "en", False, intent="change_language", entities=[entity])
    prediction = policy.predict_action_probabilities(
        tracker(SlotSet("language", "ar"), message), DOMAIN
    )
    assert [e.value for e in language_events(prediction)] == ["en"]


@pytest.mark.parametrize(("current", "expected"), [("fr", ["en"]), (None, ["en"])])
def test_request_naming_two_languages_leaves_the_current_one(
    tmp_path: Path, current: str | None, expected: list[str]
) -> None:
    policy = make(ConversationLanguagePolicy, tmp_path)
    text = "je ne lis pas bien le français, tu peux passer à l'anglais ?"
    entities = [
        {"entity": "language", "value": "fr", "start": 28, "end": 36},
        {"entity": "language", "value": "en", "start": 54, "end": 61},
    ]
    message = user(text, "fr", True, intent="change_language", entities=entities)
    events = [SlotSet("language", current)] if current else []
    prediction = policy.predict_action_probabilities(tracker(*events, message), DOMAIN)
    assert [e.value for e in language_events(prediction)] == expected


def test_unsupported_language_gets_the_list_of_languages_in_english(tmp_path: Path) -> None:
    policy = make(ConversationLanguagePolicy, tmp_path)
    message = user("Wie viel Geld gibt es für Cluster in Marokko?", "de", True)
    prediction = policy.predict_action_probabilities(tracker(message), DOMAIN)
    assert [e.value for e in language_events(prediction)] == ["en"]
    assert predicted(prediction) == "utter_languages"


@pytest.mark.parametrize(
    "left", [None, BotUttered("The deadline is …"), SlotSet("last_question", None)]
)
def test_a_custom_action_that_left_no_event_gets_the_apology(tmp_path: Path, left) -> None:
    """Rasa keeps none of the events of an action the action server did not run."""
    policy = make(ActionFailurePolicy, tmp_path)
    events = [user("deadline?", "en", False, intent="ask_deadline"),
              BotUttered("Sure, I'll continue in English."),
              ActionExecuted("action_answer_deadline")]  # fmt: skip
    if left is not None:
        events.append(left)
    prediction = policy.predict_action_probabilities(tracker(*events), DOMAIN)
    assert predicted(prediction) == (None if left else "utter_service_unavailable")
