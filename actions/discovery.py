"""Finding things: hubs by place (a region's municipalities included) or sector, calls by
status."""

from __future__ import annotations

from actions.base import AnswerAction, Reply, Turn, choice_button
from actions.places import short_place
from actions.records import call_matches, calls_about, subject_name
from actions.subject import Subject, resolve
from actions.vocabulary import kind_words_removed, kinds_named, purpose_cues
from knowledge.views import OrganisationView

MAX_LISTED = 8
CALL_STATUSES = ("open", "upcoming", "closed")
# What a list of calls can be narrowed to: an organisation's, a programme's, a place's.
LISTED_FOR = ("organisation", "programme", "place")
PLACE_SCORE = 80.0  # a place named in the message from this score on narrows the search


def place_filter(place_id: str) -> dict[str, str]:
    """A place id ("country:no", "region:vestland") as a `KnowledgeBase.hubs` filter."""
    kind = place_id.partition(":")[0]
    if kind == "country":
        return {"country": place_id}
    return {"region" if kind == "region" else "municipality": place_id}


def only_hub(turn: Turn, place_id: str) -> OrganisationView | None:
    """The hub of a place that has exactly one ("the Lycksele node"), else None."""
    hubs = turn.kb.hubs(**place_filter(place_id), lang=turn.lang, limit=2)
    return hubs[0] if len(hubs) == 1 else None


def most_specific(turn: Turn, place_ids: list[str]) -> str | None:
    """Of the places a message names, best first, the one that lies inside another named
    one ("Västerbotten, in Sweden" → Västerbotten), else the best."""
    for place_id in place_ids:
        around = {p.id for p in turn.kb.place_chain(place_id, turn.lang)[1:]}
        if around & set(place_ids):
            return place_id
    return place_ids[0] if place_ids else None


def with_placeless_members(turn: Turn, hubs: list[OrganisationView]) -> list[OrganisationView]:
    """The hubs found in a place, each group followed by its members that have no place of
    their own: they work where the group does (the four gardens of a county's project)."""
    found = {hub.id for hub in hubs}
    listed: list[OrganisationView] = []
    for hub in hubs:
        listed.append(hub)
        for member in turn.kb.organisations(list(hub.members), turn.lang):
            if member.id not in found and not member.places:
                found.add(member.id)
                listed.append(member)
    return listed


def hub_lines(turn: Turn, hubs: list[OrganisationView]) -> list[str]:
    words = turn.words
    lines = []
    for hub in hubs[:MAX_LISTED]:
        part_of = (
            words.say("hub_part_of", group=words.name(hub.parent_name)) if hub.parent_name else ""
        )
        details = words.join([words.kind(hub.kind), short_place(turn, hub), part_of])
        lines.append(words.say("hub_line", name=words.name(hub.name), details=details))
    return words.bullets(lines)


