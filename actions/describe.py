"""What a bare name stands for, and the answer to a question once its subject is chosen."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import PENDING_SLOT, AnswerAction, Reply, Turn
from actions.contacts import contact_line
from actions.discovery import place_label
from actions.questions import QUESTIONS
from actions.subject import Subject, chosen_subject, resolve

ALL_KINDS = ("organisation", "call", "programme", "contact", "event", "place")


class DescribeSubject(AnswerAction):
    """A bare name ("DigiHub", "Voss"), or a choice clicked in a list.

    A click answers the question that was waiting for it (the `pending_intent` slot); a name on
    its own is described briefly, with what else can be asked about it.
    """

    intent = "inform"
    kinds = ALL_KINDS

    def name(self) -> str:
        return "action_describe_subject"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        pending = QUESTIONS.get(tracker.get_slot(PENDING_SLOT) or "")
        chosen = chosen_subject(tracker)
        if pending is not None and chosen is not None:
            return pending.reply_to(dispatcher, tracker, chosen)
        return self.reply_to(dispatcher, tracker, subject=None)

    def respond(self, turn: Turn, subject: Subject | None = None) -> Reply:
        if subject is None:
            resolution = resolve(turn.kb, turn.tracker, self.kinds, follow_up=False)
            if resolution.choices:
                return self.choose(turn, resolution.choices)
            subject = resolution.subject
        if subject is None:
            return Reply().add(turn.words.say("not_found", examples=self._examples(turn)))
        return self.answer(turn, subject)

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        words, kb, lang = turn.words, turn.kb, turn.lang
        reply = Reply(subject=subject)
        if subject.kind == "place":
            return QUESTIONS["find_hub"].respond(turn, subject)
        if subject.kind == "organisation" and (org := kb.organisation(subject.id, lang)):
            where = place_label(turn, org)
            suffix = words.say("describe_place_suffix", place=where) if where else ""
            reply.add(words.say("describe_organisation", name=words.name(org.name),
                                kind=words.kind(org.kind), place=suffix))  # fmt: skip
            reply.add(words.text(org.description)).cite(org.source)
        elif subject.kind == "call" and (call := kb.call(subject.id, lang, now=words.now)):
            issuer = words.name(call.issuer_name) if call.issuer_name else ""
            reply.add(words.say("describe_call", title=words.text(call.title), issuer=issuer,
                                status=words.status(call))).cite(call.source)  # fmt: skip
        elif subject.kind == "programme" and (programme := kb.programme(subject.id, lang)):
            funder = words.name(programme.funder_name) if programme.funder_name else ""
            reply.add(words.say("describe_programme", name=words.name(programme.name),
                                funder=funder), words.text(programme.description))  # fmt: skip
            reply.cite(programme.source)
        elif subject.kind == "contact" and (contact := kb.contact(subject.id, lang)):
            reply.add(contact_line(turn, contact)).cite(contact.source)
        elif subject.kind == "event":
            return QUESTIONS["ask_events"].answer(turn, subject)
        else:
            return Reply().add(words.say("not_found", examples=self._examples(turn)))
        return reply.add(words.say("more_questions"))

    @staticmethod
    def _examples(turn: Turn) -> str:
        names = [match.name for match in turn.kb.search("hub", kinds=("organisation",), limit=3)]
        return turn.words.join(names)
