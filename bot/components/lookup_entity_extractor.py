"""Entity extractor over the lookup tables: one pattern per entity, longest name first.

Rasa's `RegexEntityExtractor` makes one pattern per lookup table, and each language file has its
own `language` and `call_status` table. So "currently open" gave two entities (the English
table's "currently open" and another table's "open"), and within one table "arabe" hid "arabe
marocain" because a regex alternation takes the first alternative that matches. Merging the
tables of an entity and trying longer names first yields one entity per mention, spanning the
whole name, which is what the training data annotates (`bench/RESULTS.md`: entity scores).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.regex_entity_extractor import RegexEntityExtractor
from rasa.shared.nlu.training_data.training_data import TrainingData


def lookup_patterns(training_data: TrainingData, word_boundaries: bool) -> list[dict[str, str]]:
    """One regex per entity that has lookup tables, its names tried longest first."""
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for table in training_data.lookup_tables:
        if table["name"] not in training_data.entities or not isinstance(table["elements"], list):
            continue
        for element in table["elements"]:
            names[table["name"]].setdefault(element.casefold(), element)
    edge = r"\b" if word_boundaries else ""
    patterns = []
    for entity, elements in sorted(names.items()):
        ordered = sorted(elements.values(), key=lambda name: (-len(name), name))
        alternatives = "|".join(re.escape(name) for name in ordered)
        patterns.append({"name": entity, "pattern": f"{edge}(?:{alternatives}){edge}"})
    return patterns


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class LookupEntityExtractor(RegexEntityExtractor):
    """`RegexEntityExtractor` whose lookup tables are merged per entity, longest name first."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"case_sensitive": False, "use_word_boundaries": True}

    def train(self, training_data: TrainingData) -> Resource:
        self.patterns = lookup_patterns(training_data, self._config["use_word_boundaries"])
        self.persist()
        return self._resource
