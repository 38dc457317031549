"""The lookup extractor: one entity per mention, the longest name, across languages' tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.lookup_entity_extractor import LookupEntityExtractor

# Two languages' tables for the same entities, as bot/data/nlu/<lang>/*.yml give them.
TABLES = [
    {"name": "language", "elements": ["English", "Arabic"]},
    {"name": "language", "elements": ["anglais", "arabe", "arabe marocain"]},
    {"name": "call_status", "elements": ["open", "currently open", "closed"]},
    {"name": "call_status", "elements": ["open", "nog open", "gesloten"]},
]


def annotated(text: str, entity: str, value: str) -> Message:
    start = text.index(value)
    span = {"entity": entity, "start": start, "end": start + len(value), "value": value}
    return Message(data={"text": text, "intent": "x", "entities": [span]})


@pytest.fixture
def extractor(tmp_path: Path) -> LookupEntityExtractor:
    data = TrainingData(
        training_examples=[
            annotated("in English please", "language", "English"),
            annotated("which calls are open", "call_status", "open"),
        ],
        lookup_tables=TABLES,
    )
    component = LookupEntityExtractor.create(
        LookupEntityExtractor.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("lookup"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    component.train(data)
    return component


def spans(extractor: LookupEntityExtractor, text: str) -> list[tuple[str, str]]:
    (message,) = extractor.process([Message(data={"text": text})])
    return [(e["entity"], e["value"]) for e in message.get("entities")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tu peux parler arabe marocain ?", [("language", "arabe marocain")]),
        ("en arabe svp", [("language", "arabe")]),
        ("what calls are currently open", [("call_status", "currently open")]),
        ("welke oproepen staan nog open", [("call_status", "nog open")]),
        ("in ENGLISH please", [("language", "ENGLISH")]),
        ("an opener for the closed calls", [("call_status", "closed")]),
        ("nothing to see here", []),
    ],
)
def test_one_entity_per_mention_the_longest_name(extractor, text, expected) -> None:
    assert spans(extractor, text) == expected


def test_patterns_survive_persist_and_load(extractor, tmp_path: Path) -> None:
    loaded = LookupEntityExtractor.load(
        LookupEntityExtractor.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("lookup"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    assert spans(loaded, "can we continue in Arabic") == [("language", "Arabic")]
    assert len(loaded.patterns) == 2
