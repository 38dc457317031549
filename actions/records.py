"""From a subject to the records a question needs: the calls of a hub, a call's issuer, …

Every lookup goes through `KnowledgeBase`; this module only follows the links between records.
A question about one kind of record asked of another ("what does it offer?" after a call) is
answered about the record the subject stands for (the call's issuer), never by looking the
call's id up as a hub.
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
        ids = (
            tuple(i for i in contact.responsible_for if kb.kind_of(i) == "call") if contact else ()
        )
        if not ids and contact and contact.organisation_id:
            return calls_of_organisation(turn, contact.organisation_id)
    elif subject.kind in ("organisation", "service", "event"):
        organisation = organisation_of(turn, subject)
        return calls_of_organisation(turn, organisation) if organisation else []
    elif subject.kind == "place":
        return calls_in_place(turn, subject.id)
    return [call for call in (kb.call(id_, lang, now=now) for id_ in ids) if call is not None]


def calls_of_organisation(turn: Turn, organisation_id: str) -> list[CallView]:
    """The calls a hub issued, else those it was selected in, else the calls of the programmes
    it funds, else the calls of the same announcement (a regional hub and the call that creates
    it, a ministry's division and its ministry's call)."""
    kb, lang, now = turn.kb, turn.lang, turn.words.now
    found = kb.calls(status=None, now=now, lang=lang, issuer=organisation_id, limit=MAX_CALLS)
    found = found or kb.calls(
        status=None, now=now, lang=lang, participant=organisation_id, limit=MAX_CALLS
    )
    for programme in [] if found else kb.programmes_funded_by(organisation_id):
        found += kb.calls(status=None, now=now, lang=lang, programme=programme, limit=MAX_CALLS)
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


def organisation_of(turn: Turn, subject: Subject) -> str | None:
    """The organisation a subject stands for: itself, a call's issuer (else its programme's
    funder), a programme's funder, a contact's organisation, an event's organiser, a service's
    provider."""
    kb, lang = turn.kb, turn.lang
    if subject.kind == "organisation":
        return subject.id
    if subject.kind == "call" and (call := kb.call(subject.id, lang)):
        if call.issuer_id:
            return call.issuer_id
        programme = kb.programme(call.programme_id, lang) if call.programme_id else None
        return programme.funder_id if programme else None
    if subject.kind == "programme" and (programme := kb.programme(subject.id, lang)):
        return programme.funder_id
    if subject.kind == "contact" and (contact := kb.contact(subject.id, lang)):
        return contact.organisation_id
    if subject.kind == "event" and (event := kb.event(subject.id, lang)):
        return event.organiser_id
    if subject.kind == "service":
        return kb.service_provider(subject.id)
    return None


def as_organisation(turn: Turn, subject: Subject) -> Subject | None:
    organisation = organisation_of(turn, subject)
    return Subject("organisation", organisation) if organisation else None


def contacts_about(turn: Turn, subject: Subject) -> list[ContactView]:
    """Who answers for a subject (the knowledge base falls back to its issuer or parent)."""
    if subject.kind == "contact":
        contact = turn.kb.contact(subject.id, turn.lang)
        return [contact] if contact else []
    if subject.kind in ("event", "service"):
        organisation = organisation_of(turn, subject)
        return turn.kb.contacts_for(organisation, turn.lang) if organisation else []
    return turn.kb.contacts_for(subject.id, turn.lang)


def subject_name(turn: Turn, subject: Subject) -> str:
    """The display name of any subject, in the conversation's language where translated."""
    kb, lang, words = turn.kb, turn.lang, turn.words
    if subject.kind == "call" and (call := kb.call(subject.id, lang)):
        return words.text(call.title)
    if subject.kind == "organisation" and (organisation := kb.organisation(subject.id, lang)):
        return words.name(organisation.name)
    if subject.kind == "programme" and (programme := kb.programme(subject.id, lang)):
        return words.name(programme.name)
    if subject.kind == "contact" and (contact := kb.contact(subject.id, lang)):
        return contact.person or words.text(contact.role)
    if subject.kind == "event" and (event := kb.event(subject.id, lang)):
        return words.text(event.title)
    if subject.kind == "service" and (provider := kb.service_provider(subject.id)):
        return subject_name(turn, Subject("organisation", provider))
    if subject.kind == "place":
        return words.place(kb.place_ref(subject.id, lang))
    return subject.id


def organisations_held(turn: Turn, organisation_id: str) -> list[str]:
    """The organisations in which one holds a role: what it launched, owns, runs, chairs …"""
    held = turn.kb.roles_held(organisation_id, turn.lang)
    return list(
        dict.fromkeys(record for _role, kind, record, _name in held if kind == "organisation")
    )


def common_record(turn: Turn, matches: tuple[Match, ...], *, calls: bool = True) -> Subject | None:
    """The record that several tied organisations stand for together: their common parent
    ("Senja, Halti and Næringshage Nord" → their joint project; "the desks" → the platform),
    else, for a question about calls (``calls``), the one call of the document they all come
    from ("the business gardens' grants"). Several people named together stand for the one
    record they all hold a role in ("the platform of Demotte, De Clerck and Aubry"); a
    programme tied with organisations of its own announcement stands for them all."""
    if len(matches) >= 2 and all(m.kind == "contact" for m in matches):
        return _held_by_all(turn, matches)
    programmes = [m for m in matches if m.kind == "programme"]
    if len(programmes) == 1 and len(matches) >= 2:
        # "the regional innovation poles": the programme, not also the network its
        # announcement creates
        programme = turn.kb.programme(programmes[0].id, "en")
        others = turn.kb.organisations([m.id for m in matches if m.kind == "organisation"], "en")
        if (
            programme is not None
            and len(others) == len(matches) - 1
            and all(programme.id in o.programmes or o.source.id == programme.source.id
                    for o in others)
        ):  # fmt: skip
            return Subject("programme", programme.id)
    if len(matches) < 2 or any(m.kind != "organisation" for m in matches):
        return None
    organisations = turn.kb.organisations([m.id for m in matches], turn.lang)
    if len(organisations) != len(matches):
        return None
    parents = {o.parent_id for o in organisations}
    if len(parents) == 1 and None not in parents:
        return Subject("organisation", parents.pop())
    sources = {o.source.id for o in organisations}
    if calls and len(matches) >= 3 and len(sources) == 1:
        found = turn.kb.calls(
            status=None, now=turn.words.now, lang=turn.lang, source=sources.pop(), limit=2
        )
        if len(found) == 1:
            return Subject("call", found[0].id)
    return None


def _held_by_all(turn: Turn, people: tuple[Match, ...]) -> Subject | None:
    """The one record in which every one of ``people`` holds a role (initiator, chair …)."""
    held = [
        {(kind, record) for _role, kind, record, _name in turn.kb.roles_held(p.id, turn.lang)}
        for p in people
    ]
    common = set.intersection(*held) if held else set()
    if len(common) != 1:
        return None
    kind, record = common.pop()
    return Subject(kind, record)
