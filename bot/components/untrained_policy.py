"""Base of HubGuide's policies that follow fixed logic and learn nothing from stories."""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates


class UntrainedPolicy(Policy):
    """A policy with nothing to train: its decisions are code, tested on their own."""

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource
