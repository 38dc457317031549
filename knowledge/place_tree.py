"""The places hierarchy in memory: which region a municipality lies in, and what a name means.

Built from the rows of the ``places`` table (or of a validated bundle). Pure lookups, no
database: the importer uses it to give each organisation the ids of every place it lies in, the
queries to widen a region to its municipalities and to name a place in the asked language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from knowledge.text import fold

#: a place mentioned by content but missing from places.yaml keeps an id made from its name
FALLBACK_KINDS = ("region", "municipality")


def fallback_id(kind: str, name: str) -> str:
    """The id of a place that places.yaml does not list ("municipality:bryssel")."""
    return f"{kind}:{fold(name)}"


class PlaceTree:
    """Places by id, their parents, and their names in every language."""

    def __init__(self, rows: Iterable[Mapping]) -> None:
        self.places: dict[str, Mapping] = {row["id"]: row for row in rows}
        self._children: dict[str, list[str]] = defaultdict(list)
        self._by_name: dict[str, list[str]] = defaultdict(list)
        for pid, row in self.places.items():
            if row.get("parent_id"):
                self._children[row["parent_id"]].append(pid)
            for forms in row["names"].values():
                for form in forms:
                    key = fold(form)
                    if pid not in self._by_name[key]:
                        self._by_name[key].append(pid)

    def __contains__(self, place_id: str) -> bool:
        return place_id in self.places

    def find(self, name: str, kinds: Iterable[str] | None = None) -> str | None:
        """The id of the place a name means, preferring ``kinds`` in their order."""
        found = self._by_name.get(fold(name), [])
        for kind in kinds or ():
            for pid in found:
                if self.places[pid]["kind"] == kind:
                    return pid
        return found[0] if found else None

    def ancestors(self, place_id: str) -> list[str]:
        """The regions a place lies in, nearest first (not the country)."""
        out: list[str] = []
        parent = (self.places.get(place_id) or {}).get("parent_id")
        while parent and parent not in out:
            out.append(parent)
            parent = (self.places.get(parent) or {}).get("parent_id")
        return out

    def descendants(self, place_id: str) -> list[str]:
        """Every place inside a region (municipalities, localities, sub-regions)."""
        out: list[str] = []
        stack = list(self._children.get(place_id, ()))
        while stack:
            pid = stack.pop()
            if pid not in out:
                out.append(pid)
                stack.extend(self._children.get(pid, ()))
        return out

    def country(self, place_id: str) -> str | None:
        row = self.places.get(place_id)
        return row["country"] if row else None

    def name(self, place_id: str, lang: str) -> str | None:
        """The place's display name in ``lang`` (else its first name in any language)."""
        row = self.places.get(place_id)
        if row is None:
            return None
        names = row["names"]
        forms = names.get(lang) or next(iter(names.values()))
        return forms[0]

    def all_names(self, place_id: str) -> list[str]:
        row = self.places.get(place_id)
        return [form for forms in row["names"].values() for form in forms] if row else []

    def places_of(self, *, region: Mapping | None, municipalities: Iterable[str]) -> list[str]:
        """Ids of every place an organisation lies in: its municipalities, its region, and all
        their ancestors (names missing from places.yaml get a fallback id)."""
        ids: list[str] = []
        for name in municipalities:
            ids.append(
                self.find(name, ("municipality", "locality")) or fallback_id("municipality", name)
            )
        if region:
            names = [v for k, v in region.items() if k not in ("original", "machine")]
            found = next((p for n in names if (p := self.find(n, ("region",)))), None)
            ids.append(found or fallback_id("region", region[region["original"]]))
        out: list[str] = []
        for pid in ids:
            for place in (pid, *self.ancestors(pid)):
                if place not in out:
                    out.append(place)
        return out
