""" "Which calls or hubs fit my company?": a short profile, then calls and hubs ranked by fit.

`action_start_profile` reads what the message already says ("… for a cluster in Morocco"),
then `profile_form` asks the rest of the profile (country, region or municipality, organisation
type, sector, stage), one question at a time with buttons; every answer may be "I don't know".
`action_what_fits` ranks the calls by their criteria against the profile (a call the profile
fails comes last) and by status (open first, with the days left), and lists the hubs that serve
the profile's place or sector, each with why. The profile is the same `applicant_facts` slot the
eligibility check uses, so each journey remembers what the other learnt.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import UNSURE_INTENT, Turn, conversation_language, in_thread
from actions.clock import now
from actions.discovery import PLACE_SCORE, place_filter
from actions.journeys import facts as fact_reader
from actions.journeys import words as say_words
from actions.journeys.eligibility import FACTS_SLOT, answer_entity, judge, remembered
from actions.knowledge_access import STORAGE_ERRORS, knowledge_base
from actions.places import short_place
from actions.subject import MENTION_SCORE, candidates
from actions.wording import Wording
from knowledge.eligibility import MET, NOT_ELIGIBLE, NOT_MET, UNKNOWN
from knowledge.query import KnowledgeBase
from knowledge.views import CallView, OrganisationView

logger = logging.getLogger(__name__)

FIELD_SLOT = "profile_field"
ANSWER_SLOT = "profile_answer"
FORM = "profile_form"
DONE = "done"
STATUS_ORDER = {"open": 0, "upcoming": 1, "unknown": 2, "closed": 3}
MAX_CALLS = 5
MAX_HUBS = 5


def to_ask(known: dict[str, Any]) -> list[str]:
    """The profile's fields not asked yet; the region only within a known country."""
    out = []
    for fld in fact_reader.PROFILE_FIELDS:
        if fld in known:
            continue
        if fld == "region" and known.get("country") in (None, fact_reader.OTHER):
            continue
        out.append(fld)
    return out


def _names_a_hub(tracker: Tracker) -> bool:
    """The message names one organisation itself (not by the conversation's subject, nor by
    a place's name: "what fits a start-up in Voss?" is about the town)."""
    kb = knowledge_base()
    text = tracker.latest_message.get("text") or ""
    if any(m.score >= PLACE_SCORE for m in kb.mentions(text, kinds=("place",), limit=3)):
        return False
    ranked = candidates(kb, text)
    best = ranked[0] if ranked else None
    return (
        best is not None
        and best.match.kind == "organisation"
        and not best.of_kind
        and best.match.score >= MENTION_SCORE
    )


class StartProfile(Action):
    def name(self) -> str:
        return "action_start_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self._run, dispatcher, tracker)

    def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        words = Wording(conversation_language(tracker), now())
        from actions.questions import QUESTIONS, runner_up

        guessed = runner_up(tracker, UNSURE_INTENT)
        try:
            if guessed is None and _names_a_hub(tracker):
                # "how can INNOV'EUROMETROPOLIS help a start-up like mine?": what it offers
                guessed = QUESTIONS["ask_services"]
        except STORAGE_ERRORS:
            guessed = None  # the profile's own path says the knowledge base is down
        if guessed is not None:
            return guessed.reply_to(dispatcher, tracker, None, follow_up=False)
        try:
            text = tracker.latest_message.get("text") or ""
            known = remembered(tracker)
            stated = fact_reader.read(knowledge_base(), text)
            # "which calls and business gardens fit us?" names no kind of the user's own:
            # only "a cluster", "we are a …" does
            own = fact_reader.choice(
                text, "organisation_type", after=fact_reader.applicant_words(words.lang)
            )
            stated.pop("organisation_type", None)
            if own is not None and own not in fact_reader.GENERIC_VALUES["organisation_type"]:
                stated["organisation_type"] = own
            known.update(stated)
        except STORAGE_ERRORS:
            logger.exception("knowledge base unavailable for the profile")
            dispatcher.utter_message(text=words.say("kb_unavailable"))
            return []
        events: list[dict[str, Any]] = [SlotSet(FACTS_SLOT, known)]
        if to_ask(known):
            dispatcher.utter_message(text=say_words.say(words, "fit_intro"))
            return events + [
                SlotSet(FIELD_SLOT, None),
                SlotSet(ANSWER_SLOT, None),
                FollowupAction(FORM),
            ]
        return events + [FollowupAction("action_what_fits")]


