"""Facts of one hub, organisation, person, place or event that no call holds: where it is, when
it was founded, who runs it, what it is made of, how many, its website, its other names.

Every answer reads the fact from the knowledge base and cites its source; a record without the
fact gets "unknown" and who would know, never a neighbouring fact.
"""

from __future__ import annotations

from actions.base import AnswerAction, Reply, Turn, unsure_intent
from actions.contacts import (
    contact_line,
    people_of,
    person_by_role,
    person_profile,
    role_fits,
    unknown_fact,
)
from actions.discovery import only_hub, place_filter
from actions.history import previous_question, previous_text
from actions.passages import PASSAGE_SCORE, passages_reply
from actions.places import organisation_places, place_label
from actions.records import as_organisation, calls_about, subject_name
from actions.subject import Subject, shares_a_word
from actions.vocabulary import (
    asks_who_is_in,
    counted_words,
    figures_named,
    kinds_named,
    roles_named,
)
from knowledge.names import tokens
from knowledge.validation.checker import FIGURES as STATED_FIGURES
from knowledge.views import OrganisationView, RoleView


def only_person(contact_ids: list[str | None]) -> Subject | None:
    """The person an answer is about when it names exactly one."""
    ids = {i for i in contact_ids if i}
    return Subject("contact", ids.pop()) if len(ids) == 1 else None


def _subject_words(turn: Turn) -> list[str]:
    """Words of the message that only name its subject."""
    return list(turn.resolution.names) if turn.resolution else []


ORGANISATION_FIRST = ("organisation", "contact", "event", "call", "programme", "place", "service")
#: member kinds a "which clusters / desks / gardens" question can ask for
MEMBER_KIND_WORDS = {
    "desk": ("desk",),
    "thematic_cluster": ("thematic_cluster",),
    "cluster": ("thematic_cluster", "cluster"),
    "business_garden": ("business_garden",),
    "online_platform": ("online_platform",),
    "innovation_platform": ("innovation_platform", "online_platform"),
}


class OrganisationFact(AnswerAction):
    """A question answered from an organisation's own record (a call, contact, event or service
    stands for its organisation)."""

    kinds = ORGANISATION_FIRST

    def organisation(self, turn: Turn, subject: Subject) -> OrganisationView | None:
        target = as_organisation(turn, subject)
        return turn.kb.organisation(target.id, turn.lang) if target else None


#: eligibility rule fields that say where a call's applicants must be
PLACE_FIELDS = ("country", "region", "municipality")


