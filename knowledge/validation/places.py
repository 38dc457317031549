"""The places file: municipalities, regions and their countries, as a hierarchy.

A question about a region ("a hub in the county of Troms") finds the hubs of its municipalities,
so every municipality or locality names the region it lies in, and every region its country
(and, for a former county or a district, the region it is now part of). Region codes are ISO
3166-2 where one exists, checked against pycountry.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pycountry

from knowledge.languages import SUPPORTED
from knowledge.validation.bundle import Bundle
from knowledge.validation.checker import COUNTRIES, Checker, Problem
from knowledge.validation.files import read_checked

PLACES_FILE = Path(__file__).resolve().parent.parent / "places.yaml"
PLACE_KINDS = ("region", "municipality", "locality")
FIELDS = {"id", "kind", "type", "country", "parent", "iso", "names"}


@lru_cache(maxsize=1)
def iso_subdivisions() -> dict[str, str]:
    """ISO 3166-2 code → country code, from pycountry."""
    return {s.code: s.country_code for s in pycountry.subdivisions}


def check_places(
    places: Path | Mapping, bundle: Bundle, problems: list[Problem], name: str = "places.yaml"
) -> None:
    """Validate the places file (a path, or its parsed YAML: the import after its keep-staff-
    edits rule, the staff workspace) and add its rows (``kind:id`` ids) to ``bundle.places``."""
    if isinstance(places, Path):
        data, name = read_checked(places, problems), places.name
        if data is None:
            return
    else:
        data = places
    c = Checker(name, problems)
    if (
        not isinstance(data, Mapping)
        or set(data) != {"places"}
        or not isinstance(data["places"], list)
    ):
        c.err(None, "the places file must be a mapping {places: [...]}")
        return
    rows: dict[str, dict] = {}
    for pos, item in enumerate(data["places"]):
        pid = item.get("id") if isinstance(item, Mapping) else None
        c.record = f"places[{pid if isinstance(pid, str) else pos}]"
        if c.mapping(item, FIELDS, {"id", "kind", "country", "names"}) is None:
            continue
        if c.ident(pid, "id") is None:
            continue
        row = _place(c, item, pos)
        if row is None:
            continue
        if pid in rows:
            c.err("id", "duplicate place id")
            continue
        rows[pid] = row
    by_slug = rows
    for slug, row in rows.items():
        c.record = f"places[{slug}]"
        parent = row.pop("_parent")
        if parent is None:
            if row["kind"] != "region":
                c.err("parent", "a municipality or locality must name the region it lies in")
            continue
        target = by_slug.get(parent)
        if target is None:
            c.err("parent", f"refers to a missing place {parent!r}")
        elif target["country"] != row["country"]:
            c.err("parent", f"{parent!r} is in another country ({target['country']})")
        else:
            row["parent_id"] = target["id"]
    bundle.places.extend(rows.values())


def _place(c: Checker, item: Mapping, pos: int) -> dict | None:
    kind = item.get("kind")
    if kind not in PLACE_KINDS:
        c.err("kind", f"must be one of {', '.join(PLACE_KINDS)}")
        return None
    country = item.get("country")
    if country not in COUNTRIES:
        c.err("country", f"unknown ISO 3166-1 alpha-2 country code {country!r}")
        return None
    iso = item.get("iso")
    if iso is not None and iso_subdivisions().get(iso) != country:
        c.err("iso", f"{iso!r} is not an ISO 3166-2 subdivision of {country}")
        iso = None
    names = item.get("names")
    if not isinstance(names, Mapping) or not names:
        c.err("names", "must map languages to lists of names")
        return None
    forms: dict[str, list[str]] = {}
    for lang, values in names.items():
        if lang not in SUPPORTED:
            c.err(f"names.{lang}", f"unknown language code (allowed: {' '.join(SUPPORTED)})")
            continue
        listed = c.strings(values if isinstance(values, list) else [values], f"names.{lang}")
        if listed:
            forms[lang] = listed
    if not forms:
        return None
    parent = item.get("parent")
    return {
        "id": f"{kind}:{item['id']}",
        "kind": kind,
        "type": c.string(item.get("type"), "type"),
        "country": country,
        "iso_code": iso,
        "names": forms,
        "position": pos,
        "parent_id": None,
        "_parent": c.ident(parent, "parent") if parent is not None else None,
    }
