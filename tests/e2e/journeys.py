"""Helpers of the journey tests (deadlines, hand-off): a stack with its own knowledge base and
the scheduler, waiting for what the bot says unasked, the catalogue's fixed wording."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from actions.journey_words import say
from knowledge.db import make_engine
from knowledge.importer import import_paths
from ops.stack import FROZEN_NOW, Stack, free_port, tracker

CONTENT = Path(__file__).resolve().parents[2] / "knowledge" / "content"
STAFF_TOKEN = "staff-token-for-tests"


def own_database(directory: Path) -> tuple[str, Path]:
    """A SQLite knowledge base of the seed content that only this module changes, and the copy
    of the content it was imported from (tests edit it to move a deadline)."""
    content = directory / "content"
    shutil.copytree(CONTENT, content)
    url = f"sqlite:///{directory / 'kb.sqlite3'}"
    engine = make_engine(url)
    import_paths(engine, [content])
    engine.dispose()
    return url, content


def journey_stack(model: Path, log_dir: Path, database_url: str) -> Stack:
    return Stack(
        model=model,
        log_dir=log_dir,
        web=True,
        scheduler=True,
        ports={name: free_port() for name in ("rasa", "actions", "web", "scheduler")},
        env={
            "HUBGUIDE_DATABASE_URL": database_url,
            "HUBGUIDE_NOW": FROZEN_NOW,
            "HUBGUIDE_TRACKER_DB": str(log_dir / "conversations.sqlite3"),
            "HUBGUIDE_STAFF_TOKEN": STAFF_TOKEN,
            "HUBGUIDE_SCHEDULER_INTERVAL": "0.5",
        },
    )


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def text_of(replies: list[dict]) -> str:
    return plain("\n".join(reply.get("text") or "" for reply in replies))


def fixed(lang: str, key: str, count: int | None = None) -> str:
    """The catalogue text of ``key`` up to its first placeholder: what every rendering holds."""
    raw = say(lang, key, count, **{name: "\0" for name in PLACEHOLDERS})
    return plain(raw.split("\0")[0]).strip()


PLACEHOLDERS = (
    "call",
    "date",
    "lead",
    "fire_date",
    "status",
    "old",
    "hub",
    "staff",
    "text",
    "issuer",
    "source",
    "left",
)


def bot_texts(stack: Stack, sender: str) -> list[str]:
    events = tracker(stack.rasa_url, sender, stack.token)["events"]
    return [plain(event.get("text") or "") for event in events if event.get("event") == "bot"]


def wait_for_bot(stack: Stack, sender: str, needle: str, timeout: float = 30.0) -> list[str]:
    """The bot's messages once one holds ``needle`` (the scheduler delivers within seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        texts = bot_texts(stack, sender)
        if any(needle in text for text in texts):
            return texts
        if time.monotonic() > deadline:
            raise AssertionError(f"no bot message with {needle!r} in {texts}")
        time.sleep(0.3)
