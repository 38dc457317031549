"""Apologises when the action server could not answer.

When the action server is unreachable, Rasa logs the custom action as executed but keeps none of
its events, so the user would get no reply at all. Every HubGuide action speaks at least once, so
"a custom action ran and said nothing" means it failed: this policy then predicts the apology
(worded in the conversation's language by the domain's responses) and goes back to listening.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.untrained_policy import UntrainedPolicy

APOLOGY = "utter_service_unavailable"


def _custom_action_failed(tracker: DialogueStateTracker, domain: Domain) -> bool:
    """True when the latest action is one of ours and produced no message."""
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            return False
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted):
            return event.action_name in domain.user_actions
    return False


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class ActionFailurePolicy(UntrainedPolicy):
    """Predicts the apology after a silent custom action, then listens."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 7}

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if tracker.latest_action_name == APOLOGY:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        elif _custom_action_failed(tracker, domain):
            probabilities[domain.index_for_action(APOLOGY)] = 1.0
        return self._prediction(probabilities)
