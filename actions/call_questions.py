"""Questions about calls for projects and their money: deadline, eligibility, how to apply,
funding, the programme a call belongs to, and how long funding lasts.

Each turns the subject into the records that hold the fact (a hub's calls, a garden's selected
project, a programme; several calls become a choice), then words the fact. A fact the knowledge
base lacks is said to be unknown, with the contact who would know; never a nearby fact (the
programme total for one project's grant).
"""

from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import formatting
from actions.base import AnswerAction, Reply, Turn, best_by_text, choice_button, unsure_intent
from actions.contacts import add_who_would_know, unknown_fact
from actions.discovery import only_hub
from actions.passages import STRONG_PASSAGE_SCORE, add_stated_figures, passages_reply
from actions.records import as_organisation, call_matches, calls_about, subject_name
from actions.subject import Subject, resolve
from actions.vocabulary import asks_for_amount, asks_which, kinds_named
from knowledge.views import CallView, Match, ProgrammeView, SelectedProject

CHOICES = 5  # buttons offered when the question fits several calls
CALL_KINDS = ("call", "programme", "organisation", "contact", "place")


def unknown(turn: Turn, call: CallView, what_key: str) -> Reply:
    return unknown_fact(turn, Subject("call", call.id), what_key).cite(call.source)


def call_choice(turn: Turn, subject: Subject | None, calls: list[CallView], intent: str) -> Reply:
    """ "Which call do you mean?" with the first calls as buttons; the question waits."""
    reply = Reply(subject=subject).add(turn.words.say("which_call"))
    reply.buttons = [choice_button(match) for match in call_matches(calls[:CHOICES])]
    reply.pending_intent = intent
    return reply


def with_status(turn: Turn, call: CallView, reply: Reply) -> Reply:
    """The call's status added to an answer about applying: whoever may apply, it matters
    whether it is still open (and until when)."""
    if call.status_at(turn.words.now) != "unknown":
        reply.add(turn.words.say("call_status", status=turn.words.status(call)))
    return reply


def best_call(turn: Turn, calls: list[CallView]) -> CallView | None:
    """The one call whose own texts the message matches clearly best ("we are a small cluster
    in Casablanca, can we apply?" → the clusters call), else None."""
    best = best_by_text(turn, tuple(call_matches(calls)))
    return next((call for call in calls if best and call.id == best.id), None)


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
        if len(calls) > 1 and (best := best_call(turn, calls)) is not None:
            calls = [best]
        if len(calls) == 1:
            reply = self.answer_call(turn, calls[0])
            reply.subject = reply.subject or Subject("call", calls[0].id)
            return reply
        if calls:
            return call_choice(turn, subject, calls, self.intent)
        return self.no_call(turn, subject)

    @staticmethod
    def no_call(turn: Turn, subject: Subject) -> Reply:
        """No call for the subject: say so, with what its own texts say closest to the question
        ("who can become a partner in the arena?") and who would know. A town with one hub
        stands for that hub ("the Lycksele node")."""
        words = turn.words
        if subject.kind == "place" and (hub := only_hub(turn, subject.id)) is not None:
            subject = Subject("organisation", hub.id)
        reply = Reply(subject=subject, unknown=True)
        reply.add(words.say("no_calls_for", name=subject_name(turn, subject)))
        if subject.kind != "place":
            lead = len(reply.lines)
            if passages_reply(turn, subject, reply, limit=1, minimum=STRONG_PASSAGE_SCORE):
                reply.lines.insert(lead, words.say("source_says"))
            elif subject.kind == "organisation":
                # No call, but a hub that helps in other ways: what it offers ("can the
                # platform help me find partners?").
                from actions.hub_questions import AnswerServices

                offered = AnswerServices().answer(turn, subject)
                if not offered.unknown:
                    reply.add(*offered.lines)
                    for source in offered.sources:
                        reply.cite(source)
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
        suggestions = turn.resolution.suggestions if turn.resolution else ()
        if len(suggestions) == 1:
            return self.answer(turn, Subject(suggestions[0].kind, suggestions[0].id))
        calls = turn.kb.calls(status=None, now=turn.words.now, lang=turn.lang, limit=CHOICES)
        if len(calls) > 1 and (best := best_call(turn, calls)) is not None:
            calls = [best]
        if len(calls) == 1:
            return self.answer(turn, Subject("call", calls[0].id))
        if not calls:
            return Reply(unknown=True).add(turn.words.say("no_calls_all"))
        return call_choice(turn, None, calls, self.intent)


