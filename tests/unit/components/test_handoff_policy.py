"""While a person has the case the bot forwards and listens; notices and other states pass."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

from bot.components.handoff_policy import FORWARD, HandoffPolicy
from tests.unit.components.test_policies import DOMAIN, make, predicted, tracker, user


def external(intent: str = "EXTERNAL_notice") -> UserUttered:
    return UserUttered(f"EXTERNAL: {intent}", {"name": intent, "confidence": 1.0}, [])


def test_a_user_message_goes_to_the_person(tmp_path: Path) -> None:
    policy = make(HandoffPolicy, tmp_path)
    state = tracker(SlotSet("handoff", "human"), user("bonjour ?", "fr", True, "greet"))
    assert predicted(policy.predict_action_probabilities(state, DOMAIN)) == FORWARD
    state.update(ActionExecuted(FORWARD))
    assert predicted(policy.predict_action_probabilities(state, DOMAIN)) == ACTION_LISTEN_NAME


def test_notices_and_other_states_are_left_to_the_rules(tmp_path: Path) -> None:
    policy = make(HandoffPolicy, tmp_path)
    for state in (
        tracker(SlotSet("handoff", "human"), external()),
        tracker(SlotSet("handoff", "waiting"), user("bonjour ?", "fr", True, "greet")),
        tracker(user("bonjour ?", "fr", True, "greet")),
    ):
        assert predicted(policy.predict_action_probabilities(state, DOMAIN)) is None