class FindHub(AnswerAction):
    """Hubs in a country, region or municipality, or for a sector named in the message."""

    intent = "find_hub"
    kinds = ("place",)

    def name(self) -> str:
        return "action_find_hub"

    def respond(
        self, turn: Turn, subject: Subject | None = None, *, follow_up: bool = True
    ) -> Reply:
        kb, words = turn.kb, turn.words
        text = turn.text
        if subject is None and "call" in kinds_named(text):
            return self._calls_instead(turn)
        place_id = subject.id if subject is not None and subject.kind == "place" else None
        if place_id is None:
            places = [
                m for m in kb.mentions(text, kinds=("place",), limit=3) if m.score >= PLACE_SCORE
            ]
            place_id = most_specific(turn, [m.id for m in places])
        where = place_filter(place_id) if place_id else {}
        # The sector is what the message says besides the kind of hub it asks for ("an
        # innovation pole" says nothing of a sector, though "innova…" starts many of them).
        filters = {**where, "sector": kind_words_removed(text)}
        hubs = kb.hubs(lang=turn.lang, limit=MAX_LISTED, **filters)
        if not hubs and where:
            filters = where
            hubs = kb.hubs(lang=turn.lang, limit=MAX_LISTED, **filters)
        if where:
            hubs = with_placeless_members(turn, hubs)
        query = words.place(kb.place_ref(place_id, turn.lang)) if place_id else ""
        if not hubs:
            if not where:
                named = resolve(kb, turn.tracker, ("organisation",), follow_up=False).subject
                if named is not None:
                    # "in which area is the innovation platform active?": where that one is
                    from actions.questions import QUESTIONS

                    return QUESTIONS["ask_location"].answer(turn, named)
                return Reply().add(words.say("which_place", examples=self._examples(turn)))
            reply = Reply(subject=Subject("place", place_id), unknown=True)
            return reply.add(words.say("no_hubs", query=query, countries=self._examples(turn)))
        count = max(kb.count_hubs(**filters), len(hubs)) if len(hubs) >= MAX_LISTED else len(hubs)
        key = "hubs_found" if query else "hubs_found_sector"
        reply = Reply().add(words.say(key, count, query=query))
        reply.add(*hub_lines(turn, hubs))
        if count > MAX_LISTED:
            reply.add(words.say("hubs_found_more", count=count - MAX_LISTED))
        reply.subject = (
            Subject("organisation", hubs[0].id)
            if len(hubs) == 1
            else (Subject("place", place_id) if place_id else None)
        )
        for hub in hubs[:MAX_LISTED]:
            reply.cite(hub.source)
        return reply

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        return self.respond(turn, subject)

    @staticmethod
    def _calls_instead(turn: Turn) -> Reply:
        """A hub question that names a call ("is there a call for clusters in Morocco?", "the
        poles' call in Québec, still open?") asks about calls, not hubs: the calls of what it
        names; what the one call it names is for, where it asks that."""
        from actions.questions import QUESTIONS

        if purpose_cues(turn.text):
            named = resolve(turn.kb, turn.tracker, ("call",), follow_up=False).subject
            if named is not None and named.kind == "call":
                return QUESTIONS["ask_about"].answer(turn, named)
        return QUESTIONS["list_calls"].respond(turn)

    @staticmethod
    def _examples(turn: Turn) -> str:
        places = turn.kb.name_index().entries_by_kind("place")
        ids = sorted({e.id for e in places if e.id.startswith("country:")})
        return turn.words.join([turn.kb.place_ref(pid, turn.lang).name for pid in ids])


class ListCalls(AnswerAction):
    """Calls for projects by status (open, upcoming, closed) relative to now."""

    intent = "list_calls"
    kinds = ("call",)

    def name(self) -> str:
        return "action_list_calls"

    def respond(
        self, turn: Turn, subject: Subject | None = None, *, follow_up: bool = True
    ) -> Reply:
        status = next(
            (
                entity.get("value")
                for entity in turn.tracker.latest_message.get("entities") or []
                if entity.get("entity") == "call_status" and entity.get("value") in CALL_STATUSES
            ),
            None,
        )
        words = turn.words
        named = (
            subject
            or resolve(turn.kb, turn.tracker, LISTED_FOR, follow_up=False, by_text=False).subject
        )
        if named is not None:
            # "calls from Canada", "does the Moroccan ministry have a call?": that one's calls.
            # "is the poles' call still open?": where none of its calls has the status asked
            # about, its calls with the status each has.
            about = calls_about(turn, named)
            calls = [c for c in about if status is None or c.status == status]
            if not calls and about:
                calls, status = about, None
            count = len(calls)
        else:
            calls = turn.kb.calls(status=status, now=words.now, lang=turn.lang, limit=MAX_LISTED)
            count = turn.kb.count_calls(status=status, now=words.now)
        if not calls and named is not None and named.kind != "call":
            name = subject_name(turn, named)
            return Reply(subject=named, unknown=True).add(words.say("no_calls_for", name=name))
        if not calls:
            return Reply(unknown=True).add(words.say(f"no_calls_{status or 'all'}"))
        reply = Reply().add(words.say(f"calls_intro_{status or 'all'}", count))
        for call in calls[:MAX_LISTED]:
            issuer = words.name(call.issuer_name) if call.issuer_name else ""
            key = "call_line" if issuer else "call_line_no_issuer"
            line = words.say(
                key, title=words.text(call.title), issuer=issuer, status=words.status(call)
            )
            reply.add(words.say("list_item", text=line)).cite(call.source)
        reply.buttons = [choice_button(m) for m in call_matches(calls[:MAX_LISTED])]
        if len(calls) == 1:
            reply.subject = Subject("call", calls[0].id)
        return reply

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        return self.respond(turn, subject)
