""" "Am I eligible?": the call's criteria checked against what the user said.

`action_check_eligibility` answers at once from the facts the message and the conversation
already give ("can a cluster with five years of state support apply?", "and if it were a new
cluster?"), then, while a criterion is still open, starts `eligibility_form`, which asks only the
questions the call's criteria need, one at a time (`action_ask_eligibility_answer`), reads each
answer (`validate_eligibility_form`; "I don't know" is an answer) and ends with the verdict
(`action_eligibility_verdict`). The facts are kept in the `applicant_facts` slot for the whole
conversation: the profile of "what fits me" and every later check share them.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import UNSURE_INTENT, Reply, Turn, conversation_language, in_thread, render
from actions.call_questions import CallQuestion, unknown
from actions.clock import now
from actions.journeys import facts as fact_reader
from actions.journeys import words as say_words
from actions.knowledge_access import STORAGE_ERRORS, knowledge_base
from actions.subject import SUBJECT_SLOT, Subject
from actions.wording import Wording
from knowledge.eligibility import ELIGIBLE, NOT_ELIGIBLE, Verdict, evaluate
from knowledge.query import KnowledgeBase
from knowledge.views import CallView

logger = logging.getLogger(__name__)

FACTS_SLOT = "applicant_facts"
CALL_SLOT = "eligibility_call"
FIELD_SLOT = "eligibility_field"
ANSWER_SLOT = "eligibility_answer"
FORM = "eligibility_form"
DONE = "done"


def remembered(tracker: Tracker) -> dict[str, Any]:
    value = tracker.get_slot(FACTS_SLOT)
    return dict(value) if isinstance(value, dict) else {}


def with_message(kb: KnowledgeBase, tracker: Tracker) -> tuple[dict[str, Any], bool]:
    """The remembered facts updated by those the latest message states, and whether it stated
    any ("and if it were a new cluster?" replaces the stage, keeps the rest)."""
    text = tracker.latest_message.get("text") or ""
    stated = fact_reader.read(kb, text, conversation_language(tracker))
    known = remembered(tracker)
    if "country" in stated and "region" not in stated:
        # another country: the old region no longer holds
        for key in ("region", fact_reader.PLACE_TEXT_KEY):
            known.pop(key, None)
    known.update(stated)
    return known, bool(stated)


def states_applicant_facts(tracker: Tracker) -> bool:
    """Whether the message is about the user's own case, not only the call's rules: "am I
    eligible?", "can we apply?", a number of years or a label, or a kind, sector or stage said
    of "a …" ("can a new cluster apply?"; not "the clusters call")."""
    text = tracker.latest_message.get("text") or ""
    lang = conversation_language(tracker)
    if fact_reader.says(text, "applicant", lang):
        return True
    if fact_reader.years_of_support(text) is not None:
        return True
    if fact_reader.choice(text, "existing_label") is not None:
        return True
    if not fact_reader.says(text, "indefinite", lang):
        return False
    fields = ("organisation_type", "sector", "stage")
    return any(fact_reader.choice(text, fld) is not None for fld in fields)


def judge(call: CallView, facts: dict[str, Any]) -> Verdict:
    return evaluate(call.criteria, fact_reader.for_rules(facts))


def to_ask(verdict: Verdict, facts: dict[str, Any]) -> list[str]:
    """The fields still worth a question: open, and not answered before ("I don't know" is an
    answer). A decided "not eligible" needs no more questions."""
    if verdict.result == NOT_ELIGIBLE:
        return []
    return [fld for fld in verdict.needed if fld not in facts]


def verdict_lines(turn: Turn, call: CallView, facts: dict[str, Any]) -> list[str]:
    """Every criterion (met, not met, unknown, not applicable, with the answer used and the
    rule's sentence), then the overall result."""
    words = turn.words
    verdict = judge(call, facts)
    lines = [
        say_words.say(words, "elig_head", call=words.text(call.title)),
        say_words.say(words, "elig_status", status=words.status(call)),
    ]
    for check, criterion in zip(verdict.checks, call.criteria, strict=True):
        lines.append(
            say_words.check_line(words, turn.kb, check, criterion, facts, call.source.language)
        )
    if verdict.result == ELIGIBLE:
        lines.append(say_words.say(words, "elig_eligible"))
    elif verdict.result == NOT_ELIGIBLE:
        lines.append(say_words.say(words, "elig_not_eligible"))
    else:
        needed = [say_words.say(words, f"field_{fld}") for fld in verdict.needed]
        lines.append(say_words.say(words, "elig_undecided", fields=words.join(needed)))
    return lines


class CheckEligibility(CallQuestion):
    """The check of one call: the verdict from the facts known so far, then the form."""

    intent = "check_eligibility"
    unknown_key = "what_eligibility"

    def name(self) -> str:
        return "action_check_eligibility"

    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        words = turn.words
        if not call.criteria:
            if call.who_may_apply is None:
                return unknown(turn, call, self.unknown_key)
            reply = Reply().cite(call.source)
            reply.add(say_words.say(words, "elig_no_criteria", call=words.text(call.title)))
            return reply.add(words.text(call.who_may_apply))
        known, stated = with_message(turn.kb, turn.tracker)
        verdict = judge(call, known)
        questions = to_ask(verdict, known)
        reply = Reply().cite(call.source)
        if stated or not questions or len(known) > len(questions):
            reply.add(*verdict_lines(turn, call, known))
            if questions:
                reply.add(say_words.say(words, "elig_ask_more"))
        else:
            title = words.text(call.title)
            if call.who_may_apply is not None:  # the rule's own words first, then the check
                reply.add(words.text(call.who_may_apply))
            reply.add(say_words.say(words, "elig_intro", count=len(questions), call=title))
        return reply

    def reply_to(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        subject: Subject | None,
        *,
        follow_up: bool = True,
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        lang = conversation_language(tracker)
        from actions.questions import runner_up

        guessed = runner_up(tracker, UNSURE_INTENT)
        if guessed is not None and not fact_reader.says(text, "applicant", lang):
            # an unsure guess, and the message does not speak of the user ("we", "my company")
            return guessed.reply_to(dispatcher, tracker, subject, follow_up=follow_up)
        if not states_applicant_facts(tracker) and fact_reader.says(text, "who", lang):
            # "who can apply to …?" taken for a check: the rules themselves answer it
            from actions.call_questions import AnswerEligibility

            return AnswerEligibility().reply_to(dispatcher, tracker, subject, follow_up=follow_up)
        events = super().reply_to(dispatcher, tracker, subject, follow_up=follow_up)
        call_id = next(
            (
                e["value"].partition(":")[2]
                for e in events
                if e.get("name") == SUBJECT_SLOT and str(e.get("value", "")).startswith("call:")
            ),
            None,
        )
        if call_id is None:
            return events
        try:
            kb = knowledge_base()
            call = kb.call(call_id, conversation_language(tracker))
            if call is None or not call.criteria:
                return events
            known, _ = with_message(kb, tracker)
        except STORAGE_ERRORS:
            logger.exception("knowledge base unavailable after the eligibility answer")
            return events
        events += [SlotSet(FACTS_SLOT, known), SlotSet(CALL_SLOT, call_id)]
        if to_ask(judge(call, known), known):
            events += [SlotSet(FIELD_SLOT, None), SlotSet(ANSWER_SLOT, None), FollowupAction(FORM)]
        return events


def _form_call(tracker: Tracker, lang: str) -> CallView | None:
    call_id = tracker.get_slot(CALL_SLOT)
    return knowledge_base().call(call_id, lang) if call_id else None


class AskEligibilityAnswer(Action):
    """The form's next question: the first field the call's open criteria need."""

    def name(self) -> str:
        return "action_ask_eligibility_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self._run, dispatcher, tracker)

    def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        lang = conversation_language(tracker)
        words = Wording(lang, now())
        try:
            call = _form_call(tracker, lang)
            known = remembered(tracker)
            fields = to_ask(judge(call, known), known) if call else []
            if not fields:
                return [SlotSet(ANSWER_SLOT, DONE)]
            text, buttons = say_words.question(words, knowledge_base(), fields[0], call.criteria)
        except STORAGE_ERRORS:
            logger.exception("knowledge base unavailable while asking")
            dispatcher.utter_message(text=words.say("kb_unavailable"))
            return [SlotSet(ANSWER_SLOT, DONE)]
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet(FIELD_SLOT, fields[0])]


def answer_entity(tracker: Tracker) -> str | None:
    return next(
        (
            str(e.get("value"))
            for e in tracker.latest_message.get("entities") or []
            if e.get("entity") == say_words.ANSWER_ENTITY
        ),
        None,
    )


class ValidateEligibilityForm(Action):
    """Reads the answer to the question asked. A message that does not answer it is left to
    the other rules (the form is rejected for this turn and asks again afterwards)."""

    def name(self) -> str:
        return "validate_eligibility_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self._run, tracker)

    def _run(self, tracker: Tracker) -> list[dict[str, Any]]:
        fld = tracker.get_slot(FIELD_SLOT)
        if not fld:
            return []
        lang = conversation_language(tracker)
        try:
            kb = knowledge_base()
            text = tracker.latest_message.get("text") or ""
            known, _ = fact_reader.take(kb, remembered(tracker), text, fld, answer_entity(tracker))
            if known is None:
                return []
            call = _form_call(tracker, lang)
            more = to_ask(judge(call, known), known) if call else []
        except STORAGE_ERRORS:
            logger.exception("knowledge base unavailable while reading an answer")
            return [SlotSet(ANSWER_SLOT, DONE)]
        return [SlotSet(FACTS_SLOT, known), SlotSet(ANSWER_SLOT, None if more else DONE)]


class EligibilityVerdict(Action):
    """The verdict once the form has its answers."""

    def name(self) -> str:
        return "action_eligibility_verdict"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self._run, dispatcher, tracker)

    def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        lang = conversation_language(tracker)
        words = Wording(lang, now())
        reset = [SlotSet(ANSWER_SLOT, None), SlotSet(FIELD_SLOT, None)]
        try:
            call = _form_call(tracker, lang)
            if call is None:
                return reset
            turn = Turn(knowledge_base(), words, tracker)
            reply = Reply().cite(call.source).add(*verdict_lines(turn, call, remembered(tracker)))
            dispatcher.utter_message(text=render(turn, reply))
        except STORAGE_ERRORS:
            logger.exception("knowledge base unavailable for the verdict")
            dispatcher.utter_message(text=words.say("kb_unavailable"))
        return reset + [SlotSet("last_question", "check_eligibility")]
