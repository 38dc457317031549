"""Open questions about one known subject, answered from its own sentences.

"Tell me about X" describes X; "what will X develop?", or any question about X that no answer
type covers (intent `out_of_scope`, or too unsure to name one), gets the sentences of X's own
texts that best match the question (`KnowledgeBase.passages`, BM25 over Snowball stems), in the
conversation's language where a translation exists, with the source. A question about X that
none of X's sentences answers is "unknown" with who would know, never a template about
something else; a message that names nothing known gets the domain's usual reply.
"""

from __future__ import annotations

from dataclasses import replace

from actions.base import AnswerAction, Reply, Turn
from actions.contacts import contact_line, unknown_fact
from actions.history import previous_question
from actions.passages import ignored_words, passages_reply
from actions.places import place_label
from actions.records import as_organisation, subject_name
from actions.subject import (
    ALL_KINDS,
    MENTION_SCORE,
    Subject,
    candidates,
    context_subject,
    resolve,
)
from actions.vocabulary import asks_where, kinds_named, points_to_a_person, purpose_cues
from knowledge.query.passages import question_terms
from knowledge.text import fold


def describe(turn: Turn, subject: Subject) -> Reply | None:
    """What a record is, briefly: kind and place, description, status; None if unknown."""
    kb, words, lang = turn.kb, turn.words, turn.lang
    reply = Reply(subject=subject)
    if subject.kind == "organisation" and (org := kb.organisation(subject.id, lang)):
        where = place_label(turn, org.places)
        suffix = words.say("describe_place_suffix", place=where) if where else ""
        reply.add(
            words.say(
                "describe_organisation",
                name=words.name(org.name),
                kind=words.kind(org.kind),
                place=suffix,
            )
        )
        return reply.add(words.text(org.description)).cite(org.source)
    if subject.kind == "call" and (call := kb.call(subject.id, lang, now=words.now)):
        issuer = words.name(call.issuer_name) if call.issuer_name else ""
        key = "describe_call" if issuer else "describe_call_no_issuer"
        reply.add(
            words.say(key, title=words.text(call.title), issuer=issuer, status=words.status(call))
        )
        return reply.add(words.text(call.who_may_apply)).cite(call.source)
    if subject.kind == "programme" and (programme := kb.programme(subject.id, lang)):
        funder = words.name(programme.funder_name) if programme.funder_name else ""
        key = "describe_programme" if funder else "describe_programme_no_funder"
        reply.add(
            words.say(key, name=words.name(programme.name), funder=funder),
            words.text(programme.description),
        )
        return reply.cite(programme.source)
    if subject.kind == "contact" and (contact := kb.contact(subject.id, lang)):
        return reply.add(contact_line(turn, contact)).cite(contact.source)
    if subject.kind == "event" and (event := kb.event(subject.id, lang)):
        when = words.span(event.start, event.end) or words.say("date_unknown")
        reply.add(words.say("event_when", title=words.text(event.title), when=when))
        return reply.add(words.text(event.description)).cite(event.source)
    if subject.kind == "service":
        target = as_organisation(turn, subject)
        return describe(turn, target) if target else None
    return None


class AnswerAbout(AnswerAction):
    """ "Tell me about X", "what is X", "what is the goal of X"."""

    intent = "ask_about"
    kinds = ALL_KINDS

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        if subject.kind == "place":
            from actions.questions import QUESTIONS

            return QUESTIONS["find_hub"].respond(turn, subject)
        reply = self._answer(turn, subject)
        if subject.kind == "service" and not reply.unknown:
            reply.lines.insert(0, _offered_by(turn, subject))
        elif turn.resolution is not None and not turn.resolution.names and not reply.unknown:
            # found by a word of its texts ("what is Gründerakademiet?"): whose texts these are
            name = subject_name(turn, subject)
            if name and fold(name) not in fold(" ".join(reply.lines)):
                reply.lines.insert(0, turn.words.say("about_record", name=name))
        return reply

    def _answer(self, turn: Turn, subject: Subject) -> Reply:
        found, cues = _best_passages(turn, subject)
        if found is not None and cues:
            # "what is X for?": what X is, then its sentences of aims
            described = describe(turn, subject) or Reply(subject=subject)
            said = fold(" ".join(described.lines))
            described.add(*[line for line in found.lines if fold(line) not in said])
            for source in found.sources:
                described.cite(source)
            return described
        if found is not None and self._asks_more_than_the_name(turn):
            return found
        described = describe(turn, subject)
        if described is None:
            return unknown_fact(turn, subject, "what_about")
        return described

    @staticmethod
    def _asks_more_than_the_name(turn: Turn) -> bool:
        """A question with words of its own besides the subject's name and kind words."""
        return bool(question_terms(turn.text, turn.lang, ignore=ignored_words(turn)))