class AnswerDeadline(CallQuestion):
    intent = "ask_deadline"
    unknown_key = "what_deadline"

    def respond(
        self, turn: Turn, subject: Subject | None = None, *, follow_up: bool = True
    ) -> Reply:
        """ "Which of your calls have expired?", "which calls close soon?": a question of
        which calls that names none of them is answered with the calls and their deadlines."""
        if subject is None and asks_which(turn.text) and "call" in kinds_named(turn.text):
            named = resolve(turn.kb, turn.tracker, self.kinds, follow_up=False, by_text=False)
            if named.subject is None and not named.choices:
                from actions.questions import QUESTIONS

                return QUESTIONS["list_calls"].respond(turn)
        return super().respond(turn, subject, follow_up=follow_up)

    @staticmethod
    def no_call(turn: Turn, subject: Subject) -> Reply:
        """A guessed "when?" about an organisation without calls ("on which date was the
        platform launched?"): its one date, the founding, where it has one."""
        organisation = as_organisation(turn, subject) if subject.kind != "place" else None
        view = turn.kb.organisation(organisation.id, turn.lang) if organisation else None
        if unsure_intent(turn) and view is not None and view.founded is not None:
            from actions.questions import QUESTIONS

            return QUESTIONS["ask_founded"].answer(turn, organisation)
        return CallQuestion.no_call(turn, subject)

    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        words = turn.words
        title = words.text(call.title)
        if call.deadline is None or call.deadline.latest is None:
            reply = unknown(turn, call, self.unknown_key)
            if call.opens is not None and call.opens.month is not None:
                year_note = words.say("year_unknown") if call.opens.year is None else ""
                opened = words.say(
                    "opened_partial", call=title, when=words.when(call.opens), year_note=year_note
                ).strip()
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
        if status == "unknown":
            return reply.add(words.say("deadline_status_unknown", call=title, when=when))
        ago = formatting.relative(call.deadline.latest - words.now, turn.lang)
        return reply.add(words.say("deadline_closed", call=title, when=when, ago=ago))


class AnswerEligibility(CallQuestion):
    intent = "ask_eligibility"
    unknown_key = "what_eligibility"

    def reply_to(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        subject: Subject | None,
        *,
        follow_up: bool = True,
    ) -> list[dict[str, Any]]:
        """ "Who can apply?" quotes the rules; a question that states the applicant's facts
        ("can a cluster with five years of state support apply?") is checked against them."""
        from actions.journeys.eligibility import CheckEligibility, states_applicant_facts

        if states_applicant_facts(tracker):
            return CheckEligibility().reply_to(dispatcher, tracker, subject, follow_up=follow_up)
        return super().reply_to(dispatcher, tracker, subject, follow_up=follow_up)

    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        words = turn.words
        if call.who_may_apply is None and not call.criteria:
            return unknown(turn, call, self.unknown_key)
        reply = Reply().cite(call.source)
        reply.add(words.say("eligibility_intro", call=words.text(call.title)))
        if call.who_may_apply is not None:
            reply.add(words.text(call.who_may_apply))
        reply.add(*words.bullets([words.text(criterion.text) for criterion in call.criteria]))
        return with_status(turn, call, reply)


class AnswerHowToApply(CallQuestion):
    intent = "ask_how_to_apply"
    unknown_key = "what_how_to_apply"

    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        words = turn.words
        if call.how_to_apply is None and call.application_file is None:
            return unknown(turn, call, self.unknown_key)
        reply = Reply().cite(call.source)
        if call.how_to_apply is not None:
            reply.add(
                words.say(
                    "how_to_apply", call=words.text(call.title), text=words.text(call.how_to_apply)
                )
            )
        if call.application_file is not None:
            reply.add(words.say("application_file", text=words.text(call.application_file)))
        if call.application_url:
            reply.add(words.say("application_url", url=call.application_url))
        return with_status(turn, call, reply)


# --------------------------------------------------------------------------- money and time
def projects_of(turn: Turn, organisation_id: str) -> list[tuple[CallView, SelectedProject]]:
    """The selected projects an organisation is in (or is: a group named like its project)."""
    kb = turn.kb
    organisation = kb.organisation(organisation_id, turn.lang)
    if organisation is None:
        return []
    members = set(organisation.members)
    calls = kb.calls(status=None, now=turn.words.now, lang=turn.lang, participant=organisation_id)
    found: dict[tuple[str, str], tuple[CallView, SelectedProject]] = {}
    for call in calls + _calls_of_members(turn, members):
        for project in call.selected:
            ids = set(project.organisations)
            named = project.project.value == organisation.name.value
            if organisation_id in ids or (members and ids <= members) or named:
                found.setdefault((call.id, project.project.value), (call, project))
    return list(found.values())


