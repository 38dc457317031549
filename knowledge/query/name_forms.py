"""Every name a record can be called by, for the fuzzy name index.

Organisations by their names in every language, aliases, short and former names; calls,
programmes, events and services by their titles; contacts by the person's name (a desk by its
role); places by every name places.yaml gives them, countries by their CLDR names in the six
languages and their adjectives (knowledge/country_adjectives.yaml: "the Moroccan call"). A place
that content names but places.yaml lacks still gets an entry of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path

import yaml
from babel import Locale
from sqlalchemy import select
from sqlalchemy.engine import Connection

from knowledge.languages import SUPPORTED
from knowledge.models import Call, Contact, Event, Organisation, Programme, Service
from knowledge.names import Entry
from knowledge.place_tree import PlaceTree


def texts(stored: dict | None) -> list[str]:
    """Every language's text of a stored multilingual value."""
    return [v for k, v in (stored or {}).items() if k not in ("original", "machine")]


def original(stored: dict | None) -> str:
    return stored[stored["original"]] if stored else ""


@lru_cache(maxsize=512)
def country_names(code: str) -> tuple[str, ...]:
    """The country's name in the six languages (from CLDR through Babel)."""
    names = []
    for lang in SUPPORTED:
        name = Locale.parse(lang).territories.get(code.upper())
        if name and name not in names:
            names.append(name)
    return tuple(names)


ADJECTIVES = Path(__file__).resolve().parent.parent / "country_adjectives.yaml"


@cache
def country_adjectives() -> dict[str, tuple[str, ...]]:
    """Country code → its adjective forms in the six languages ("Moroccan", "marocains" …)."""
    data = yaml.safe_load(ADJECTIVES.read_text(encoding="utf-8")) or {}
    return {
        code.upper(): tuple(form for lang in SUPPORTED for form in (forms.get(lang) or ()))
        for code, forms in data.items()
    }


def name_forms(conn: Connection, places: PlaceTree) -> Iterator[tuple[Entry, str]]:
    """(record, one of its names) for every record of the knowledge base."""
    extra_places: dict[str, tuple[str, str, set[str]]] = {}
    countries: set[str] = set()

    def place(place_id: str | None, display: str, forms: Iterable[str], kind: str) -> None:
        if place_id and place_id not in places:
            extra_places.setdefault(place_id, (display, kind, set()))[2].update(forms)

    orgs = conn.execute(
        select(
            Organisation.id,
            Organisation.kind,
            Organisation.name,
            Organisation.aliases,
            Organisation.former_names,
            Organisation.short_name,
            Organisation.country,
            Organisation.region,
            Organisation.municipalities,
            Organisation.source_id,
        )
    ).all()
    org_country = {row.id: row.country for row in orgs}
    for row in orgs:
        entry = Entry("organisation", row.id, original(row.name), row.country, row.source_id,
                      subkind=row.kind)  # fmt: skip
        forms = [*texts(row.name), *(row.aliases or []), *(row.former_names or []), row.short_name]
        for form in forms:
            if form:
                yield entry, form
        if row.country:
            countries.add(row.country)
        for pid in places.places_of(region=row.region, municipalities=row.municipalities or []):
            if pid not in places:
                kind = pid.partition(":")[0]
                name = original(row.region) if kind == "region" else _named(row, pid)
                place(pid, name, [name, *(texts(row.region) if kind == "region" else [])], kind)
    for pid, name, funder, sid in conn.execute(
        select(Programme.id, Programme.name, Programme.funder_id, Programme.source_id)
    ):
        entry = Entry("programme", pid, original(name), org_country.get(funder), sid)
        for form in texts(name):
            yield entry, form
    for cid, title, year, issuer, sid in conn.execute(
        select(Call.id, Call.title, Call.year, Call.issuer_id, Call.source_id)
    ):
        entry = Entry("call", cid, original(title), org_country.get(issuer), sid, year=year)
        for form in texts(title):
            yield entry, form
        if year and str(year) not in original(title):
            yield entry, f"{original(title)} {year}"
    for ctid, person, role, sid in conn.execute(
        select(Contact.id, Contact.person, Contact.role, Contact.source_id)
    ):
        if person:
            yield Entry("contact", ctid, person, None, sid, subkind="person"), person
        else:  # a desk or switchboard is called by its role ("press telephone of the ministry")
            entry = Entry("contact", ctid, original(role), None, sid, subkind="desk")
            for form in texts(role):
                yield entry, form
    for eid, title, place_json, country, sid in conn.execute(
        select(Event.id, Event.title, Event.place, Event.place_country, Event.source_id)
    ):
        entry = Entry("event", eid, original(title), country, sid)
        for form in texts(title):
            yield entry, form
        municipality = (place_json or {}).get("municipality")
        if municipality:
            pid = places.find(municipality, ("municipality", "locality"))
            place(pid or f"municipality:{municipality.casefold()}", municipality,
                  [municipality], "municipality")  # fmt: skip
        if country:
            countries.add(country)
    for svid, name, sid in conn.execute(select(Service.id, Service.name, Service.source_id)):
        entry = Entry("service", svid, original(name), None, sid)
        for form in texts(name):
            yield entry, form
    for pid, row in places.places.items():
        entry = Entry("place", pid, places.name(pid, "en") or pid, row["country"],
                      subkind=row["kind"])  # fmt: skip
        countries.add(row["country"])
        for form in places.all_names(pid):
            yield entry, form
    for pid, (display, kind, forms) in extra_places.items():
        entry = Entry("place", pid, display, subkind=kind)
        for form in forms:
            yield entry, form
    for code in sorted(countries):
        entry = Entry("place", f"country:{code.lower()}", Locale("en").territories.get(code, code),
                      code, subkind="country")  # fmt: skip
        for form in (*country_names(code), *country_adjectives().get(code, ())):
            yield entry, form


def _named(row, place_id: str) -> str:
    """The municipality name (as the content writes it) behind a fallback place id."""
    from knowledge.text import fold

    key = place_id.partition(":")[2]
    return next((m for m in row.municipalities or [] if fold(m) == key), key)