class AnswerLocation(OrganisationFact):
    intent = "ask_location"

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        kb, words = turn.kb, turn.words
        if subject.kind == "place":
            return self._place(turn, subject)
        if subject.kind == "event" and (event := kb.event(subject.id, turn.lang)):
            if event.place is None:
                return unknown_fact(turn, subject, "what_location").cite(event.source)
            where = [words.name(event.place.name), event.place.municipality or ""]
            if where[0] == where[1]:
                where.pop()
            return (
                Reply(subject=subject)
                .add(
                    words.say(
                        "event_place",
                        title=words.text(event.title),
                        place=words.join(where),
                        when=words.span(event.start, event.end),
                    )
                )
                .cite(event.source)
            )
        if subject.kind == "call" and (area := self._call_area(turn, subject)) is not None:
            return area
        organisation = self.organisation(turn, subject)
        if organisation is None:
            return unknown_fact(turn, subject, "what_location")
        target = Subject("organisation", organisation.id)
        places = organisation_places(turn, organisation)
        name = words.name(organisation.name)
        reply = Reply(subject=target)
        if places:
            reply.add(words.say("located_in", name=name, place=place_label(turn, places)))
        if organisation.address is not None:
            reply.add(words.say("address", address=words.name(organisation.address)))
        if reply.lines:
            reply.add(*self._groups_elsewhere(turn, organisation, places))
        if not reply.lines:
            return unknown_fact(turn, target, "what_location").cite(organisation.source)
        return reply.cite(organisation.source)

    @staticmethod
    def _groups_elsewhere(turn: Turn, organisation: OrganisationView, places) -> list[str]:
        """The groups it is part of that sit somewhere else ("… and through Norra Sveriges
        representation, in Brussels"): where else it is present."""
        words, kb = turn.words, turn.kb
        own = {p.id for p in places}
        lines = []
        for group in kb.organisations(list(kb.member_of(organisation.id)), turn.lang):
            there = organisation_places(turn, group)
            if there and not own & {p.id for p in there}:
                lines.append(words.say("part_of_located", group=words.name(group.name),
                                       place=place_label(turn, there)))  # fmt: skip
        return lines

    @staticmethod
    def _call_area(turn: Turn, subject: Subject) -> Reply | None:
        """Where a call is for: the places its eligibility rules require ("which region does
        the poles' call concern?" → Bas-Saint-Laurent), not where its issuer sits."""
        kb, words = turn.kb, turn.words
        call = kb.call(subject.id, turn.lang)
        if call is None:
            return None
        places = []
        for criterion in call.criteria:
            if criterion.field not in PLACE_FIELDS or criterion.op not in ("eq", "in"):
                continue
            values = criterion.value if isinstance(criterion.value, list) else [criterion.value]
            for value in values:
                place_id = kb.place_id(str(value), criterion.field)
                if place_id:
                    places.append(words.place(kb.place_ref(place_id, turn.lang)))
        if not places:
            return None
        line = words.say("call_area", call=words.text(call.title), place=words.join(places))
        return Reply(subject=subject).add(line).cite(call.source)

    def _place(self, turn: Turn, subject: Subject) -> Reply:
        words = turn.words
        chain = turn.kb.place_chain(subject.id, turn.lang)
        if len(chain) < 2:
            return unknown_fact(turn, subject, "what_location")
        place, wider = chain[0], chain[1:]
        return Reply(subject=subject).add(
            words.say(
                "place_in",
                place=words.place(place),
                kind=words.say(f"place_kind_{place.kind}"),
                within=words.join([words.place(p) for p in wider]),
            )
        )


class AnswerFounded(OrganisationFact):
    intent = "ask_founded"
    kinds = ("organisation", "programme", "event", "call", "contact", "service", "place")

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        kb, words = turn.kb, turn.words
        if subject.kind == "call":
            # "when" of a call ("which year is the call for?", "when was it launched?"): its
            # dates, never its issuer's founding
            from actions.questions import QUESTIONS

            return QUESTIONS["ask_deadline"].answer(turn, subject)
        if subject.kind == "programme" and (programme := kb.programme(subject.id, turn.lang)):
            if programme.period_start is not None:
                return (
                    Reply(subject=subject)
                    .add(
                        words.say(
                            "programme_started",
                            name=words.name(programme.name),
                            when=words.when(programme.period_start),
                        )
                    )
                    .cite(programme.source)
                )
            return unknown_fact(turn, subject, "what_founded").cite(programme.source)
        organisation = self.organisation(turn, subject)
        if organisation is None:
            return unknown_fact(turn, subject, "what_founded")
        target = Subject("organisation", organisation.id)
        if organisation.founded is None:
            return unknown_fact(turn, target, "what_founded").cite(organisation.source)
        return (
            Reply(subject=target)
            .add(
                words.say(
                    "founded_on" if organisation.founded.date else "founded_in",
                    name=words.name(organisation.name),
                    when=words.when(organisation.founded),
                )
            )
            .cite(organisation.source)
        )


def role_lines(turn: Turn, roles: tuple[RoleView, ...], name: str) -> list[str]:
    """One sentence per role ("Philippe Luyten chairs FORUM."), holders of a role together."""
    words = turn.words
    by_role: dict[str, list[str]] = {}
    for role in roles:
        holder = holder_name(turn, role)
        if holder:
            by_role.setdefault(role.role, []).append(holder)
    return [
        words.say(f"role_{role}", len(holders), holder=words.join(holders), name=name)
        for role, holders in by_role.items()
    ]


def holder_name(turn: Turn, role: RoleView) -> str:
    """The holder with their role where a person holds it ("Philippe Luyten (chair of …)")."""
    words = turn.words
    if role.holder_kind == "contact" and role.holder_id:
        contact = turn.kb.contact(role.holder_id, turn.lang)
        if contact is not None and contact.person:
            return contact.person
    if role.holder_kind == "organisation":
        return words.name(role.holder_name)
    return words.text(role.holder_name)