class AskProfileAnswer(Action):
    def name(self) -> str:
        return "action_ask_profile_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self._run, dispatcher, tracker)

    def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        words = Wording(conversation_language(tracker), now())
        fields = to_ask(remembered(tracker))
        if not fields:
            return [SlotSet(ANSWER_SLOT, DONE)]
        try:
            text, buttons = say_words.question(words, knowledge_base(), fields[0])
        except STORAGE_ERRORS:
            dispatcher.utter_message(text=words.say("kb_unavailable"))
            return [SlotSet(ANSWER_SLOT, DONE)]
        if fields[0] == "country":
            buttons = country_buttons(words, knowledge_base()) + buttons
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet(FIELD_SLOT, fields[0])]


def country_buttons(words: Wording, kb: KnowledgeBase) -> list[dict[str, str]]:
    """The countries the knowledge base has hubs in (its content decides, not this code)."""
    codes = sorted({hub.country for hub in kb.hubs(lang=words.lang) if hub.country})
    return [
        say_words.button(
            words, say_words.value_label(words, kb, "country", code), f"country:{code.lower()}"
        )
        for code in codes
    ]


class ValidateProfileForm(Action):
    def name(self) -> str:
        return "validate_profile_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self._run, tracker)

    def _run(self, tracker: Tracker) -> list[dict[str, Any]]:
        fld = tracker.get_slot(FIELD_SLOT)
        if not fld:
            return []
        try:
            text = tracker.latest_message.get("text") or ""
            known, _ = fact_reader.take(
                knowledge_base(), remembered(tracker), text, fld, answer_entity(tracker)
            )
        except STORAGE_ERRORS:
            return [SlotSet(ANSWER_SLOT, DONE)]
        if known is None:
            return []
        return [SlotSet(FACTS_SLOT, known), SlotSet(ANSWER_SLOT, None if to_ask(known) else DONE)]


class WhatFits(Action):
    """Calls by fit and status, then hubs by place and sector, each with why."""

    def name(self) -> str:
        return "action_what_fits"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self._run, dispatcher, tracker)

    def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        words = Wording(conversation_language(tracker), now())
        reset = [SlotSet(ANSWER_SLOT, None), SlotSet(FIELD_SLOT, None)]
        try:
            kb = knowledge_base()
            lines = fit_lines(kb, words, remembered(tracker))
        except STORAGE_ERRORS:
            logger.exception("knowledge base unavailable for what fits")
            dispatcher.utter_message(text=words.say("kb_unavailable"))
            return reset
        dispatcher.utter_message(text="\n".join(lines))
        return reset


def profile_line(kb: KnowledgeBase, words: Wording, known: dict[str, Any]) -> str:
    shown = {fld for fld in fact_reader.PROFILE_FIELDS if known.get(fld) is not None}
    if known.get(fact_reader.PLACE_TEXT_KEY):
        shown.add("region")
    items = [
        say_words.given_label(words, kb, fld, known)
        for fld in fact_reader.PROFILE_FIELDS
        if fld in shown and known.get(fld) != fact_reader.OTHER
    ]
    if not items:
        return say_words.say(words, "fit_profile_empty")
    return say_words.say(words, "fit_profile", items=words.join(items))


