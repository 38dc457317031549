"""Wording of contacts, and of "unknown: ask this person" — shared by every answer."""

from __future__ import annotations

from actions.base import Reply, Turn
from actions.passages import STRONG_PASSAGE_SCORE, cued_passage_reply, passages_reply
from actions.records import calls_about, contacts_about, subject_name
from actions.subject import Subject
from actions.vocabulary import location_cues
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


def contact_line(turn: Turn, contact: ContactView, *, details: bool = True) -> str:
    """The contact's name and role, with phone and e-mail unless ``details`` is False."""
    parts = [contact_name(turn, contact)]
    if details:
        parts.append(contact_details(turn, contact))
    return turn.words.join(parts)


#: a person's role must share this many more of the question's words than any other's
ROLE_FIT_LEAD = 1


def role_fits(
    turn: Turn, people: list[ContactView], ignore: list[str]
) -> list[tuple[int, ContactView]]:
    """The people whose role (in the asked language or the source's) shares words with the
    question (without ``ignore``, the words naming its subject), most shared first."""
    from knowledge.query.passages import question_terms, terms

    asked = set(question_terms(turn.text, turn.lang, ignore=ignore))
    scored = []
    for contact in people:
        if not asked or not contact.person or contact.role is None:
            continue
        role = set(terms(contact.role.value, contact.role.lang))
        if contact.role.original:
            role |= set(terms(contact.role.original, contact.source.language))
        if shared := len(asked & role):
            scored.append((shared, contact))
    return sorted(scored, key=lambda pair: -pair[0])


def people_of(turn: Turn, organisation_id: str) -> list[ContactView]:
    """The named people of an organisation itself (not of its members)."""
    people = [c for c in turn.kb.contacts_for(organisation_id, turn.lang) if c.person]
    return [c for c in people if c.organisation_id == organisation_id]


def person_by_role(turn: Turn, people: list[ContactView]) -> ContactView | None:
    """Of an organisation's people, the one whose role the question describes ("who handles
    communication and external relations?" → the head of communications), when one role shares
    clearly more of the question's words than every other; else None."""
    from actions.passages import ignored_words

    scored = role_fits(turn, people, ignored_words(turn))
    if not scored:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < ROLE_FIT_LEAD:
        return None
    return scored[0][1]


def unknown_fact(turn: Turn, subject: Subject, what_key: str) -> Reply:
    """ "The knowledge base does not say … for X." and who would know (never a guess)."""
    words = turn.words
    name = subject_name(turn, subject)
    reply = Reply(subject=subject, unknown=True).add(
        words.say("unknown_fact", what=words.say(what_key), name=name)
    )
    # What the subject's own texts say closest to the question (its source's words, not a
    # neighbouring fact): "an Interreg IV project" for "which EU programme?".
    if subject.kind != "place":
        lead = len(reply.lines)
        # where is a place the records lack: the sentences that say where it works
        cues = location_cues() if what_key == "what_location" else ""
        if passages_reply(turn, subject, reply, limit=1, minimum=STRONG_PASSAGE_SCORE) or (
            cues and cued_passage_reply(turn, subject, reply, cues)
        ):
            reply.lines.insert(lead, words.say("source_says"))
        elif subject.kind == "contact" and (contact := turn.kb.contact(subject.id, turn.lang)):
            # What is recorded of a person is who they are: their roles, as the source words
            # them ("Minister … responsible for Maritime Affairs, MNA for …").
            profile = person_profile(turn, subject, contact)
            reply.add(words.say("source_says"), *profile.lines).cite(contact.source)
    return add_who_would_know(turn, subject, reply)


def person_profile(turn: Turn, subject: Subject, contact: ContactView) -> Reply:
    """Who a person is: their contact line with role, and the roles they hold in records."""
    words = turn.words
    reply = Reply(subject=subject, person=subject).cite(contact.source)
    reply.add(contact_line(turn, contact))
    for role, _kind, _id, record in turn.kb.roles_held(contact.id, turn.lang):
        reply.add(
            words.say(f"role_{role}", 1, holder=contact.person or "", name=words.name(record))
        )
    return reply


def add_who_would_know(turn: Turn, subject: Subject, reply: Reply) -> Reply:
    """Appends the contact who can answer what the knowledge base does not hold."""
    words = turn.words
    contact = who_would_know(turn, subject)
    if contact is None:
        return reply.add(words.say("no_contact_hint"))
    details = contact_details(turn, contact)
    name = contact_name(turn, contact)
    if details:
        reply.add(words.say("ask_contact_hint", contact=name, details=details))
    else:
        reply.add(words.say("ask_contact_hint_name", contact=name))
    return reply.cite(contact.source)


def who_would_know(turn: Turn, subject: Subject) -> ContactView | None:
    """The subject's own contact, else the contact of a call it takes part in: only one that can
    be reached (phone or e-mail); a quoted politician without either would know nothing useful."""
    contacts = contacts_about(turn, subject)
    if not contacts and subject.kind != "call":
        for call in calls_about(turn, subject):
            contacts = contacts_about(turn, Subject("call", call.id))
            if contacts:
                break
    reachable = [contact for contact in contacts if contact.phones or contact.email]
    return reachable[0] if reachable else None