class AnswerPeople(OrganisationFact):
    """Who coordinates, chairs, launched, runs, owns or funds something; who a person is."""

    intent = "ask_people"
    kinds = ("contact", "organisation", "programme", "call", "event", "service", "place")
    preferred = ("contact",)  # a person named in a "who" question is what it is about

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        kb, words = turn.kb, turn.words
        if subject.kind == "contact" and (contact := kb.contact(subject.id, turn.lang)):
            return self._person(turn, subject, contact)
        if subject.kind == "call" and (call := kb.call(subject.id, turn.lang)):
            asked = self._asked_role_behind(turn, call)
            if asked is not None:  # "which minister spoke about the grants?"
                return asked
            reply = Reply(subject=subject).cite(call.source)
            quoted = self._quoted(turn, call.source.id) if roles_named(turn.text) else []
            if quoted:  # "the minister responsible for the region": the one its source quotes
                reply.add(*words.bullets([contact_line(turn, c, details=False) for c in quoted]))
                reply.person = only_person([c.id for c in quoted])
                return reply
            if call.issuer_name is not None:
                reply.add(
                    words.say(
                        "call_issued_by",
                        call=words.text(call.title),
                        issuer=words.name(call.issuer_name),
                    )
                )
            programme = kb.programme(call.programme_id, turn.lang) if call.programme_id else None
            if programme is not None:
                self._programme(turn, programme, reply)
            return reply if reply.lines else unknown_fact(turn, subject, "what_people")
        if subject.kind == "programme" and (programme := kb.programme(subject.id, turn.lang)):
            reply = self._programme(turn, programme, Reply(subject=subject))
            return reply if reply.lines else unknown_fact(turn, subject, "what_people")
        if subject.kind == "place" and roles_named(turn.text):
            calls = calls_about(turn, subject)
            if len(calls) == 1:  # "who funds the garden projects in Norway?": its one call's
                return self.answer(turn, Subject("call", calls[0].id))
            if (hub := only_hub(turn, subject.id)) is not None:
                # "who will own it, in Lycksele?": the town's one hub
                return self.answer(turn, Subject("organisation", hub.id))
        organisation = self.organisation(turn, subject)
        if organisation is None:
            return unknown_fact(turn, subject, "what_people")
        return self._organisation(turn, organisation)

    def _organisation(self, turn: Turn, organisation: OrganisationView) -> Reply:
        words = turn.words
        target = Subject("organisation", organisation.id)
        reply = Reply(subject=target).cite(organisation.source)
        wanted = roles_named(turn.text)
        roles = tuple(r for r in organisation.roles if r.role in wanted) or organisation.roles
        name = words.name(organisation.name)
        reply.add(*role_lines(turn, roles, name))
        reply.person = only_person([r.holder_id for r in roles if r.holder_kind == "contact"])
        holders = {r.holder_id for r in roles if r.holder_kind == "organisation"}
        if len(roles) == 1 and len(holders) == 1:
            # "Who builds the network?" "The DigiHub." "Where is it based?": the DigiHub.
            reply.subject = Subject("organisation", holders.pop())
        if not reply.lines:
            people = people_of(turn, organisation.id)
            chosen = person_by_role(turn, people)
            if chosen is not None:  # "who handles external relations there?"
                return person_profile(turn, Subject("contact", chosen.id), chosen)
            if people:
                reply.add(words.say("people_of", name=name))
                reply.add(*words.bullets([contact_line(turn, c, details=False) for c in people]))
                for contact in people:
                    reply.cite(contact.source)
        if not reply.lines and organisation.members:
            # Who is behind a cooperation project: the organisations it is made of.
            members = turn.kb.organisations(list(organisation.members), turn.lang)
            reply.add(words.say("members_intro", name=name))
            reply.add(*words.bullets([words.name(m.name) for m in members]))
        if not reply.lines:
            quoted = self._quoted(turn, organisation.source.id)
            if quoted:
                reply.add(*words.bullets([contact_line(turn, c, details=False) for c in quoted]))
                reply.person = only_person([c.id for c in quoted])
        if not reply.lines:
            return unknown_fact(turn, target, "what_people").cite(organisation.source)
        return reply

    @staticmethod
    def _asked_role_behind(turn: Turn, call) -> Reply | None:
        """The role a "who" question names (minister, chair …) held in the organisations
        behind a call: its issuer and its programme's funder."""
        kb = turn.kb
        wanted = roles_named(turn.text)
        if not wanted:
            return None
        programme = kb.programme(call.programme_id, turn.lang) if call.programme_id else None
        ids = [call.issuer_id, programme.funder_id if programme else None]
        reply = Reply(subject=Subject("call", call.id))
        holders: list[str] = []
        for organisation in kb.organisations([i for i in dict.fromkeys(ids) if i], turn.lang):
            roles = [r for r in organisation.roles if r.role in wanted]
            reply.add(*role_lines(turn, roles, turn.words.name(organisation.name)))
            reply.cite(organisation.source)
            holders += [r.holder_id for r in roles if r.holder_kind == "contact"]
        reply.person = only_person(holders)
        return reply if reply.lines else None

    @staticmethod
    def _quoted(turn: Turn, source_id: str):
        """The people of a document whose role the question describes ("which minister is
        quoted about the hub?" → the minister the announcement quotes)."""
        scored = role_fits(turn, turn.kb.contacts_of_source(source_id, turn.lang),
                           _subject_words(turn))  # fmt: skip
        best = scored[0][0] if scored else 0
        return [c for n, c in scored if n == best]

    def _programme(self, turn: Turn, programme, reply: Reply) -> Reply:
        words = turn.words
        name = words.name(programme.name)
        if programme.funder_name is not None:
            reply.add(
                words.say("role_funder", 1, holder=words.name(programme.funder_name), name=name)
            )
        reply.add(*role_lines(turn, programme.roles, name))
        return reply.cite(programme.source)

    def _person(self, turn: Turn, subject: Subject, contact) -> Reply:
        return person_profile(turn, subject, contact)


