"""Runs actions in-process with a collecting dispatcher against the seed knowledge base."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_access import forget_knowledge_base
from tests.conftest import FROZEN_NOW


@dataclass
class Outcome:
    messages: list[dict[str, Any]]
    events: list[dict[str, Any]]

    @property
    def text(self) -> str:
        """All messages' text, with Babel's narrow and non-breaking spaces as plain spaces."""
        text = "\n".join(message.get("text") or "" for message in self.messages)
        return text.replace("\u202f", " ").replace("\u00a0", " ")

    @property
    def buttons(self) -> list[dict[str, str]]:
        return [b for message in self.messages for b in message.get("buttons") or []]

    def slot(self, name: str) -> Any:
        values = [e["value"] for e in self.events if e.get("event") == "slot" and e["name"] == name]
        return values[-1] if values else None


def make_tracker(
    text: str, intent: str, *, lang: str = "en", slots: dict | None = None,
    entities: list[dict] | None = None,
) -> Tracker:  # fmt: skip
    all_slots = {"language": lang, "subject_id": None, "subject_kind": None, "pending_intent": None}
    all_slots.update(slots or {})
    message = {"text": text, "intent": {"name": intent}, "entities": entities or []}
    return Tracker("test", all_slots, message, [], False, None, None, "action_listen")


@pytest.fixture
def run_action(seed_database_url: str, monkeypatch: pytest.MonkeyPatch):
    """Call `run_action(action, text, intent, lang=…, slots=…, entities=…)` → Outcome."""
    monkeypatch.setenv("HUBGUIDE_DATABASE_URL", seed_database_url)
    monkeypatch.setenv("HUBGUIDE_NOW", FROZEN_NOW)
    forget_knowledge_base()

    def run(action, text: str, intent: str, **kwargs: Any) -> Outcome:
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, make_tracker(text, intent, **kwargs), {}))
        return Outcome(dispatcher.messages, events)

    yield run
    forget_knowledge_base()
