"""Hand-off to a person at the responsible hub, and the notices the bot says unasked.

"I want to talk to someone" opens a case in the hub's queue (``knowledge/handoff.py``): the hub
of the subject being discussed, else the hub of the user's region; the reply still gives the
hub's contacts. While a person has the case the bot only forwards the user's messages
(``action_forward_to_person``, predicted by ``bot/components/handoff_policy.py``).
``action_deliver_notice`` words what ops/scheduler.py or the staff page triggered through Rasa's
external-event API: a reminder, a moved deadline, a staff member joining, replying, closing, or
nobody coming in time.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import (
    LANGUAGE_SLOT,
    PENDING_SLOT,
    Reply,
    Turn,
    conversation_language,
    in_thread,
)
from actions.calendar import local_moment
from actions.clock import now
from actions.contacts import contact_line
from actions.discovery import place_filter
from actions.hub_questions import Handoff, contacts_reply
from actions.journey_words import public_url, say
from actions.knowledge_access import STORAGE_ERRORS, knowledge_base
from actions.records import as_organisation
from actions.subject import Subject
from actions.wording import Wording
from knowledge import handoff, notices
from knowledge.views import CallView

logger = logging.getLogger(__name__)

SLOT = "handoff"
#: slots that are the bot's bookkeeping, not what the user told about themselves
BOOKKEEPING = {
    LANGUAGE_SLOT,
    PENDING_SLOT,
    SLOT,
    "last_question",
    "subject_id",
    "subject_kind",
    "person_id",
    "requested_slot",
    "session_started_metadata",
}
#: the place slots a profile may hold (the "what fits me" journey), most precise first
PLACE_SLOTS = ("municipality", "region", "country")
NOTICE_ENTITY = "notice_id"


def slot_state(case: handoff.CaseView | None) -> str | None:
    """The ``handoff`` slot for a case: "waiting", "human" (a person has it) or None."""
    if case is None:
        return None
    return {"waiting": "waiting", "with_person": "human"}.get(case.state)


def transcript_url(sender: str) -> str:
    """The staff workspace's view of the whole conversation (staff/handoff_views.py)."""
    return f"{public_url()}/staff/handoff/conversations/{quote(sender, safe='')}"


def _question(tracker: Tracker) -> str:
    """What the user asked before asking for a person (else the request itself)."""
    texts = [
        event.get("text") or ""
        for event in tracker.events
        if event.get("event") == "user" and not (event.get("text") or "").startswith("/")
    ]
    texts = [text for text in texts if text and not text.startswith("EXTERNAL")]
    if len(texts) >= 2:
        return f"{texts[-2]}\n{texts[-1]}"
    return texts[-1] if texts else ""


def _profile(tracker: Tracker) -> dict[str, Any]:
    return {
        name: value
        for name, value in (tracker.slots or {}).items()
        if value not in (None, "", []) and name not in BOOKKEEPING
    }


def _regional_hub(turn: Turn) -> str | None:
    """The hub of the user's place (profile slots, else a place the message names)."""
    for slot in PLACE_SLOTS:
        value = turn.tracker.get_slot(slot)
        if isinstance(value, str) and value:
            hubs = turn.kb.hubs(**{slot: value}, lang=turn.lang, limit=1)
            if hubs:
                return hubs[0].id
    places = turn.kb.mentions(turn.text, kinds=("place",), limit=1)
    if places:
        hubs = turn.kb.hubs(**place_filter(places[0].id), lang=turn.lang, limit=1)
        if hubs:
            return hubs[0].id
    return None


def hub_name(turn: Turn, hub_id: str | None) -> str:
    organisation = turn.kb.organisation(hub_id, turn.lang) if hub_id else None
    if organisation is None:
        return say(turn.lang, "the_hub_team")
    return turn.words.name(organisation.name)


def _left(turn: Turn, call: CallView, params: dict) -> dict[str, str]:
    """The deadline and the days left, counted from when the reminder fired (the scheduler's
    clock) or later: a reminder delivered late never promises more time than there is."""
    fired = params.get("fired_at")
    moment = turn.words.now
    if fired:
        moment = max(moment, datetime.fromisoformat(fired).replace(tzinfo=ZoneInfo("UTC")))
    words = replace(turn.words, now=moment)
    days = words.days_left(call.deadline)
    left = words.say("days_left", days) if days else say(turn.lang, "closes_today")
    return {"date": words.when(call.deadline), "left": left}


