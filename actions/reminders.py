"""The user's reminders: "what reminders do I have?" and "cancel my reminder"."""

from __future__ import annotations

import logging
from datetime import timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import PENDING_SLOT, conversation_language, in_thread
from actions.calendar import local_moment
from actions.clock import now
from actions.journey_words import lead, say
from actions.knowledge_access import STORAGE_ERRORS, knowledge_base
from actions.wording import Wording
from knowledge import reminders

logger = logging.getLogger(__name__)
#: a call named this well in "cancel the reminder for the clusters call" limits the cancel to it
NAMED_CALL_SCORE = 65


class ListReminders(Action):
    def name(self) -> str:
        return "action_list_reminders"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self._run, dispatcher, tracker)

    def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        lang = conversation_language(tracker)
        words = Wording(lang, now())
        try:
            kb = knowledge_base()
            pending = reminders.pending(kb.engine, tracker.sender_id)
            lines = []
            for reminder in pending:
                call = kb.call(reminder.call_id, lang)
                if call is None:
                    continue
                lines.append(
                    say(
                        lang,
                        "reminder_line",
                        call=words.text(call.title),
                        lead=lead(reminder.lead_minutes, lang),
                        date=words.when(call.deadline),
                        fire_date=local_moment(
                            reminder.fire_at.replace(tzinfo=timezone.utc), call, lang
                        ),
                    )
                )
        except STORAGE_ERRORS:
            logger.exception("reminders unavailable")
            dispatcher.utter_message(text=words.say("kb_unavailable"))
            return []
        if not lines:
            dispatcher.utter_message(text=say(lang, "reminders_none"))
        else:
            text = "\n".join([say(lang, "reminders_intro"), *words.bullets(lines)])
            dispatcher.utter_message(text=text)
        return [SlotSet(PENDING_SLOT, None)]


class CancelReminder(Action):
    """Cancels the conversation's reminders: those of the call the message names, else all."""

    def name(self) -> str:
        return "action_cancel_reminder"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self._run, dispatcher, tracker)

    def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        lang = conversation_language(tracker)
        text = tracker.latest_message.get("text") or ""
        try:
            kb = knowledge_base()
            named = [
                match
                for match in kb.mentions(text, kinds=("call",), limit=1)
                if match.score >= NAMED_CALL_SCORE
            ]
            sender = tracker.sender_id
            call_id = named[0].id if named else None
            if call_id is not None and not any(
                r.call_id == call_id for r in reminders.pending(kb.engine, sender)
            ):
                call_id = None  # no reminder for the call named: the request means them all
            cancelled = reminders.cancel(kb.engine, sender, call_id=call_id)
        except STORAGE_ERRORS:
            logger.exception("reminders unavailable")
            dispatcher.utter_message(text=Wording(lang, now()).say("kb_unavailable"))
            return []
        if cancelled:
            dispatcher.utter_message(text=say(lang, "reminders_cancelled", cancelled))
        else:
            dispatcher.utter_message(text=say(lang, "reminders_none_to_cancel"))
        return [SlotSet(PENDING_SLOT, None)]
