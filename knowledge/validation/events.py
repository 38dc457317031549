"""Events: meetings with their time span and place."""

from __future__ import annotations

from collections.abc import Mapping

from knowledge.text import fold
from knowledge.timeutil import bounds
from knowledge.validation.bundle import Bundle
from knowledge.validation.checker import COUNTRIES, Checker

FIELDS = {"id", "title", "organiser", "start", "end", "place", "description", "evidence"}
PLACE_FIELDS = {"name", "municipality", "country", "address"}


def check(c: Checker, e: Mapping, rid: str, sid: str, pos: int, bundle: Bundle) -> None:
    start = c.when(e.get("start"), "start")
    end = c.when(e.get("end"), "end")
    s_lo, _ = bounds(start, end=False)
    _, prev_end = bounds(end, end=True)
    if s_lo and prev_end and prev_end < s_lo:
        c.err("end", "the event ends before it starts")
    place = _place(c, e.get("place"))
    municipality = place.get("municipality") if place else None
    bundle.rows["events"].append(
        {
            "id": rid, "source_id": sid, "position": pos,
            "title": c.text(e.get("title"), "title", required=True),
            "organiser_id": c.ref(e, "organiser"),
            "start": start, "start_earliest": s_lo, "end": end, "place": place,
            "place_municipality": fold(municipality) if municipality else None,
            "place_country": place.get("country") if place else None,
            "description": c.text(e.get("description"), "description"),
            "evidence": c.evidence(e.get("evidence")),
        }
    )  # fmt: skip


def _place(c: Checker, place: object) -> dict | None:
    if place is None:
        return None
    if not isinstance(place, Mapping) or set(place) - PLACE_FIELDS:
        c.err("place", "must be a mapping {name, municipality, country, address}")
        return None
    if place.get("country") is not None and place["country"] not in COUNTRIES:
        c.err("place.country", f"unknown ISO 3166-1 alpha-2 country code {place['country']!r}")
    row = {
        "name": c.text(place.get("name"), "place.name"),
        "municipality": c.string(place.get("municipality"), "place.municipality"),
        "country": place.get("country"),
    }
    if place.get("address") is not None:
        row["address"] = c.text(place.get("address"), "place.address")
    return row
