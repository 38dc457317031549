"""Intent classifier: TF-IDF of folded character n-grams and words, and a linear SVM.

Chosen by measurement on the held-out questions (bench/RESULTS.md): it understood more than
Rasa's count vectors with logistic regression, trains in about a second instead of ten and needs
no featurizer in the pipeline. Character n-grams carry the six languages' morphology, typos and
missing accents; words carry the question words. Text is folded first (case, accents, Arabic
letter variants: `knowledge.text`), so "naeringshage" and "Næringshage" are alike; for the
word features Arabic words are stemmed first (`bot.language.stemming`), so "بالحاضنات" and
"الحاضنة" share a word.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline, make_union
from sklearn.svm import LinearSVC

from bot.components.fingerprints import LanguagePackageFingerprint
from bot.language.stemming import word_features_text
from knowledge.text import fold

logger = logging.getLogger(__name__)
MODEL_FILE = "intent_classifier.joblib"
WORD_PATTERN = r"(?u)\b\w+\b"
# "/get_started" and other button payloads: Rasa's RegexMessageHandler (after this component)
# turns payloads of known intents into those intents; any other payload is a web client opening
# the conversation (rasa-webchat's default init payload) and is answered as a greeting.
PAYLOAD = re.compile(r"^/[A-Za-z_][\w-]*(\{.*\})?\s*$", re.S)
GREETING = "greet"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TextIntentClassifier(LanguagePackageFingerprint, IntentClassifier, GraphComponent):
    """Linear SVM over folded text; confidences are a softmax of its margins."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 1.0,
            "char_ngram_range": [1, 5],
            "word_ngram_range": [1, 2],
            # Margins times this, through a softmax, give the confidences the fallback reads.
            "confidence_scale": 4.0,
            "ranking_length": 10,
        }

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline: Pipeline | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TextIntentClassifier:
        return cls(config, model_storage, resource)

    def _new_pipeline(self) -> Pipeline:
        features = make_union(
            TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=tuple(self.config["char_ngram_range"]),
                preprocessor=fold,
                sublinear_tf=True,
            ),
            TfidfVectorizer(
                analyzer="word",
                ngram_range=tuple(self.config["word_ngram_range"]),
                token_pattern=WORD_PATTERN,
                preprocessor=word_features_text,
                sublinear_tf=True,
            ),
        )
        return Pipeline([("features", features), ("svm", LinearSVC(C=self.config["C"]))])

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            logger.debug("Fewer than two intents: the intent classifier is not trained.")
            return self._resource
        self.pipeline = self._new_pipeline()
        self.pipeline.fit([e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples])
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self.pipeline, directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TextIntentClassifier:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                component.pipeline = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.debug("No trained intent classifier in the model: intents stay empty.")
        return component

    def process(self, messages: list[Message]) -> list[Message]:
        if self.pipeline is None:
            return messages
        texts = [message.get(TEXT) or "" for message in messages]
        margins = np.atleast_2d(self.pipeline.decision_function(texts))
        scaled = self.config["confidence_scale"] * margins
        confidences = np.exp(scaled - scaled.max(axis=1, keepdims=True))
        confidences /= confidences.sum(axis=1, keepdims=True)
        known = self._known_words(texts)
        labels = self.pipeline.classes_
        for message, text, row, has_known in zip(messages, texts, confidences, known, strict=True):
            if PAYLOAD.match(text.strip()):
                ranking = [{"name": GREETING, "confidence": 1.0}]
            else:
                # No word of the message was ever seen in training ("xqzt blorp"): whatever
                # the character n-grams suggest is a guess, so the fallback decides.
                scale = 1.0 if has_known else 0.0
                order = np.argsort(-row)[: self.config["ranking_length"]]
                ranking = [
                    {"name": str(labels[i]), "confidence": float(row[i]) * scale} for i in order
                ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def _known_words(self, texts: list[str]) -> list[bool]:
        """Whether each text has a word (or word pair) of the training vocabulary; texts with
        no word at all (digits, emoji) count as known: the character n-grams decide them."""
        words = self.pipeline.named_steps["features"].transformer_list[1][1]
        counts = words.transform(texts).getnnz(axis=1)
        return [
            bool(n) or not re.search(r"[^\W\d_]", text)
            for n, text in zip(counts, texts, strict=True)
        ]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
