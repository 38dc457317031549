"""Apologises when the action server could not answer.

When the action server is unreachable, Rasa logs the custom action as executed but keeps none of
its events, so the user would get no reply at all. Every HubGuide action leaves at least one
event (it speaks, or sets a slot when it has nothing to say, as a language switch with nothing
to repeat does), so "a custom action ran and left nothing" means it failed: this policy then
predicts the apology (worded in the conversation's language by the domain's responses) and goes
back to listening.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.untrained_policy import UntrainedPolicy

APOLOGY = "utter_service_unavailable"


def _custom_action_failed(tracker: DialogueStateTracker, domain: Domain) -> bool:
    """True when the latest event is the execution of one of ours: it left no event at all."""
    latest = tracker.events[-1] if tracker.events else None
    return isinstance(latest, ActionExecuted) and latest.action_name in domain.user_actions


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