class RequestHuman(Handoff):
    """ "I want to talk to someone": a case in the responsible hub's queue, and its contacts."""

    def name(self) -> str:
        return "action_request_human"

    def _open(self, turn: Turn, hub_id: str | None, subject: Subject | None) -> Reply:
        case, new = handoff.open_case(
            turn.kb.engine,
            turn.tracker.sender_id,
            lang=turn.lang,
            hub_id=hub_id,
            subject_id=subject.ref if subject else None,
            question=_question(turn.tracker),
            profile=_profile(turn.tracker),
            now=turn.words.now,
            transcript_url=transcript_url(turn.tracker.sender_id),
        )
        name = hub_name(turn, case.hub_id)
        if not new:
            return Reply().add(say(turn.lang, "handoff_already", hub=name))
        key = "handoff_opened" if case.hub_id else "handoff_opened_no_hub"
        return Reply().add(say(turn.lang, key, hub=name))

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        hub = as_organisation(turn, subject)
        opened = self._open(turn, hub.id if hub else _regional_hub(turn), subject)
        contacts = contacts_reply(turn, subject, "handoff_intro")
        if contacts.unknown:  # no contact on record: the case alone
            opened.subject = subject
            return opened
        contacts.lines[:0] = opened.lines
        return contacts

    def without_subject(self, turn: Turn) -> Reply:
        hub_id = _regional_hub(turn)
        if hub_id is not None:
            return self.answer(turn, Subject("organisation", hub_id))
        return self._open(turn, None, None)

    def reply_to(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        subject: Subject | None,
        *,
        follow_up: bool = True,
    ) -> list[dict[str, Any]]:
        events = super().reply_to(dispatcher, tracker, subject, follow_up=follow_up)
        try:
            case = handoff.open_case_of(knowledge_base().engine, tracker.sender_id)
        except STORAGE_ERRORS:
            return events
        return [*events, SlotSet(SLOT, slot_state(case))]


class ForwardToPerson(Action):
    """While a person has the case: keep the user's message in it, say nothing."""

    def name(self) -> str:
        return "action_forward_to_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self._run, tracker)

    def _run(self, tracker: Tracker) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        try:
            engine = knowledge_base().engine
            handoff.forward(engine, tracker.sender_id, text, now())
            case = handoff.open_case_of(engine, tracker.sender_id)
        except STORAGE_ERRORS:
            logger.exception("could not forward a message to its case")
            return [SlotSet(SLOT, tracker.get_slot(SLOT))]
        # One event even when nothing changed: an action that leaves none counts as failed
        # (bot/components/action_failure_policy.py).
        return [SlotSet(SLOT, slot_state(case))]


class DeliverNotice(Action):
    """Says the notice the external event names, in the conversation's language."""

    def name(self) -> str:
        return "action_deliver_notice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self._run, dispatcher, tracker)

    def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        notice_id = next(
            (
                entity.get("value")
                for entity in tracker.latest_message.get("entities") or []
                if entity.get("entity") == NOTICE_ENTITY
            ),
            None,
        )
        lang = conversation_language(tracker)
        words = Wording(lang, now())
        try:
            kb = knowledge_base()
            notice = notices.get(kb.engine, int(notice_id)) if notice_id is not None else None
            if notice is None or notice.sender != tracker.sender_id:
                logger.warning("notice %s is not for conversation %s", notice_id, tracker.sender_id)
                return [SlotSet(PENDING_SLOT, tracker.get_slot(PENDING_SLOT))]
            turn = Turn(kb, words, tracker)
            lines, slot = self.words_of(turn, notice)
        except STORAGE_ERRORS + (ValueError,):
            logger.exception("notice %s could not be read", notice_id)
            return [SlotSet(PENDING_SLOT, tracker.get_slot(PENDING_SLOT))]
        if lines:
            dispatcher.utter_message(text="\n".join(lines))
        return [SlotSet(SLOT, slot)]

    @staticmethod
    def words_of(turn: Turn, notice: notices.NoticeView) -> tuple[list[str], str | None]:
        """The lines to say and the ``handoff`` slot afterwards."""
        kb, lang, words, params = turn.kb, turn.lang, turn.words, notice.params
        engine = kb.engine
        state = slot_state(handoff.open_case_of(engine, notice.sender))
        if notice.kind in ("reminder", "deadline_moved"):
            call = kb.call(params["call_id"], lang)
            if call is None:
                return [], state
            title = words.text(call.title)
            if notice.kind == "reminder":
                return [say(lang, "reminder_fired", call=title, **_left(turn, call, params))], state
            if params.get("new") is None or call.deadline is None:
                return [say(lang, "deadline_removed", call=title)], state
            old = datetime.fromisoformat(params["old"]).replace(tzinfo=ZoneInfo("UTC"))
            return [
                say(
                    lang,
                    "deadline_moved",
                    call=title,
                    date=words.when(call.deadline),
                    old=local_moment(old, call, lang) if params.get("old") else "?",
                )
            ], state
        case = handoff.case(engine, int(params["case_id"]))
        if case is None:
            return [], state
        hub = hub_name(turn, case.hub_id)
        staff = params.get("staff") or case.staff_name or hub
        if notice.kind == "handoff_taken":
            return [say(lang, "handoff_taken", staff=staff, hub=hub)], state
        if notice.kind == "staff_reply":
            message = handoff.staff_message(engine, int(params["message_id"]))
            text = message.text if message else ""
            return [say(lang, "staff_reply", staff=staff, hub=hub, text=text)], state
        if notice.kind in ("handoff_closed", "handoff_returned"):
            return [
                say(lang, notice.kind, staff=params.get("staff") or case.staff_name or hub)
            ], state
        if notice.kind == "handoff_timeout":
            contacts = kb.contacts_for(case.hub_id, lang) if case.hub_id else []
            if not contacts:
                return [say(lang, "handoff_timeout_no_contacts", hub=hub)], state
            lines = [say(lang, "handoff_timeout", hub=hub)]
            lines += words.bullets([contact_line(turn, contact) for contact in contacts])
            return lines, state
        logger.warning("unknown notice kind %s", notice.kind)
        return [], state
