"""Questions about a hub or organisation: its services, whom to contact, a person, its events."""

from __future__ import annotations

from actions.base import AnswerAction, Reply, Turn
from actions.contacts import contact_line, unknown_fact
from actions.records import contacts_about, subject_name
from actions.subject import Subject
from knowledge.views import EventView, ServiceView


def contacts_reply(turn: Turn, subject: Subject, intro_key: str) -> Reply:
    """The contacts of a subject under an introduction, or "unknown" when there are none."""
    contacts = contacts_about(turn, subject)
    if not contacts:
        return unknown_fact(turn, subject, "what_contact")
    words = turn.words
    reply = Reply(subject=subject).add(words.say(intro_key, name=subject_name(turn, subject)))
    reply.add(*words.bullets([contact_line(turn, contact) for contact in contacts]))
    for contact in contacts:
        reply.cite(contact.source)
    return reply


class AnswerServices(AnswerAction):
    intent = "ask_services"
    kinds = ("organisation",)

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        words = turn.words
        organisation = turn.kb.organisation(subject.id, turn.lang)
        if organisation is None:
            return unknown_fact(turn, subject, "what_services")
        name = words.name(organisation.name)
        reply = Reply(subject=subject).cite(organisation.source)
        if organisation.services:
            reply.add(words.say("services_intro", name=name))
            reply.add(*words.bullets([self._service(turn, s) for s in organisation.services]))
        members = [turn.kb.organisation(id_, turn.lang) for id_ in organisation.members]
        names = [words.name(member.name) for member in members if member is not None]
        if names:
            reply.add(words.say("members_intro", name=name), *words.bullets(names))
        if not reply.lines:
            return unknown_fact(turn, subject, "what_services").cite(organisation.source)
        return reply

    @staticmethod
    def _service(turn: Turn, service: ServiceView) -> str:
        words = turn.words
        if service.description is None:
            return words.text(service.name)
        return words.say(
            "service_with_description",
            name=words.text(service.name),
            description=words.text(service.description),
        )


class AnswerContact(AnswerAction):
    intent = "ask_contact"
    kinds = ("organisation", "call", "programme", "contact")

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        return contacts_reply(turn, subject, "contact_intro")


class Handoff(AnswerAction):
    """ "Talk to a person": the responsible contact of the hub or call being discussed."""

    intent = "human_handoff"
    kinds = ("organisation", "call", "programme")

    def name(self) -> str:
        return "action_handoff"

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        return contacts_reply(turn, subject, "handoff_intro")

    def without_subject(self, turn: Turn) -> Reply:
        return Reply().add(turn.words.say("handoff_no_subject"))


class AnswerEvents(AnswerAction):
    intent = "ask_events"
    kinds = ("organisation", "event", "place", "call")

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        words = turn.words
        events = turn.kb.events_for(subject.id, turn.lang)
        name = subject_name(turn, subject)
        reply = Reply(subject=subject)
        if not events:
            return reply.add(words.say("no_events", name=name))
        return self._list(turn, events, reply.add(words.say("events_intro", name=name)))

    def without_subject(self, turn: Turn) -> Reply:
        events = turn.kb.events_for(None, turn.lang)
        return self._list(turn, events, Reply().add(turn.words.say("events_intro_all")))

    @staticmethod
    def _list(turn: Turn, events: list[EventView], reply: Reply) -> Reply:
        words = turn.words
        for event in events:
            place = event.place
            where = [words.name(place.name), place.municipality or ""] if place else []
            if where and where[0] == where[1]:
                where.pop()
            line = words.join([words.text(event.title), words.span(event.start, event.end), *where])
            reply.add(words.say("list_item", text=line)).cite(event.source)
        return reply
