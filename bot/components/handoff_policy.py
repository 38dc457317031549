"""Keeps the bot silent while a person at the hub has the conversation.

While the ``handoff`` slot says ``human``, every user message is handed to
``action_forward_to_person`` (which keeps it in the case for the staff member) and then the bot
listens: no rule or fallback answers. Notices from outside (``EXTERNAL_…`` intents: the staff
reply, the case closing) still run their rule, so the person's words reach the user and the
conversation can return to the bot.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.untrained_policy import UntrainedPolicy

SLOT = "handoff"
WITH_PERSON = "human"
FORWARD = "action_forward_to_person"
EXTERNAL_PREFIX = "EXTERNAL_"


def _from_user(tracker: DialogueStateTracker) -> bool:
    """The latest message is the user's own (not a notice triggered from outside)."""
    message = tracker.latest_message
    intent = (message.intent or {}).get("name") or "" if message is not None else ""
    return message is not None and not intent.startswith(EXTERNAL_PREFIX)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class HandoffPolicy(UntrainedPolicy):
    """Forwards the user's messages to the person who has the case, and says nothing."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 9}

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if tracker.get_slot(SLOT) != WITH_PERSON or not _from_user(tracker):
            return self._prediction(probabilities)
        latest = tracker.latest_action_name
        if latest == ACTION_LISTEN_NAME:
            probabilities[domain.index_for_action(FORWARD)] = 1.0
        elif latest == FORWARD:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities)
