"""Questions about a hub or organisation: its services, whom to contact, a person, its events."""

from __future__ import annotations

from datetime import timedelta

from actions.base import AnswerAction, Reply, Turn
from actions.contacts import contact_line, unknown_fact
from actions.dates_said import days_named
from actions.history import previous_question
from actions.passages import passages_reply
from actions.records import as_organisation, contacts_about, organisations_held, subject_name
from actions.subject import Subject, shares_a_word
from actions.vocabulary import asks_for_members, kinds_named
from knowledge.names import stopwords, tokens
from knowledge.views import EventView, OrganisationView, ServiceView, When


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
    people = [contact for contact in contacts if contact.person]
    if len(people) == 1:
        reply.person = Subject("contact", people[0].id)
    return reply


class AnswerServices(AnswerAction):
    """What an organisation offers; a member without services of its own points to the group
    whose services it shares."""

    intent = "ask_services"
    kinds = ("organisation", "service", "call", "contact", "event", "programme")
    group_call = False  # a call offers no services: tied gardens are a choice

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        kb, words = turn.kb, turn.words
        if asks_for_members(turn.text):
            # "what kind of people does the meeting space bring together?": who, not what
            from actions.questions import QUESTIONS

            return QUESTIONS["ask_members"].answer(turn, subject)
        target = as_organisation(turn, subject) or subject
        organisation = (
            kb.organisation(target.id, turn.lang) if target.kind == "organisation" else None
        )
        if organisation is None:
            return unknown_fact(turn, subject, "what_services")
        name = words.name(organisation.name)
        reply = Reply(subject=target).cite(organisation.source)
        if organisation.services:
            reply.add(words.say("services_intro", name=name))
            reply.add(*words.bullets([self._service(turn, s) for s in organisation.services]))
            return self._of_members(turn, organisation, reply)
        if self._of_members(turn, organisation, reply).lines:  # a platform of desks
            return reply
        parent = (
            kb.organisation(organisation.parent_id, turn.lang) if organisation.parent_id else None
        )
        if parent is not None and parent.services:
            reply.add(words.say("services_of_group", name=name, group=words.name(parent.name)))
            reply.add(*words.bullets([self._service(turn, s) for s in parent.services]))
            return reply.cite(parent.source)
        found = passages_reply(turn, target, Reply(subject=target))
        if found is not None:  # its own texts say what it does, though no service is listed
            return found
        for launched in self._launched(turn, organisation.id):
            # "can I get an office through Coompanion?": what the arena it launched offers
            reply.add(
                words.say("services_of_launched", name=name, launched=words.name(launched.name))
            )
            reply.add(*words.bullets([self._service(turn, s) for s in launched.services]))
            return reply.cite(launched.source)
        return unknown_fact(turn, target, "what_services").cite(organisation.source)

    @staticmethod
    def _launched(turn: Turn, organisation_id: str) -> list[OrganisationView]:
        """What an organisation took the initiative for, owns or runs, that offers services."""
        held = organisations_held(turn, organisation_id)
        return [o for o in turn.kb.organisations(held, turn.lang) if o.services]

    @staticmethod
    def _of_members(turn: Turn, organisation: OrganisationView, reply: Reply) -> Reply:
        """What its members (a platform's desks, a group's gardens) offer, one line each, and the
        fields it works in."""
        words = turn.words
        lines = [
            words.say(
                "service_with_description",
                name=words.name(member.name),
                description=words.join([words.text(s.name) for s in member.services]),
            )
            for member in turn.kb.organisations(list(organisation.members), turn.lang)
            if member.services
        ]
        if lines:
            reply.add(words.say("services_of_members"), *words.bullets(lines))
        if organisation.sectors and reply.lines:
            sectors = words.join([words.text(sector) for sector in organisation.sectors])
            reply.add(words.say("services_sectors", sectors=sectors))
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
    kinds = ("contact", "organisation", "call", "programme", "event", "service")
    preferred = ("contact",)

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        return contacts_reply(turn, subject, "contact_intro")


class Handoff(AnswerAction):
    """ "Talk to a person": the responsible contact of the hub or call being discussed."""

    intent = "human_handoff"
    kinds = ("organisation", "call", "programme", "contact", "event")

    def name(self) -> str:
        return "action_handoff"

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        return contacts_reply(turn, subject, "handoff_intro")

    def without_subject(self, turn: Turn) -> Reply:
        return Reply().add(turn.words.say("handoff_no_subject"))


