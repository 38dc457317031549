"""Finding things: hubs by place or sector, calls by status, and what a bare name stands for."""

from __future__ import annotations

from actions import formatting
from actions.base import AnswerAction, Reply, Turn, choice_button
from actions.records import call_matches
from actions.subject import Subject
from knowledge.views import Match, OrganisationView

MAX_LISTED = 8
CALL_STATUSES = ("open", "upcoming", "closed")


def place_label(turn: Turn, organisation: OrganisationView) -> str:
    """Where a hub is: its municipalities, else its region, else its country."""
    if organisation.municipalities:
        return turn.words.join(list(organisation.municipalities[:3]))
    if organisation.region is not None:
        return turn.words.name(organisation.region)
    return country_name(turn, organisation.country) if organisation.country else ""


def country_name(turn: Turn, code: str) -> str:
    return formatting.locale(turn.lang).territories.get(code.upper(), code)


def place_name(turn: Turn, match: Match) -> str:
    """A matched place as the conversation's language names it ("Marokko", "Voss")."""
    kind, _, value = match.id.partition(":")
    if kind == "country":
        return country_name(turn, value)
    return match.name if not match.name.islower() else match.name.title()


def place_filter(match: Match) -> dict[str, str]:
    """A place match ("country:NO", "municipality:voss") as a `KnowledgeBase.hubs` filter."""
    kind, _, value = match.id.partition(":")
    return {kind: match.id if kind != "country" else value}


def hub_lines(turn: Turn, hubs: list[OrganisationView]) -> list[str]:
    words = turn.words
    lines = []
    for hub in hubs[:MAX_LISTED]:
        details = words.join([words.kind(hub.kind), place_label(turn, hub)])
        lines.append(words.say("hub_line", name=words.name(hub.name), details=details))
    return words.bullets(lines)


class FindHub(AnswerAction):
    """Hubs in a country, region or municipality, or for a sector named in the message."""

    intent = "find_hub"
    kinds = ("place",)

    def name(self) -> str:
        return "action_find_hub"

    def respond(self, turn: Turn, subject: Subject | None = None) -> Reply:
        text = turn.tracker.latest_message.get("text") or ""
        places = turn.kb.mentions(text, kinds=("place",), limit=3)
        if subject is not None and subject.kind == "place":
            places = [Match("place", subject.id, subject.id.partition(":")[2], 100.0)]
        where: dict[str, str] = place_filter(places[0]) if places else {}
        filters = {**where, "sector": text}
        hubs = turn.kb.hubs(lang=turn.lang, limit=MAX_LISTED, **filters)
        if not hubs and where:
            filters = where
            hubs = turn.kb.hubs(lang=turn.lang, limit=MAX_LISTED, **filters)
        query = place_name(turn, places[0]) if places else text
        words = turn.words
        if not hubs:
            if not where:
                return Reply().add(words.say("which_place", examples=self._examples(turn)))
            return Reply().add(words.say("no_hubs", query=query, countries=self._examples(turn)))
        count = turn.kb.count_hubs(**filters) if len(hubs) == MAX_LISTED else len(hubs)
        reply = Reply().add(words.say("hubs_found", count, query=query))
        reply.add(*hub_lines(turn, hubs))
        if count > MAX_LISTED:
            reply.add(words.say("hubs_found_more", count=count - MAX_LISTED))
        if len(hubs) == 1:
            reply.subject = Subject("organisation", hubs[0].id)
        for hub in hubs[:MAX_LISTED]:
            reply.cite(hub.source)
        return reply

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        return self.respond(turn, subject)

    @staticmethod
    def _examples(turn: Turn) -> str:
        places = turn.kb.name_index().entries_by_kind("place")
        codes = sorted({e.id.partition(":")[2] for e in places if e.id.startswith("country:")})
        return turn.words.join([country_name(turn, code) for code in codes])


class ListCalls(AnswerAction):
    """Calls for projects by status (open, upcoming, closed) relative to now."""

    intent = "list_calls"
    kinds = ("call",)

    def name(self) -> str:
        return "action_list_calls"

    def respond(self, turn: Turn, subject: Subject | None = None) -> Reply:
        status = next(
            (
                entity.get("value")
                for entity in turn.tracker.latest_message.get("entities") or []
                if entity.get("entity") == "call_status" and entity.get("value") in CALL_STATUSES
            ),
            None,
        )
        words = turn.words
        calls = turn.kb.calls(status=status, now=words.now, lang=turn.lang, limit=MAX_LISTED)
        if not calls:
            return Reply().add(words.say(f"no_calls_{status}"))
        count = turn.kb.count_calls(status=status, now=words.now)
        reply = Reply().add(words.say(f"calls_intro_{status or 'all'}", count))
        for call in calls[:MAX_LISTED]:
            issuer = words.name(call.issuer_name) if call.issuer_name else ""
            line = words.say("call_line", title=words.text(call.title), issuer=issuer,
                             status=words.status(call))  # fmt: skip
            reply.add(words.say("list_item", text=line)).cite(call.source)
        reply.buttons = [choice_button(m) for m in call_matches(calls[:MAX_LISTED])]
        if len(calls) == 1:
            reply.subject = Subject("call", calls[0].id)
        return reply

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        return self.respond(turn, subject)
