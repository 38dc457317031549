"""Wording of contacts, and of "unknown: ask this person" — shared by every answer."""

from __future__ import annotations

from actions.base import Reply, Turn
from actions.records import contacts_about, subject_name
from actions.subject import Subject
from knowledge.views import ContactView


def contact_details(turn: Turn, contact: ContactView) -> str:
    """ "phone 070-666 49 95, e-mail thomas.hartman@…" """
    words = turn.words
    parts = []
    if contact.phones:
        phones = words.join(list(contact.phones))
        parts.append(words.say("contact_phone", len(contact.phones), phones=phones))
    if contact.email:
        parts.append(words.say("contact_email", email=contact.email))
    return words.join(parts)


def contact_name(turn: Turn, contact: ContactView) -> str:
    """The person with their role, or the desk/organisation when no person is named."""
    words = turn.words
    who = contact.person or words.name(contact.organisation_name) or words.text(contact.role)
    if contact.person and contact.role is not None:
        return words.say("contact_person_role", person=who, role=words.text(contact.role))
    return who


def contact_line(turn: Turn, contact: ContactView) -> str:
    details = contact_details(turn, contact)
    return turn.words.join([contact_name(turn, contact), details])


def unknown_fact(turn: Turn, subject: Subject, what_key: str) -> Reply:
    """ "The knowledge base does not say … for X." and who would know (never a guess)."""
    words = turn.words
    reply = Reply(subject=subject)
    name = subject_name(turn, subject)
    reply.add(words.say("unknown_fact", what=words.say(what_key), name=name))
    contacts = contacts_about(turn, subject)
    if contacts:
        contact = contacts[0]
        reply.add(words.say("ask_contact_hint", contact=contact_name(turn, contact),
                            details=contact_details(turn, contact)))  # fmt: skip
        reply.cite(contact.source)
    else:
        reply.add(words.say("no_contact_hint"))
    return reply
