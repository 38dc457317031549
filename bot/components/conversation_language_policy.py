"""Keeps the conversation's language in the `language` slot.

The per-message language comes from the NLU component `LanguageDetector`; whether it changes the
conversation's language is decided by `bot.language.conversation.decide` (sticky, hints, explicit
requests). This policy only applies that decision on the first prediction after each user
message, so that every response and action of the turn already sees the new language. It runs
inside Rasa, so the language is kept even when the action server is down.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.untrained_policy import UntrainedPolicy
from bot.language.conversation import decide
from bot.language.detector import Detection

LANGUAGE_SLOT = "language"
CHANGE_LANGUAGE_INTENT = "change_language"
LANGUAGE_ENTITY = "language"
HINT_METADATA_KEYS = ("locale", "language")
# Lists the languages HubGuide speaks; in English, as the slot is "en" after such a message.
UTTER_UNSUPPORTED = "utter_languages"


def _detection(parse_data: dict[str, Any]) -> Detection:
    found = parse_data.get("language") or {}
    return Detection(
        code=str(found.get("code", "und")),
        confidence=float(found.get("confidence", 0.0)),
        reliable=bool(found.get("reliable", False)),
    )


def _hint(metadata: dict[str, Any] | None) -> str | None:
    for key in HINT_METADATA_KEYS:
        value = (metadata or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _requested(parse_data: dict[str, Any], current: str | None) -> str | None:
    """The language a change request names; of several, the first that is not the current one.

    "I don't read French well, can you use English" names the language being left as well as
    the one wanted, and the one being left is the conversation's own (on a first turn, the
    language the message is written in).
    """
    if (parse_data.get("intent") or {}).get("name") != CHANGE_LANGUAGE_INTENT:
        return None
    named = [
        str(entity["value"])
        for entity in parse_data.get("entities") or []
        if entity.get("entity") == LANGUAGE_ENTITY and entity.get("value")
    ]
    return next((code for code in named if code != current), named[0] if named else None)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class ConversationLanguagePolicy(UntrainedPolicy):
    """Sets the language slot each turn; says so when a language is not supported."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 8}

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        latest_action = tracker.latest_action_name
        if latest_action == UTTER_UNSUPPORTED:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
            return self._prediction(probabilities)
        message = tracker.latest_message
        if latest_action != ACTION_LISTEN_NAME or message is None or not message.text:
            return self._prediction(probabilities)

        parse_data = message.parse_data
        current = tracker.get_slot(LANGUAGE_SLOT)
        detection = _detection(parse_data)
        requested = _requested(parse_data, current or detection.code)
        decision = decide(
            current,
            detection,
            hint=_hint(message.metadata),
            requested=requested,
        )
        events = [SlotSet(LANGUAGE_SLOT, decision.code)] if decision.code != current else []
        if decision.unsupported:
            probabilities[domain.index_for_action(UTTER_UNSUPPORTED)] = 1.0
        return self._prediction(probabilities, events=events)
