"""Rasa NLU component: the language of each message, in the parse result.

First in the pipeline, so the tokenizer can follow the message's language and the conversation
policy can decide the conversation's language. The detection itself is `bot.language.detector`;
the proper names the knowledge base knows (`bot.language.names`) are left out of the judgement.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.fingerprints import LanguagePackageFingerprint
from bot.language.detector import get_detector
from bot.language.names import known_names

LANGUAGE = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class LanguageDetector(LanguagePackageFingerprint, GraphComponent):
    """Adds `"language": {"code", "confidence", "reliable"}` to every message."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        get_detector()  # build the detector at start-up, not on the first message
        return cls()

    def _detect(self, message: Message, names=None) -> None:
        text = message.get(TEXT)
        if text is None:
            return
        message.set(LANGUAGE, get_detector().detect(text, names).as_dict(), add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training does not read the knowledge base: a model does not depend on its content.
        for example in training_data.training_examples:
            self._detect(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        names = known_names()  # the knowledge base's names: they do not decide the language
        for message in messages:
            self._detect(message, names)
        return messages
