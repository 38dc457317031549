"""Earlier messages of the conversation: what was asked before this message.

A language switch answers the previous question again, a bare name asks it about the new
name, a "how many?" counts what the message before it asked about.
"""

from __future__ import annotations

from rasa_sdk import Tracker


def _user_events(tracker: Tracker) -> list[dict]:
    return [e for e in tracker.events if e.get("event") == "user"]


def previous_question(
    tracker: Tracker, intents: tuple[str, ...], latest: bool = False
) -> dict | None:
    """The latest user message before this one that asked one of ``intents`` (with ``latest``:
    only the message just before this one counts)."""
    users = _user_events(tracker)
    for event in reversed(users[:-1]):
        parsed = event.get("parse_data") or {}
        if (parsed.get("intent") or {}).get("name") in intents:
            return {**parsed, "text": event.get("text") or parsed.get("text")}
        if latest:
            return None
    return None


def previous_text(tracker: Tracker) -> str:
    """The user's message before the latest one ("" when there is none)."""
    users = _user_events(tracker)
    return (users[-2].get("text") or "") if len(users) >= 2 else ""


def with_message(tracker: Tracker, message: dict) -> Tracker:
    """The conversation as it is, with ``message`` (an earlier one) as the latest message."""
    return Tracker(
        tracker.sender_id,
        tracker.current_slot_values(),
        message,
        tracker.events,
        tracker.is_paused(),
        tracker.followup_action,
        tracker.active_loop,
        tracker.latest_action_name,
    )