class AnswerEvents(AnswerAction):
    intent = "ask_events"
    kinds = ("event", "organisation", "place", "call", "contact")
    preferred = ("event",)

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        kb, words = turn.kb, turn.words
        if subject.kind == "event":
            event = kb.event(subject.id, turn.lang)
            events = [event] if event else []
            return self._list(turn, events, Reply(subject=subject))
        target = subject if subject.kind == "place" else (as_organisation(turn, subject) or subject)
        events = kb.events_for(target.id, turn.lang)
        name = subject_name(turn, target)
        reply = Reply(subject=target)
        if not events and target.kind == "organisation":
            # None of its own: the events of what it launched or is made of (the arena
            # Coompanion initiated holds the dialogue meeting).
            for related in self._related(turn, target.id):
                events = kb.events_for(related, turn.lang)
                if events:
                    target = Subject("organisation", related)
                    name = subject_name(turn, target)
                    reply = Reply(subject=target)
                    break
        if not events and previous_question(turn.tracker, ("ask_deadline",), latest=True):
            # "closing date?" then "what time?": the hour of that deadline, not an event
            from actions.call_questions import AnswerDeadline

            return AnswerDeadline().answer(turn, subject)
        if not events:
            return self._no_events(turn, target, name, reply)
        named = self._named_in_message(turn, events, name)
        if len(named) == 1:  # "the dialogträff in Lycksele": that one of Lycksele's events
            events = named
        on_day = self._on_days_named(turn, events)
        if on_day:  # "what is on in Lycksele on 31 May?": that day's
            events = on_day
        if len(events) == 1:
            reply.subject = Subject("event", events[0].id)
        return self._list(turn, events, reply.add(words.say("events_intro", name=name)))

    @staticmethod
    def _named_in_message(turn: Turn, events: list[EventView], owner: str) -> list[EventView]:
        """The events whose title (in the asked language or the source's) shares a word with
        the message, besides the words that name the place or organisation they belong to."""
        names = [owner, *(turn.resolution.names if turn.resolution else ())]
        owner_words = {w for name in names for w in tokens(name)}
        words = {w for w in tokens(turn.text) if w not in stopwords()}
        words = {w for w in words if not shares_a_word({w}, " ".join(owner_words))}
        return [
            event
            for event in events
            if words
            and shares_a_word(
                words, " ".join(tokens(f"{event.title.value} {event.title.original or ''}"))
            )
        ]

    @staticmethod
    def _on_days_named(turn: Turn, events: list[EventView]) -> list[EventView]:
        """The events held on a day the message names (month and day; any year)."""
        days = set(days_named(turn.text))
        if not days:
            return []
        return [
            event
            for event in events
            if event.start is not None
            and any(
                (month, day) in days
                for month, day in _days_spanned(event.start, event.end or event.start)
            )
        ]

    @staticmethod
    def _related(turn: Turn, organisation_id: str) -> list[str]:
        """What an organisation launched, owns or runs, its parts, and what it is a member of
        (the region in the arena whose dialogue meeting is asked about)."""
        held = organisations_held(turn, organisation_id)
        kb = turn.kb
        return list(
            dict.fromkeys([*held, *kb.parts_of(organisation_id), *kb.member_of(organisation_id)])
        )

    def _no_events(self, turn: Turn, target: Subject, name: str, reply: Reply) -> Reply:
        """No dated event: the meetings and seminars among its services, else what its own
        texts say of them, else none recorded."""
        words = turn.words
        if target.kind == "place":
            return reply.add(words.say("no_events", name=name))
        organisation = turn.kb.organisation(target.id, turn.lang)
        meetings = [
            s
            for s in (organisation.services if organisation else ())
            if "event" in kinds_named(s.name.value)
        ]
        if meetings:
            reply.add(words.say("no_events", name=name), words.say("events_as_services", name=name))
            reply.add(*words.bullets([AnswerServices._service(turn, s) for s in meetings]))
            return reply.cite(organisation.source)
        found = passages_reply(turn, target, reply)
        return found or reply.add(words.say("no_events", name=name))

    def without_subject(self, turn: Turn) -> Reply:
        events = turn.kb.events_for(None, turn.lang)
        if not events:
            return Reply(unknown=True).add(turn.words.say("no_events_all"))
        return self._list(turn, events, Reply().add(turn.words.say("events_intro_all")))

    @staticmethod
    def _list(turn: Turn, events: list[EventView], reply: Reply) -> Reply:
        words = turn.words
        for event in events:
            place = event.place
            where = [words.name(place.name), place.municipality or ""] if place else []
            if where and where[0] == where[1]:
                where.pop()
            when = words.span(event.start, event.end) or words.say("date_unknown")
            line = words.join([words.text(event.title), when, *where])
            reply.add(words.say("list_item", text=line)).cite(event.source)
        if len(events) == 1 and events[0].description is not None:
            reply.add(words.text(events[0].description))
        return reply


def _days_spanned(start: When, end: When) -> list[tuple[int, int]]:
    """(month, day) of each day from ``start`` to ``end`` where both days are known."""
    if start.date is None:
        return []
    last = end.date if end.date is not None and end.date >= start.date else start.date
    days = []
    day = start.date
    while day <= last and len(days) < MAX_EVENT_DAYS:
        days.append((day.month, day.day))
        day += timedelta(days=1)
    return days


#: the longest event whose days are matched one by one
MAX_EVENT_DAYS = 31