def _calls_of_members(turn: Turn, members: set[str]) -> list[CallView]:
    kb, now, lang = turn.kb, turn.words.now, turn.lang
    calls: dict[str, CallView] = {}
    for member in sorted(members):
        for call in kb.calls(status=None, now=now, lang=lang, participant=member, limit=5):
            calls.setdefault(call.id, call)
    return list(calls.values())


def project_amount(turn: Turn, project: SelectedProject) -> str:
    words = turn.words
    amount = words.money(project.amount)
    if project.amount is not None and project.period_years:
        amount = words.say("period_years", project.period_years, amount=amount)
    return amount


def programme_money(turn: Turn, programme: ProgrammeView, reply: Reply) -> Reply:
    """A programme's budget, its cap per recipient and year, and over how long."""
    words = turn.words
    name = words.name(programme.name)
    if programme.budget_total is not None:
        amount = words.money(programme.budget_total)
        reply.add(words.say("budget_total", programme=name, amount=amount))
    if programme.max_per_recipient_per_year is not None:
        amount = words.money(programme.max_per_recipient_per_year)
        reply.add(words.say("max_per_recipient_per_year", amount=amount))
    if programme.duration_years and reply.lines:
        reply.add(words.say("duration_years", programme.duration_years, name=name))
    if reply.lines:
        reply.cite(programme.source)
    return reply


class AnswerFunding(CallQuestion):
    """Budgets and grants: a project's own grant when the subject is one of the selected
    organisations; a programme's budget, cap per recipient and year and duration; a call's
    programme money and selected projects."""

    intent = "ask_funding"
    unknown_key = "what_funding"
    kinds = ("organisation", "programme", "call", "contact", "place")

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        kb = turn.kb
        if subject.kind == "organisation":
            projects = projects_of(turn, subject.id)
            if projects:
                return self._grants(turn, subject, projects)
            funded = kb.programmes_funded_by(subject.id)
            if funded and not kb.calls(
                status=None, now=turn.words.now, lang=turn.lang, issuer=subject.id, limit=1
            ):
                reply = Reply(subject=Subject("programme", funded[0]))
                for pid in funded:
                    programme = kb.programme(pid, turn.lang)
                    if programme is not None:
                        programme_money(turn, programme, reply)
                if reply.lines:
                    return reply
        if subject.kind == "programme" and (programme := kb.programme(subject.id, turn.lang)):
            reply = programme_money(turn, programme, Reply(subject=subject))
            if reply.lines:
                return add_stated_figures(turn, subject, reply)
            return unknown_fact(turn, subject, self.unknown_key).cite(programme.source)
        return super().answer(turn, subject)

    def _grants(self, turn: Turn, subject: Subject, projects) -> Reply:
        words = turn.words
        reply = Reply(subject=subject)
        for call, project in projects:
            line = words.say(
                "project_grant",
                project=words.name(project.project),
                amount=project_amount(turn, project),
            )
            reply.add(line).cite(call.source)
        return reply

    def answer_call(self, turn: Turn, call: CallView) -> Reply:
        words = turn.words
        reply = Reply().cite(call.source)
        programme = turn.kb.programme(call.programme_id, turn.lang) if call.programme_id else None
        if programme is not None and programme_money(turn, programme, reply).lines:
            add_stated_figures(turn, Subject("call", call.id), reply)
        if call.selected:
            count = len(call.selected)
            if call.applications_received:
                intro = words.say(
                    "selected_intro_of_received", count, received=call.applications_received
                )
            else:
                intro = words.say("selected_intro", count)
            reply.add(intro)
            reply.add(*words.bullets([self._project(turn, project) for project in call.selected]))
        if not reply.lines:
            return unknown(turn, call, self.unknown_key)
        return reply

    @staticmethod
    def _project(turn: Turn, project: SelectedProject) -> str:
        words = turn.words
        amount = project_amount(turn, project)
        return words.say("selected_project", project=words.name(project.project), amount=amount)