def fit_lines(kb: KnowledgeBase, words: Wording, known: dict[str, Any]) -> list[str]:
    lines = [profile_line(kb, words, known)]
    calls = kb.calls(status=None, now=words.now, lang=words.lang)
    ranked = sorted(calls, key=lambda call: rank(words, call, known))
    if ranked:
        lines.append(say_words.say(words, "fit_calls_head"))
        lines += words.bullets([call_line(kb, words, call, known) for call in ranked[:MAX_CALLS]])
    else:
        lines.append(say_words.say(words, "fit_no_calls"))
    hubs = hub_lines(kb, words, known)
    if hubs:
        lines.append(say_words.say(words, "fit_hubs_head"))
        lines += words.bullets(hubs)
    else:
        lines.append(say_words.say(words, "fit_no_hubs"))
    lines.append(say_words.say(words, "fit_check_hint"))
    return lines


def rank(words: Wording, call: CallView, known: dict[str, Any]) -> tuple:
    verdict = judge(call, known)
    statuses = [check.status for check in verdict.checks]
    status = call.status_at(words.now)
    days = words.days_left(call.deadline) if status == "open" and call.deadline else 0
    return (
        verdict.result == NOT_ELIGIBLE,
        STATUS_ORDER.get(status, 2),
        -statuses.count(MET),
        statuses.count(UNKNOWN),
        days,
        call.id,
    )


def call_line(kb: KnowledgeBase, words: Wording, call: CallView, known: dict[str, Any]) -> str:
    verdict = judge(call, known)
    facts = fact_reader.for_rules(known)

    def items(status: str, with_value: bool) -> str:
        out = []
        for check in verdict.checks:
            if check.status != status:
                continue
            label = say_words.say(words, f"field_{check.rule.field}")
            if with_value:
                value = say_words.given_label(words, kb, check.rule.field, facts)
                label = say_words.say(words, "elig_condition", field=label, value=value)
            out.append(label)
        return words.join(list(dict.fromkeys(out)))

    why = []
    for status, key, with_value in (
        (NOT_MET, "fit_why_not_met", True),
        (MET, "fit_why_met", True),
        (UNKNOWN, "fit_why_open", False),
    ):
        found = items(status, with_value)
        if found:
            why.append(say_words.say(words, key, items=found))
    if not verdict.checks:
        why.append(say_words.say(words, "fit_why_none"))
    return say_words.say(
        words, "fit_call_line", title=words.text(call.title), status=words.status(call),
        why=" ".join(why),
    )  # fmt: skip


def hub_lines(kb: KnowledgeBase, words: Wording, known: dict[str, Any]) -> list[str]:
    """The hubs of the profile's place (nearest first) and of its sector, each with why."""
    place = known.get(fact_reader.PLACE_KEY)
    country = known.get("country")
    if not place and isinstance(country, str) and len(country) == 2:
        place = f"country:{country.lower()}"
    sector = known.get("sector")
    sector_words = (
        say_words.value_label(words, kb, "sector", sector)
        if sector and sector != fact_reader.OTHER
        else None
    )
    found: dict[str, tuple[OrganisationView, list[str]]] = {}
    if place:
        place_name = kb.place_ref(place, words.lang).name
        for hub in kb.hubs(**place_filter(place), lang=words.lang, limit=MAX_HUBS * 2):
            found.setdefault(hub.id, (hub, []))[1].append(
                say_words.say(words, "fit_hub_place", place=place_name)
            )
    if sector_words:
        # hubs list their sectors in their own words: try the value's words of every language
        for term in dict.fromkeys([sector_words, *fact_reader.phrases_of("sector", sector)]):
            for hub in kb.hubs(sector=term, lang=words.lang, limit=MAX_HUBS * 2):
                reasons = found.setdefault(hub.id, (hub, []))[1]
                reason = say_words.say(words, "fit_hub_sector", sector=sector_words)
                if reason not in reasons:
                    reasons.append(reason)
    ordered = sorted(found.values(), key=lambda item: (-len(item[1]), item[0].id))
    lines = []
    for hub, reasons in ordered[:MAX_HUBS]:
        details = words.join([words.kind(hub.kind), short_place(Turn(kb, words, None), hub)])
        lines.append(
            say_words.say(
                words,
                "fit_hub_line",
                name=words.name(hub.name),
                details=details,
                why=words.join(reasons),
            )  # fmt: skip
        )
    return lines