class AnswerMembers(OrganisationFact):
    """What a group is made of (its members, or its desks / clusters / gardens when the question
    names them), and what a member belongs to."""

    intent = "ask_members"
    kinds = ("organisation", "call", "programme", "place", "contact", "event", "service")

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        kb, words = turn.kb, turn.words
        if subject.kind == "call" and (call := kb.call(subject.id, turn.lang)):
            if not call.selected:
                return unknown_fact(turn, subject, "what_members").cite(call.source)
            reply = Reply(subject=subject).add(words.say("selected_intro", len(call.selected)))
            lines = [
                words.say(
                    "project_with",
                    project=words.name(p.project),
                    members=words.join([words.name(n) for n in p.organisation_names]),
                )
                if p.organisation_names
                else words.name(p.project)
                for p in call.selected
            ]
            return reply.add(*words.bullets(lines)).cite(call.source)
        if subject.kind == "place":
            from actions.questions import QUESTIONS

            return QUESTIONS["find_hub"].respond(turn, subject)
        organisation = self.organisation(turn, subject)
        if organisation is None:
            return unknown_fact(turn, subject, "what_members")
        return self._organisation(turn, organisation)

    def _organisation(self, turn: Turn, organisation: OrganisationView) -> Reply:
        kb, words = turn.kb, turn.words
        target = Subject("organisation", organisation.id)
        name = words.name(organisation.name)
        reply = Reply(subject=target).cite(organisation.source)
        if unsure_intent(turn) and (chosen := person_by_role(turn, people_of(turn, target.id))):
            # a guess of "members" for "who handles external relations there?"
            return person_profile(turn, Subject("contact", chosen.id), chosen)
        members = kb.organisations(list(organisation.members), turn.lang)
        wanted = _member_kinds(turn.text)
        listed = self._listed_before(turn, members, wanted)
        if listed:
            return self._made_of(turn, listed, reply)
        chosen = [m for m in members if m.kind in wanted] or members
        if chosen:
            reply.add(words.say("members_intro", name=name))
            reply.add(*words.bullets([self._member(turn, m) for m in chosen]))
        # Who else is involved: who took the initiative, who owns it.
        reply.add(*role_lines(turn, organisation.roles, name))
        groups = [kb.organisation(g, turn.lang) for g in self._groups(turn, organisation)]
        for group in [g for g in groups if g is not None]:
            others = [
                words.name(m.name)
                for m in kb.organisations(list(group.members), turn.lang)
                if m.id != organisation.id
            ]
            key = "part_of_with" if others else "part_of"
            reply.add(
                words.say(key, name=name, group=words.name(group.name), others=words.join(others))
            ).cite(group.source)
        # The kinds of actors its own texts say it brings together ("researchers, entrepreneurs").
        passages_reply(turn, target, reply, limit=1)
        if not reply.lines:
            return unknown_fact(turn, target, "what_members").cite(organisation.source)
        return reply

    @staticmethod
    def _listed_before(
        turn: Turn, members: list[OrganisationView], wanted: set[str]
    ) -> list[OrganisationView]:
        """The members the answer just before listed by kind ("what desks are there?") when
        this message asks about them again ("who sits on them?", "who is in those desks?"):
        a second list of the same records would answer nothing. Members of a kind the message
        names when it asks who is in them ("who sits in the desks?")."""
        if wanted and asks_who_is_in(turn.text):
            # "who sits in the desks?": the desks, though no answer listed them yet
            return [m for m in members if m.kind in wanted]
        if not previous_question(turn.tracker, ("ask_members",), latest=True):
            return []
        earlier = _member_kinds(previous_text(turn.tracker))
        if not earlier or (wanted and wanted != earlier):
            return []
        return [m for m in members if m.kind in earlier]

    @staticmethod
    def _made_of(turn: Turn, listed: list[OrganisationView], reply: Reply) -> Reply:
        """What the listed records' own descriptions say of them (one line per distinct text:
        four desks described alike are one line)."""
        words = turn.words
        by_text: dict[str, list[str]] = {}
        for member in listed:
            if member.description is not None:
                text = words.text(member.description)
                by_text.setdefault(text, []).append(words.name(member.name))
        for text, names in by_text.items():
            reply.add(words.say("listed_described", names=words.join(names), text=text))
        for member in listed:
            reply.cite(member.source)
        return reply if reply.lines else unknown_fact(turn, reply.subject, "what_members")

    @staticmethod
    def _groups(turn: Turn, organisation: OrganisationView) -> list[str]:
        """The groups, networks or projects an organisation belongs to."""
        groups = list(turn.kb.member_of(organisation.id))
        if organisation.parent_id and organisation.parent_id not in groups:
            groups.insert(0, organisation.parent_id)
        return groups

    @staticmethod
    def _member(turn: Turn, member: OrganisationView) -> str:
        words = turn.words
        return words.say("hub_line", name=words.name(member.name), details=words.kind(member.kind))


