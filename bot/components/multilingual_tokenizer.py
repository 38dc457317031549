"""Tokenizes each message with spaCy's rule-based tokenizer for the message's own language.

One model serves six languages, so the tokenizer follows the language that `LanguageDetector`
found for the message: French elisions (`l'appel` → `l'`, `appel`) and punctuation glued to Arabic
words are split the way each language needs. spaCy's blank pipelines ship with spaCy (no
download). Each token's lemma is the folded form (case, accents, Arabic diacritics), which the
count-vector featurizers use, so "naeringshage" and "Næringshage" are the same feature.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message
from spacy.tokenizer import Tokenizer as SpacyTokenizer

from bot.components.fingerprints import LanguagePackageFingerprint
from bot.language.codes import SUPPORTED
from bot.language.folding import fold

# spaCy's code for Norwegian Bokmål is "nb"; anything else falls back to the multi-language rules.
_FALLBACK = "xx"


@cache
def _spacy_tokenizer(code: str) -> SpacyTokenizer:
    return spacy.blank(code if code in SUPPORTED else _FALLBACK).tokenizer


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MultilingualTokenizer(LanguagePackageFingerprint, Tokenizer):
    """spaCy tokenization per detected language, with folded lemmas."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MultilingualTokenizer:
        for code in (*SUPPORTED, _FALLBACK):
            _spacy_tokenizer(code)  # load all tokenizers once, at start-up
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        code = (message.get("language") or {}).get("code", _FALLBACK)
        tokens = []
        for word in _spacy_tokenizer(code)(text):
            if word.is_space or (word.is_punct and len(word.text) == 1):
                continue
            tokens.append(Token(word.text, word.idx, lemma=fold(word.text)))
        return self._apply_token_pattern(tokens)