class AnswerProgramme(AnswerAction):
    """Which programme (or plan) a call, project or programme belongs to, and who funds it."""

    intent = "ask_programme"
    kinds = ("call", "programme", "organisation", "contact", "place")
    preferred = ("call", "programme")

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        kb, words = turn.kb, turn.words
        programmes: list[ProgrammeView] = []
        if subject.kind == "programme" and (programme := kb.programme(subject.id, turn.lang)):
            framework = kb.programme(programme.part_of, turn.lang) if programme.part_of else None
            if framework is not None:
                name = words.name(programme.name)
                reply = Reply(subject=subject).add(
                    words.say("programme_part_of", name=name, framework=words.name(framework.name))
                )
                return reply.cite(framework.source)
            programmes = [programme]
        else:
            organisation = (
                kb.organisation(subject.id, turn.lang) if subject.kind == "organisation" else None
            )
            calls = calls_about(turn, subject)
            if len(calls) > 1 and subject.kind != "organisation":
                return call_choice(turn, subject, calls, self.intent)
            # The programmes it is a project of ("an Interreg IV project"), then its calls'.
            ids = dict.fromkeys(
                [
                    *(organisation.programmes if organisation else ()),
                    *(c.programme_id for c in calls if c.programme_id),
                ]
            )
            programmes = [p for i in ids if (p := kb.programme(i, turn.lang))]
        if not programmes:
            return unknown_fact(turn, subject, "what_programme")
        reply = Reply(subject=subject)
        name = subject_name(turn, subject)
        for programme in programmes:
            funder = words.name(programme.funder_name) if programme.funder_name else ""
            key = "programme_of_funded" if funder else "programme_of"
            reply.add(
                words.say(key, name=name, programme=words.name(programme.name), funder=funder)
            ).cite(programme.source)
            if programme.part_of and (framework := kb.programme(programme.part_of, turn.lang)):
                reply.add(
                    words.say(
                        "programme_part_of",
                        name=words.name(programme.name),
                        framework=words.name(framework.name),
                    )
                )
        return reply


class AnswerDuration(AnswerAction):
    """How long: a selected project's grant period, a programme's duration or period, an
    event's time span."""

    intent = "ask_duration"
    kinds = ("programme", "call", "organisation", "event", "contact", "place")
    preferred = ("programme", "call", "event")

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        kb, words = turn.kb, turn.words
        if subject.kind != "event" and asks_for_amount(turn.text):
            # "how much over four years?" names the duration and asks for the money
            return AnswerFunding().answer(turn, subject)
        if subject.kind == "event" and (event := kb.event(subject.id, turn.lang)):
            if event.start is None:
                return unknown_fact(turn, subject, "what_duration").cite(event.source)
            span = words.span(event.start, event.end)
            return (
                Reply(subject=subject)
                .add(words.say("event_when", title=words.text(event.title), when=span))
                .cite(event.source)
            )
        if subject.kind == "organisation":
            projects = [(c, p) for c, p in projects_of(turn, subject.id) if p.period_years]
            if projects:
                reply = Reply(subject=subject)
                for call, project in projects:
                    line = words.say(
                        "project_period",
                        project.period_years,
                        project=words.name(project.project),
                        amount=words.money(project.amount),
                    )
                    reply.add(line).cite(call.source)
                return reply
        programmes = self._programmes(turn, subject)
        reply = Reply(subject=subject)
        for programme in programmes:
            name = words.name(programme.name)
            if programme.duration_years:
                reply.add(words.say("duration_years", programme.duration_years, name=name))
            elif programme.period_start is not None or programme.period_end is not None:
                reply.add(
                    words.say(
                        "programme_period",
                        name=name,
                        start=words.when(programme.period_start),
                        end=words.when(programme.period_end),
                    )
                )
            else:
                continue
            reply.cite(programme.source)
        if reply.lines:
            return reply
        calls = calls_about(turn, subject) if subject.kind in ("call", "place") else []
        if len(calls) == 1 and calls[0].year is not None:
            # "Is the Moroccan call for several years or just one?": what is known is its year.
            call = calls[0]
            unknown = unknown_fact(turn, Subject("call", call.id), "what_duration")
            year = words.say("call_of_year", call=words.text(call.title), year=call.year)
            unknown.lines.insert(1, year)
            return unknown.cite(call.source)
        return unknown_fact(turn, subject, "what_duration")

    @staticmethod
    def _programmes(turn: Turn, subject: Subject) -> list[ProgrammeView]:
        kb = turn.kb
        if subject.kind == "programme":
            found = kb.programme(subject.id, turn.lang)
            return [found] if found else []
        ids = dict.fromkeys(c.programme_id for c in calls_about(turn, subject) if c.programme_id)
        if subject.kind == "organisation":
            ids.update(dict.fromkeys(kb.programmes_funded_by(subject.id)))
        return [p for i in ids if (p := kb.programme(i, turn.lang))]
