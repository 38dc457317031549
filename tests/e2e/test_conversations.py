"""Multi-turn conversations through the REST channel, one YAML file per language.

Each file in tests/e2e/conversations/ lists conversations: the user's messages and, per turn,
what the bot's replies must contain (rendered from the seed knowledge base at the frozen clock of
tests/conftest.py) and which language the conversation must then be in.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml

from bot.language.codes import SUPPORTED
from ops.stack import language_slot, send

pytestmark = pytest.mark.e2e

CONVERSATIONS = Path(__file__).with_name("conversations")


def _cases() -> list:
    cases = []
    for path in sorted(CONVERSATIONS.glob("*.yml")):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(conversation, id=f"{path.stem}: {conversation['name']}"))
    return cases


def plain(text: str) -> str:
    """Babel's narrow and non-breaking spaces as plain spaces, for readable expectations."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_every_language_has_conversations() -> None:
    assert sorted(path.stem for path in CONVERSATIONS.glob("*.yml")) == sorted(SUPPORTED)


@pytest.mark.parametrize("conversation", _cases())
def test_conversation(rasa_stack, conversation: dict) -> None:
    sender = f"e2e-{uuid.uuid4().hex[:10]}"
    for number, turn in enumerate(conversation["turns"], start=1):
        metadata = turn.get("metadata")
        replies = send(rasa_stack.rasa_url, sender, turn["user"], metadata)
        text = plain("\n".join(reply.get("text", "") for reply in replies))
        buttons = [button for reply in replies for button in reply.get("buttons", [])]
        where = f"turn {number} ({turn['user']!r}) replied:\n{text}"
        expect = turn.get("expect", {})
        assert replies, f"turn {number} ({turn['user']!r}): no reply"
        for fragment in expect.get("contains", []):
            assert plain(fragment) in text, f"missing {fragment!r}; {where}"
        for fragment in expect.get("not_contains", []):
            assert plain(fragment) not in text, f"unexpected {fragment!r}; {where}"
        if "buttons" in expect:
            assert len(buttons) >= expect["buttons"], f"expected buttons; {where}"
        if "language" in expect:
            language = language_slot(rasa_stack.rasa_url, sender, rasa_stack.token)
            assert language == expect["language"], where