class AnswerFallback(AnswerAction):
    """A message no answer type covers (out of scope, or too unsure to name an intent).

    If it names a known record (or follows one up), the best sentences of that record's own
    texts answer it; a question about a named record that none of its sentences answers is
    unknown, with who would know. Anything else gets the domain's reply for the intent
    (`utter_out_of_scope` or `utter_please_rephrase`), in the conversation's language.
    """

    intent = "out_of_scope"
    kinds = ALL_KINDS

    def name(self) -> str:
        return "action_fallback"

    def respond(
        self, turn: Turn, subject: Subject | None = None, *, follow_up: bool = True
    ) -> Reply:
        resolution = resolve(turn.kb, turn.tracker, self.kinds, follow_up=follow_up)
        turn = replace(turn, resolution=resolution)
        named = resolution.mentioned and resolution.subject is not None
        subject = resolution.subject
        if subject is None and resolution.choices:
            from actions.describe import DescribeSubject

            return DescribeSubject().choose(turn, resolution.choices)
        if named and subject.kind != "place" and asks_where(turn.text):
            # "in which area does X work?", not understood: where X is
            from actions.questions import QUESTIONS

            return QUESTIONS["ask_location"].answer(turn, subject)
        if subject is not None and subject.kind != "call" and "call" in kinds_named(turn.text):
            # "does the ministry have a call for clusters this year?", not understood: the calls
            # of what it names
            from actions.questions import QUESTIONS

            return QUESTIONS["list_calls"].answer(turn, subject)
        if subject is not None and subject.kind == "place":
            where_else = _where_else(turn)
            if where_else is not None:
                return where_else
        if subject is None or subject.kind == "place":
            return Reply(response=_default_response(turn))
        if not named:
            found = passages_reply(turn, subject, Reply(subject=subject))
            if found is None and subject.kind == "contact" and points_to_a_person(turn.text):
                return self.answer(turn, subject)  # "what else does he chair?"
            return found if found is not None else Reply(response=_default_response(turn))
        return self.answer(turn, subject)

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        """A named record: its best sentences, a description when the message is little more
        than its name, else unknown with who would know."""
        found, _cues = _best_passages(turn, subject)
        if found is not None:
            return found
        if _only_a_name(turn):
            described = describe(turn, subject)
            if described is not None:
                return described
        return unknown_fact(turn, subject, "what_that")


def _where_else(turn: Turn) -> Reply | None:
    """ "Where does Region Västerbotten have offices?" … "and in Brussels, anything there?":
    a place after a question of where an organisation is asks that question again."""
    from actions.questions import QUESTIONS

    context = context_subject(turn.tracker)
    if context is None or context.kind != "organisation":
        return None
    if previous_question(turn.tracker, ("ask_location",), latest=True) is None:
        return None
    return QUESTIONS["ask_location"].answer(turn, context)


def _offered_by(turn: Turn, subject: Subject) -> str:
    """ "Gründerakademiet is offered by Fabrikken Næringshage." ("" when unknown)."""
    provider = as_organisation(turn, subject)
    organisation = turn.kb.organisation(provider.id, turn.lang) if provider else None
    service = next(
        (s for s in (organisation.services if organisation else ()) if s.id == subject.id), None
    )
    if organisation is None or service is None:
        return ""
    words = turn.words
    return words.say(
        "service_offered_by",
        service=words.name(service.name),
        provider=words.name(organisation.name),
    )


def _best_passages(turn: Turn, subject: Subject) -> tuple[Reply | None, bool]:
    """The subject's sentences that best match the message; for a question of what it is
    for that no sentence matches by its own words, those that match with the words of aims
    (True then)."""
    found = passages_reply(turn, subject, Reply(subject=subject))
    cues = purpose_cues(turn.text)
    if found is not None or not cues:
        return found, False
    found = passages_reply(turn, subject, Reply(subject=subject), cues=cues)
    return found, found is not None


def _default_response(turn: Turn) -> str:
    """The domain's reply when nothing known is named: rephrase (unsure) or out of scope."""
    intent = (turn.tracker.latest_message.get("intent") or {}).get("name")
    return "utter_please_rephrase" if intent == "nlu_fallback" else "utter_out_of_scope"


def _only_a_name(turn: Turn) -> bool:
    """The message is little more than a record's name (an unknown word beside it)."""
    ranked = candidates(turn.kb, turn.text)
    return bool(ranked) and ranked[0].score >= MENTION_SCORE and len(turn.text.split()) <= 4
