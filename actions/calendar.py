"""Deadlines to keep: "put it in my calendar" (a link to the call's .ics file) and "remind me a
week before" (a reminder stored in the database, fired by ops/scheduler.py)."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import formatting
from actions.base import SUBJECT_SLOT, Reply, Turn
from actions.call_questions import CallQuestion
from actions.clock import now
from actions.delays import parse_delay, without_delay
from actions.journey_words import calendar_url, lead, say
from actions.subject import Subject
from actions.wording import Wording
from knowledge import deadlines, ics, reminders
from knowledge.ics import EventTexts, deadline_local
from knowledge.query import KnowledgeBase
from knowledge.views import CallView

#: the reminder and the calendar alarm when the user names no lead time
DEFAULT_LEAD = timedelta(weeks=1)
#: where RemindMe keeps the lead time read from the message before its words are taken out
DELAY_KEY = "hubguide_delay_minutes"


def exact_deadline(call: CallView) -> datetime | None:
    """The deadline's last instant (aware UTC) when the content gives its day, else None."""
    if deadline_local(call) is None or call.deadline is None:
        return None
    return call.deadline.latest


def local_moment(moment: datetime, call: CallView, lang: str) -> str:
    """ "7 June 2023, 15:00" in the deadline's own time zone."""
    zone = (call.deadline.timezone if call.deadline else None) or call.timezone or "UTC"
    local = moment.astimezone(ZoneInfo(zone))
    day = formatting.long_date(local.date(), lang)
    return f"{day}, {formatting.short_time(local, zone, lang)}"


class AddToCalendar(CallQuestion):
    """The call's deadline as a calendar file: a sentence with the date, and the link as an
    attachment (a download in the web chat, the URL in the REST reply)."""

    intent = "add_to_calendar"
    unknown_key = "what_deadline"

    def name(self) -> str:
        return "action_add_to_calendar"

    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        title = turn.words.text(call.title)
        reply = Reply(subject=Subject("call", call.id)).cite(call.source)
        if exact_deadline(call) is None:
            return reply.add(say(turn.lang, "calendar_no_deadline", call=title))
        return reply.add(
            say(
                turn.lang,
                "calendar_offer",
                call=title,
                date=turn.words.when(call.deadline),
                lead=lead(DEFAULT_LEAD, turn.lang),
            )
        )

    def reply_to(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        subject: Subject | None,
        *,
        follow_up: bool = True,
    ) -> list[dict[str, Any]]:
        events = super().reply_to(dispatcher, tracker, subject, follow_up=follow_up)
        refs = [e["value"] for e in events if e.get("name") == SUBJECT_SLOT and e.get("value")]
        answered = Subject.from_ref(refs[-1]) if refs else None
        if answered is not None and answered.kind == "call":
            self._attach(dispatcher, tracker, answered.id)
        return events

    @staticmethod
    def _attach(dispatcher: CollectingDispatcher, tracker: Tracker, call_id: str) -> None:
        from actions.base import conversation_language
        from actions.knowledge_access import STORAGE_ERRORS, knowledge_base

        lang = conversation_language(tracker)
        try:
            call = knowledge_base().call(call_id, lang)
        except STORAGE_ERRORS:
            return
        if call is None or exact_deadline(call) is None:
            return
        dispatcher.utter_message(
            attachment={
                "type": "file",
                "payload": {
                    "src": calendar_url(call_id, lang),
                    "title": say(lang, "calendar_link"),
                    "mime": "text/calendar",
                },
            }
        )


class RemindMe(CallQuestion):
    """ "Remind me a week before": a reminder that lead time before the call's deadline."""

    intent = "remind_me"
    unknown_key = "what_deadline"

    def name(self) -> str:
        return "action_remind_me"

    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        words, lang = turn.words, turn.lang
        title = words.text(call.title)
        reply = Reply(subject=Subject("call", call.id)).cite(call.source)
        deadline = exact_deadline(call)
        if deadline is None:
            return reply.add(say(lang, "calendar_no_deadline", call=title))
        date = words.when(call.deadline)
        if call.status_at(words.now) == "closed":
            return reply.add(say(lang, "remind_closed", call=title, date=date))
        minutes = turn.tracker.latest_message.get(DELAY_KEY)
        delay = timedelta(minutes=minutes) if minutes else DEFAULT_LEAD
        fire_at = deadline - delay
        if fire_at <= words.now:
            status = words.status(call)
            return reply.add(
                say(
                    lang,
                    "remind_too_late",
                    lead=lead(delay, lang),
                    call=title,
                    date=date,
                    status=status,
                )
            )
        reminders.subscribe(
            turn.kb.engine,
            turn.tracker.sender_id,
            call.id,
            lang=lang,
            lead=delay,
            deadline=deadline,
            now=words.now,
        )
        return reply.add(
            say(
                lang,
                "remind_set",
                lead=lead(delay, lang),
                call=title,
                date=date,
                fire_date=local_moment(fire_at, call, lang),
            )
        )

    def reply_to(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        subject: Subject | None,
        *,
        follow_up: bool = True,
    ) -> list[dict[str, Any]]:
        """Reads the lead time, then looks for the subject without its words."""
        text = tracker.latest_message.get("text") or ""
        delay = parse_delay(text)
        stripped = copy.copy(tracker)
        stripped.latest_message = {
            **tracker.latest_message,
            "text": without_delay(text),
            DELAY_KEY: int(delay.total_seconds() // 60) if delay else None,
        }
        return super().reply_to(dispatcher, stripped, subject, follow_up=follow_up)


def calendar_file(kb: KnowledgeBase, call_id: str, lang: str) -> bytes | None:
    """The .ics of a call's deadline in ``lang`` (served by webchat/calendar.py), or None when
    the call is unknown or has no exact deadline."""
    call = kb.call(call_id, lang)
    if call is None or exact_deadline(call) is None:
        return None
    words = Wording(lang, now())
    title = words.text(call.title)
    issuer = words.name(call.issuer_name) if call.issuer_name else ""
    source = call.source.url or words.text(call.source.title)
    texts = EventTexts(
        summary=say(lang, "ics_summary", call=title),
        description=say(lang, "ics_description", call=title, issuer=issuer, source=source),
        alarm=say(lang, "ics_alarm", call=title, lead=lead(DEFAULT_LEAD, lang)),
        lang=lang,
    )
    with kb.engine.connect() as conn:
        sequence, changed_at = deadlines.version(conn, call.id)
    return ics.calendar(
        call, texts, sequence=sequence, changed_at=changed_at, alarm_before=DEFAULT_LEAD
    )
