"""The "try it" pane: a question goes to the real Rasa server over its REST channel, and the
conversation's tracker (Rasa's HTTP API, with the API token) tells what the bot chose: intent,
subject (the ``subject_id``/``subject_kind`` slots) and the action that answered."""

from __future__ import annotations

import os
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

import aiohttp

from ops.stack import TOKEN_VARIABLE

TIMEOUT = aiohttp.ClientTimeout(total=30)
#: conversations of the pane are kept apart from entrepreneurs' by this sender prefix
SENDER_PREFIX = "staff-try-"


class BotUnavailable(RuntimeError):
    pass


@dataclass
class TryResult:
    question: str
    answers: list[str]
    language: str | None = None
    intent: str | None = None
    confidence: float | None = None
    subject_id: str | None = None
    subject_kind: str | None = None
    actions: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _read_tracker(tracker: dict[str, Any]) -> dict[str, Any]:
    """What the bot chose after the last user message."""
    events = tracker.get("events") or []
    last_user = max((n for n, e in enumerate(events) if e.get("event") == "user"), default=-1)
    actions = [
        e.get("name")
        for e in events[last_user + 1 :]
        if e.get("event") == "action" and e.get("name") not in ("action_listen", None)
    ]
    parse = events[last_user].get("parse_data", {}) if last_user >= 0 else {}
    slots = tracker.get("slots") or {}
    intent = parse.get("intent") or {}
    return {
        "language": slots.get("language"),
        "intent": intent.get("name"),
        "confidence": intent.get("confidence"),
        "subject_id": slots.get("subject_id"),
        "subject_kind": slots.get("subject_kind"),
        "actions": actions,
    }


async def ask(rasa_url: str, question: str, sender: str | None = None) -> TryResult:
    """Ask the bot once, in a conversation of its own unless ``sender`` continues one."""
    sender = sender or SENDER_PREFIX + secrets.token_hex(8)
    token = os.environ.get(TOKEN_VARIABLE, "")
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as client:
            async with client.post(
                f"{rasa_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": question},
            ) as response:
                if response.status != 200:
                    raise BotUnavailable(f"HTTP {response.status}")
                replies = await response.json()
            chosen: dict[str, Any] = {}
            async with client.get(
                f"{rasa_url}/conversations/{sender}/tracker", params={"token": token}
            ) as response:
                if response.status == 200:
                    chosen = _read_tracker(await response.json())
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise BotUnavailable(str(exc)) from exc
    answers = [r["text"] for r in replies if isinstance(r, dict) and r.get("text")]
    return TryResult(question=question, answers=answers, **chosen)
