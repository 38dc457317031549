"""The intent classifier: trains on folded text, ranks intents, survives persist and load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.intent_classifier import TextIntentClassifier

EXAMPLES = {
    "ask_deadline": ["when is the deadline", "is it too late to apply", "fristen for søknaden"],
    "greet": ["hello there", "good morning", "hei hei"],
    "ask_contact": ["who do I contact", "phone number please", "hvem kan jeg ringe"],
}
CONTEXT = ExecutionContext(GraphSchema({}), "test")


@pytest.fixture
def trained(tmp_path: Path) -> TextIntentClassifier:
    data = TrainingData(
        training_examples=[
            Message(data={"text": text, "intent": intent})
            for intent, texts in EXAMPLES.items()
            for text in texts
        ]
    )
    config = TextIntentClassifier.get_default_config()
    classifier = TextIntentClassifier.create(
        config, LocalModelStorage(tmp_path), Resource("intents"), CONTEXT
    )
    classifier.train(data)
    return classifier


def classify(classifier: TextIntentClassifier, text: str) -> Message:
    (message,) = classifier.process([Message(data={"text": text})])
    return message


def test_ranks_the_matching_intent_first(trained) -> None:
    assert classify(trained, "WHEN is the DEADLINE?").get("intent")["name"] == "ask_deadline"
    assert classify(trained, "hvem kan jeg ringe").get("intent")["name"] == "ask_contact"


def test_confidences_follow_the_svm_margins(trained) -> None:
    text = "Fristen for soknaden"
    ranking = classify(trained, text).get("intent_ranking")
    assert sum(entry["confidence"] for entry in ranking) == pytest.approx(1.0)
    margins = trained.pipeline.decision_function([text])[0]
    by_margin = [str(trained.pipeline.classes_[i]) for i in np.argsort(-margins)]
    assert [entry["name"] for entry in ranking] == by_margin


def test_word_features_share_the_stem_of_arabic_word_forms(trained) -> None:
    words = trained.pipeline.named_steps["features"].transformer_list[1][1]
    assert words.build_analyzer()("بالحاضنات") == words.build_analyzer()("الحاضنة")
    assert words.build_analyzer()("Næringshagen") == ["naeringshagen"]


def test_persisted_model_loads_and_answers_alike(trained, tmp_path: Path) -> None:
    loaded = TextIntentClassifier.load(
        TextIntentClassifier.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("intents"),
        CONTEXT,
    )
    text = "good morning!"
    assert classify(loaded, text).get("intent_ranking") == classify(trained, text).get(
        "intent_ranking"
    )


def test_untrained_classifier_leaves_messages_alone(tmp_path: Path) -> None:
    classifier = TextIntentClassifier.create(
        TextIntentClassifier.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("empty"),
        CONTEXT,
    )
    assert classify(classifier, "hello").get("intent") is None
