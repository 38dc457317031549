"""Questions about one call for projects: deadline, eligibility, funding, how to apply.

Each turns the subject into its call (a hub's or programme's calls; several become a choice),
then words the facts of that call. A fact the knowledge base lacks is said to be unknown, with
the contact who would know.
"""

from __future__ import annotations

import abc

from actions import formatting
from actions.base import AnswerAction, Reply, Turn, choice_button
from actions.contacts import add_who_would_know, unknown_fact
from actions.records import call_matches, calls_about, subject_name
from actions.subject import Subject
from knowledge.views import CallView, Match

CHOICES = 5  # buttons offered when the question fits several calls
CALL_KINDS = ("call", "programme", "organisation", "contact", "place")


def unknown(turn: Turn, call: CallView, what_key: str) -> Reply:
    return unknown_fact(turn, Subject("call", call.id), what_key).cite(call.source)


class CallQuestion(AnswerAction, abc.ABC):
    """A question whose answer is a fact of one call."""

    kinds = CALL_KINDS
    preferred = ("call", "programme")
    unknown_key: str

    @abc.abstractmethod
    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        """The answer for one call."""

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        calls = calls_about(turn, subject)
        if len(calls) == 1:
            reply = self.answer_call(turn, calls[0])
            reply.subject = reply.subject or Subject("call", calls[0].id)
            return reply
        if calls:
            reply = Reply(subject=subject).add(turn.words.say("which_call"))
            reply.buttons = [choice_button(match) for match in call_matches(calls[:CHOICES])]
            reply.pending_intent = self.intent
            return reply
        reply = Reply(subject=subject)
        reply.add(turn.words.say("no_calls_for", name=subject_name(turn, subject)))
        return add_who_would_know(turn, subject, reply)

    def choose(self, turn: Turn, choices: tuple[Match, ...]) -> Reply:
        """Names that all lead to the same call (a call and its programme) are no real choice."""
        calls = {
            call.id: call for m in choices for call in calls_about(turn, Subject(m.kind, m.id))
        }
        if len(calls) == 1:
            return self.answer(turn, Subject("call", next(iter(calls))))
        return super().choose(turn, choices)

    def without_subject(self, turn: Turn) -> Reply:
        calls = turn.kb.calls(status=None, now=turn.words.now, lang=turn.lang, limit=CHOICES)
        if len(calls) == 1:
            return self.answer(turn, Subject("call", calls[0].id))
        reply = Reply().add(turn.words.say("which_call"))
        reply.buttons = [choice_button(match) for match in call_matches(calls)]
        reply.pending_intent = self.intent
        return reply


class AnswerDeadline(CallQuestion):
    intent = "ask_deadline"
    unknown_key = "what_deadline"

    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        words = turn.words
        title = words.text(call.title)
        if call.deadline is None or call.deadline.latest is None:
            reply = unknown(turn, call, self.unknown_key)
            if call.opens is not None and call.opens.month is not None:
                year_note = words.say("year_unknown") if call.opens.year is None else ""
                opened = words.say("opened_partial", call=title, when=words.when(call.opens),
                                   year_note=year_note).strip()  # fmt: skip
                reply.lines.insert(0, opened)
            return reply
        reply = Reply().cite(call.source)
        when = words.when(call.deadline)
        status = call.status_at(words.now)
        if status == "open":
            days = words.days_left(call.deadline)
            if days == 0:
                return reply.add(words.say("deadline_last_day", call=title, when=when))
            left = words.say("days_left", days)
            return reply.add(words.say("deadline_open", call=title, when=when, days_left=left))
        if status == "upcoming":
            opens = words.when(call.opens)
            return reply.add(words.say("deadline_upcoming", call=title, opens=opens, when=when))
        ago = formatting.relative(call.deadline.latest - words.now, turn.lang)
        return reply.add(words.say("deadline_closed", call=title, when=when, ago=ago))


class AnswerEligibility(CallQuestion):
    intent = "ask_eligibility"
    unknown_key = "what_eligibility"

    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        words = turn.words
        if call.who_may_apply is None and not call.criteria:
            return unknown(turn, call, self.unknown_key)
        reply = Reply().cite(call.source)
        reply.add(words.say("eligibility_intro", call=words.text(call.title)))
        if call.who_may_apply is not None:
            reply.add(words.text(call.who_may_apply))
        reply.add(*words.bullets([words.text(criterion.text) for criterion in call.criteria]))
        return reply


class AnswerFunding(CallQuestion):
    intent = "ask_funding"
    unknown_key = "what_funding"

    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        words = turn.words
        reply = Reply().cite(call.source)
        programme = turn.kb.programme(call.programme_id, turn.lang) if call.programme_id else None
        if programme is not None:
            name = words.name(programme.name)
            if programme.budget_total is not None:
                amount = words.money(programme.budget_total)
                reply.add(words.say("budget_total", programme=name, amount=amount))
            if programme.max_per_recipient_per_year is not None:
                amount = words.money(programme.max_per_recipient_per_year)
                reply.add(words.say("max_per_recipient_per_year", amount=amount))
            reply.cite(programme.source)
        if call.selected:
            count = len(call.selected)
            if call.applications_received:
                intro = words.say("selected_intro_of_received", count,
                                  received=call.applications_received)  # fmt: skip
            else:
                intro = words.say("selected_intro", count)
            reply.add(intro)
            reply.add(*words.bullets([self._project(turn, project) for project in call.selected]))
        if not reply.lines:
            return unknown(turn, call, self.unknown_key)
        return reply

    @staticmethod
    def _project(turn: Turn, project) -> str:
        words = turn.words
        amount = words.money(project.amount)
        if project.amount is not None and project.period_years:
            amount = words.say("period_years", project.period_years, amount=amount)
        return words.say("selected_project", project=words.name(project.project), amount=amount)


class AnswerHowToApply(CallQuestion):
    intent = "ask_how_to_apply"
    unknown_key = "what_how_to_apply"

    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        words = turn.words
        if call.how_to_apply is None and call.application_file is None:
            return unknown(turn, call, self.unknown_key)
        reply = Reply().cite(call.source)
        if call.how_to_apply is not None:
            reply.add(words.say("how_to_apply", call=words.text(call.title),
                                text=words.text(call.how_to_apply)))  # fmt: skip
        if call.application_file is not None:
            reply.add(words.say("application_file", text=words.text(call.application_file)))
        if call.application_url:
            reply.add(words.say("application_url", url=call.application_url))
        return reply
