"""From a subject to the records a question needs (the calls of a hub, its contacts, …).

Every lookup goes through `KnowledgeBase`; this module only follows the links between records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actions.subject import Subject
from knowledge.views import CallView, ContactView, Match

# More calls than this for one hub or place become a choice of the first ones.
MAX_CALLS = 20

if TYPE_CHECKING:
    from actions.base import Turn


def calls_about(turn: Turn, subject: Subject) -> list[CallView]:
    """The calls a subject stands for: itself, a programme's calls, or those of a hub."""
    kb, lang, now = turn.kb, turn.lang, turn.words.now
    ids: tuple[str, ...] = ()
    if subject.kind == "call":
        ids = (subject.id,)
    elif subject.kind == "programme":
        programme = kb.programme(subject.id, lang)
        ids = programme.call_ids if programme else ()
    elif subject.kind == "contact":
        contact = kb.contact(subject.id, lang)
        ids = contact.responsible_for if contact else ()
    elif subject.kind == "organisation":
        return calls_of_organisation(turn, subject.id)
    elif subject.kind == "place":
        return calls_in_place(turn, subject.id)
    return [call for call in (kb.call(id_, lang, now=now) for id_ in ids) if call is not None]


def calls_of_organisation(turn: Turn, organisation_id: str) -> list[CallView]:
    """The calls a hub issued, else those it was selected in, else the calls of the same
    announcement (a regional hub and the call that creates it, a ministry's division and its
    ministry's call)."""
    kb, lang, now = turn.kb, turn.lang, turn.words.now
    found = kb.calls(status=None, now=now, lang=lang, issuer=organisation_id, limit=MAX_CALLS)
    found = found or kb.calls(
        status=None, now=now, lang=lang, participant=organisation_id, limit=MAX_CALLS
    )
    if found:
        return found
    organisation = kb.organisation(organisation_id, lang)
    if organisation is None:
        return []
    return kb.calls(status=None, now=now, lang=lang, source=organisation.source.id, limit=MAX_CALLS)


def calls_in_place(turn: Turn, place_id: str) -> list[CallView]:
    """Calls issued by, or selecting, organisations of a country, region or municipality."""
    return turn.kb.calls(
        status=None, now=turn.words.now, lang=turn.lang, place=place_id, limit=MAX_CALLS
    )


def call_matches(calls: list[CallView]) -> list[Match]:
    return [Match("call", call.id, call.title.value, 1.0) for call in calls]


def contacts_about(turn: Turn, subject: Subject) -> list[ContactView]:
    """Who answers for a subject (the knowledge base falls back to its issuer or parent)."""
    if subject.kind == "contact":
        contact = turn.kb.contact(subject.id, turn.lang)
        return [contact] if contact else []
    return turn.kb.contacts_for(subject.id, turn.lang)


def subject_name(turn: Turn, subject: Subject) -> str:
    """The display name of any subject, in the conversation's language where translated."""
    kb, lang = turn.kb, turn.lang
    if subject.kind == "call":
        call = kb.call(subject.id, lang)
        return turn.words.text(call.title) if call else subject.id
    if subject.kind == "organisation":
        organisation = kb.organisation(subject.id, lang)
        return turn.words.name(organisation.name) if organisation else subject.id
    if subject.kind == "programme":
        programme = kb.programme(subject.id, lang)
        return turn.words.name(programme.name) if programme else subject.id
    if subject.kind == "contact":
        contact = kb.contact(subject.id, lang)
        return (contact.person or subject.id) if contact else subject.id
    # A place ("municipality:lycksele"): its folded name, capitalised as names are.
    return (subject.id.partition(":")[2] or subject.id).title()
