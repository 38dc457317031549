"""How places are worded: "Lycksele (Västerbotten, Sweden)", in the conversation's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from knowledge.views import OrganisationView, PlaceRef

if TYPE_CHECKING:
    from actions.base import Turn

LOCAL_KINDS = ("municipality", "locality")


def place_label(turn: Turn, places: tuple[PlaceRef, ...], limit: int = 4) -> str:
    """The municipalities, then the regions and country they lie in."""
    words = turn.words
    local = [words.place(p) for p in places if p.kind in LOCAL_KINDS][:limit]
    wider = [words.place(p) for p in places if p.kind not in LOCAL_KINDS]
    if local and wider:
        return words.say("place_within", place=words.join(local), within=words.join(wider))
    return words.join(local or wider)


def organisation_places(turn: Turn, organisation: OrganisationView) -> tuple[PlaceRef, ...]:
    """The organisation's places with its country at the end (when known)."""
    places = tuple(organisation.places)
    if organisation.country and not any(p.kind == "country" for p in places):
        places += (turn.kb.place_ref(f"country:{organisation.country.lower()}", turn.lang),)
    return places


def short_place(turn: Turn, organisation: OrganisationView) -> str:
    """Where a hub is, briefly: its municipalities, else its region, else its country."""
    places = organisation_places(turn, organisation)
    local = [turn.words.place(p) for p in places if p.kind in LOCAL_KINDS][:3]
    if local:
        return turn.words.join(local)
    return next((turn.words.place(p) for p in places), "")


def with_latin_names(turn: Turn, text: str) -> str:
    """An Arabic text with the Latin-letter name beside each place name it writes in Arabic
    ("… منطقة باس سان لوران (Bas-Saint-Laurent)"), once per place, unless already given."""
    names = turn.kb.latin_place_names(turn.lang) if turn.lang == "ar" else {}
    for arabic, latin in names.items():
        at = text.find(arabic)
        if at < 0 or latin in text:
            continue
        end = at + len(arabic)
        text = f"{text[:end]} ({latin}){text[end:]}"
    return text