def _member_kinds(text: str) -> set[str]:
    """The kinds of member a message names ("desks", "klynger")."""
    return {k for word in kinds_named(text) for k in MEMBER_KIND_WORDS.get(word, ())}


class AnswerCount(OrganisationFact):
    """How many: the figures the source states, the applications a call received, and the
    counts of what the knowledge base lists (projects, members, desks, services)."""

    intent = "ask_count"
    kinds = ("organisation", "call", "programme", "place", "event", "contact", "service")
    preferred = ("call", "programme", "organisation")

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        from actions.questions import QUESTIONS

        wanted = figures_named(turn.text)
        if not wanted:
            # "how many in all?" after "which thematic clusters …?": what that one asked about
            wanted = figures_named(previous_text(turn.tracker))
        if "days" in wanted:  # "how many days are left?" is a deadline question
            return QUESTIONS["ask_deadline"].answer(turn, subject)
        if "money" in wanted:  # "how much did Fabrikken get?": an amount, not a count
            return QUESTIONS["ask_funding"].answer(turn, subject)
        counts, source = self._counts(turn, subject)
        chosen = [(what, n) for what, n in counts if what in wanted]
        if not wanted and not counted_words(turn.text):
            chosen = counts  # "how many?" about the subject: every count it has
        # Otherwise a count of something the knowledge base does not count ("how many desks
        # for staff?") is unknown: another count of the same record is no answer.
        if not chosen:
            stated = self._stated_beside(turn, subject, wanted)
            return stated if stated is not None else unknown_fact(turn, subject, "what_count")
        words = turn.words
        name = subject_name(turn, subject)
        reply = Reply(subject=subject).cite(source)
        for what, number in chosen:
            reply.add(words.say(f"count_{what}", number, name=name))
        return reply

    @staticmethod
    def _stated_beside(turn: Turn, subject: Subject, wanted) -> Reply | None:
        """A count stated on the record the subject belongs to: "how many regional hubs will
        Québec create?" about a hub or the place → its network, which plans 18. The record is
        named in the answer; records of the group that state different counts are no answer,
        and a record the subject is not part of is never asked."""
        kb, words = turn.kb, turn.words
        if subject.kind == "place":
            hubs = kb.hubs(**place_filter(subject.id), lang=turn.lang, kinds=None, limit=50)
            ids = [hub.id for hub in hubs]
        else:
            organisation = as_organisation(turn, subject)
            ids = [organisation.id] if organisation else []
        groups: list[str] = []
        for record_id in ids:
            record = kb.organisation(record_id, turn.lang)
            groups += [record.parent_id] if record and record.parent_id else []
            groups += kb.member_of(record_id)
        holders = [g for g in kb.organisations(list(dict.fromkeys(groups)), turn.lang)]
        for what in [w for w in wanted if w in STATED_FIGURES]:
            stated = [(h, f.value) for h in holders for f in h.figures if f.what == what]
            if not stated or len({value for _holder, value in stated}) != 1:
                continue
            holder, value = stated[0]
            name = words.name(holder.name)
            reply = Reply(subject=Subject("organisation", holder.id)).cite(holder.source)
            return reply.add(words.say(f"count_{what}", value, name=name))
        return None

    def without_subject(self, turn: Turn) -> Reply:
        """ "How many calls / hubs are there?" over the whole knowledge base."""
        words = turn.words
        wanted = figures_named(turn.text)
        kb = turn.kb
        if "calls" in wanted:
            count = kb.count_calls(status=None, now=words.now)
            return Reply().add(words.say("count_calls_all", count))
        if "regional_hubs" in wanted or not counted_words(turn.text):
            return Reply().add(words.say("count_hubs_all", kb.count_hubs()))
        # "how many clusters will be selected?" names no record: the number of hubs in the
        # knowledge base would be no answer, so ask which record it is about.
        return super().without_subject(turn)

    def _counts(self, turn: Turn, subject: Subject):
        kb = turn.kb
        if subject.kind == "call" and (call := kb.call(subject.id, turn.lang)):
            counts = []
            if call.applications_received is not None:
                counts.append(("applications", call.applications_received))
            if call.selected:
                counts.append(("projects", len(call.selected)))
            return counts, call.source
        if subject.kind == "programme" and (programme := kb.programme(subject.id, turn.lang)):
            counts = [(f.what, f.value) for f in programme.figures]
            calls = calls_about(turn, subject)
            for call in calls:
                if call.applications_received is not None:
                    counts.append(("applications", call.applications_received))
                if call.selected:
                    counts.append(("projects", len(call.selected)))
            return counts, programme.source
        if subject.kind == "place":
            return [("hubs", kb.count_hubs(**place_filter(subject.id)))], None
        organisation = self.organisation(turn, subject)
        if organisation is None:
            return [], None
        counts = [(f.what, f.value) for f in organisation.figures]
        for programme_id in kb.programmes_funded_by(organisation.id):
            programme = kb.programme(programme_id, turn.lang)
            counts += [(f.what, f.value) for f in programme.figures] if programme else []
        members = kb.organisations(list(organisation.members), turn.lang)
        for kind, what in (("desk", "desks"), ("thematic_cluster", "thematic_clusters")):
            number = sum(1 for m in members if m.kind == kind)
            if number:
                counts.append((what, number))
        if members:
            counts.append(("members", len(members)))
        if organisation.services:
            counts.append(("services", len(organisation.services)))
        calls = calls_about(turn, Subject("organisation", organisation.id))
        for call in [c for c in calls if c.issuer_id == organisation.id]:
            # "how many of Siva's applicants were picked?": its calls' figures
            if call.applications_received is not None:
                counts.append(("applications", call.applications_received))
            if call.selected:
                counts.append(("projects", len(call.selected)))
        return counts, organisation.source


