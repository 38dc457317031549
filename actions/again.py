"""After "in English please": the last answer again, in the language just switched to.

A person who asks for another language mostly wants what they were just told, in that
language ("Could you give me that answer in English?"). The last question is asked again as
it was asked (its message, the record it was about), now worded in the new language; with no
question before, the switch's confirmation is all there is.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import LAST_QUESTION_SLOT, in_thread
from actions.questions import QUESTIONS


def previous_question(tracker: Tracker, intent: str) -> dict | None:
    """The latest user message before this one that asked ``intent``."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    for event in reversed(users[:-1]):
        parsed = event.get("parse_data") or {}
        if (parsed.get("intent") or {}).get("name") == intent:
            return {**parsed, "text": event.get("text") or parsed.get("text")}
    return None


class AnswerAgain(Action):
    def name(self) -> str:
        return "action_answer_again"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = QUESTIONS.get(tracker.get_slot(LAST_QUESTION_SLOT) or "")
        asked = previous_question(tracker, question.intent) if question else None
        if question is None or asked is None:
            return []
        earlier = Tracker(
            tracker.sender_id,
            tracker.current_slot_values(),
            asked,
            tracker.events,
            tracker.is_paused(),
            tracker.followup_action,
            tracker.active_loop,
            tracker.latest_action_name,
        )
        return await in_thread(question.reply_to, dispatcher, earlier, None)