class AnswerWebsite(OrganisationFact):
    intent = "ask_website"

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        kb, words = turn.kb, turn.words
        if subject.kind == "call" and (call := kb.call(subject.id, turn.lang)):
            if call.application_url:
                return (
                    Reply(subject=subject)
                    .add(words.say("application_url", url=call.application_url))
                    .cite(call.source)
                )
        organisation = self.organisation(turn, subject)
        if organisation is None:
            return unknown_fact(turn, subject, "what_website")
        target = Subject("organisation", organisation.id)
        name = words.name(organisation.name)
        reply = Reply(subject=target).cite(organisation.source)
        if organisation.website:
            reply.add(words.say("website", name=name, url=organisation.website))
        members = kb.organisations(list(organisation.members), turn.lang)
        if not organisation.website and not any(m.website for m in members):
            # A network's platform is often one level down: the Eurometropolis → its innovation
            # platform → that platform's online exchange.
            grand = [g for m in members for g in m.members]
            members = kb.organisations(list(dict.fromkeys(grand)), turn.lang)
        for member in members:
            if member.website:
                reply.add(
                    words.say(
                        "website_platform",
                        name=name,
                        platform=words.name(member.name),
                        kind=words.kind(member.kind),
                        url=member.website,
                    )
                )
        if not reply.lines:
            return unknown_fact(turn, target, "what_website").cite(organisation.source)
        return reply


#: record kinds an organisation's texts may name without a record of their own
NAMED_PARTS = frozenset({"programme", "event", "service"})


class AnswerNames(OrganisationFact):
    """Other names: a former name, the full name behind an abbreviation, the name a translation
    gives."""

    intent = "ask_names"

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        organisation = self.organisation(turn, subject)
        if organisation is None and subject.kind == "place":
            # "Voss has a scheme for new firms: what is it called?": the one hub of the place
            organisation = only_hub(turn, subject.id)
        if organisation is None:
            return unknown_fact(turn, subject, "what_names")
        words = turn.words
        target = Subject("organisation", organisation.id)
        part = self._part_named(turn, target)
        if part is not None:
            return part
        current = organisation.name.original or organisation.name.value
        reply = Reply(subject=target).cite(organisation.source)
        if not shares_a_word(set(tokens(turn.text)), " ".join(tokens(current))):
            # "what is the Eurometropolis' consultative assembly called?": its name first
            reply.add(words.say("is_called", kind=words.kind(organisation.kind), name=current))
        for former in organisation.former_names:
            reply.add(words.say("former_name", name=current, former=former))
        if organisation.short_name:
            reply.add(words.say("short_name", short=organisation.short_name, name=current))
        if organisation.name.original and organisation.name.value != organisation.name.original:
            reply.add(
                words.say("name_in_language", name=current, translated=organisation.name.value)
            )
        if not reply.lines:
            return unknown_fact(turn, target, "what_names").cite(organisation.source)
        return reply

    @staticmethod
    def _part_named(turn: Turn, target: Subject) -> Reply | None:
        """What the organisation's own texts call a programme, event or service of its that
        the question describes ("what is Voss's scheme for new firms called?"): the sentence
        that names it, kind words included."""
        if not kinds_named(turn.text).keys() & NAMED_PARTS:
            return None
        own = turn.kb.organisation(target.id, turn.lang)
        # its own names only: a service's name is what the question is after
        ignore = [own.name.value, own.name.original or "", *own.aliases] if own else []
        found = turn.kb.passages(
            target.kind, target.id, turn.text, turn.lang, ignore=ignore, limit=1
        )
        if not found or found[0].score < PASSAGE_SCORE:
            return None
        reply = Reply(subject=target).add(turn.words.text(found[0].text))
        return reply.cite(found[0].source)
