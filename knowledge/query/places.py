"""Places: their names in the asked language, and what lies inside a region."""

from __future__ import annotations

import re

from knowledge.query.base import QueryBase
from knowledge.query.name_forms import country_names
from knowledge.views import PlaceRef

#: the language whose place names are the Latin-letter forms given beside Arabic ones
LATIN_NAMES = "en"
_ARABIC = re.compile(r"[\u0600-\u06ff]")


class PlaceQueries(QueryBase):
    def place_ref(self, place_id: str, lang: str) -> PlaceRef:
        """A place id ("region:vestland", "country:no") named in ``lang``."""
        from babel import Locale

        kind, _, value = place_id.partition(":")
        tree = self.place_tree()
        if kind == "country":

            def named(language: str) -> str:
                return Locale.parse(language).territories.get(value.upper(), value.upper())
        elif place_id in tree:
            kind = tree.places[place_id]["kind"]

            def named(language: str) -> str:
                return tree.name(place_id, language)
        else:
            return PlaceRef(place_id, kind, self._fallback_name(place_id))
        name = named(lang)
        if name and _ARABIC.search(name):  # its Latin-letter name beside it
            latin = named(LATIN_NAMES)
            if latin and not _ARABIC.search(latin):
                return PlaceRef(place_id, kind, name, latin)
        return PlaceRef(place_id, kind, name)

    def latin_place_names(self, lang: str) -> dict[str, str]:
        """The place names of ``lang`` written in Arabic letters, each with the place's name in
        Latin letters ("باس سان لوران" → "Bas-Saint-Laurent"), longest first."""

        def load() -> dict[str, str]:
            tree = self.place_tree()
            found = {}
            for place_id, row in tree.places.items():
                latin = tree.name(place_id, LATIN_NAMES)
                for name in row["names"].get(lang) or []:
                    if _ARABIC.search(name) and latin and not _ARABIC.search(latin):
                        found.setdefault(name, latin)
            return dict(sorted(found.items(), key=lambda item: -len(item[0])))

        return self._cached(f"latin-place-names:{lang}", load)

    def _fallback_name(self, place_id: str) -> str:
        """A place missing from places.yaml: the name content wrote, from the name index."""
        index = self.name_index()
        for entry in index.entries_by_kind("place"):
            if entry.id == place_id:
                return entry.name
        return place_id.partition(":")[2]

    def place_chain(self, place_id: str, lang: str) -> list[PlaceRef]:
        """The place, the regions it lies in (nearest first) and its country."""
        tree = self.place_tree()
        chain = [self.place_ref(p, lang) for p in (place_id, *tree.ancestors(place_id))]
        country = tree.country(place_id)
        if country:
            chain.append(self.place_ref(f"country:{country.lower()}", lang))
        return chain

    def place_id(self, value: str, kind: str | None = None) -> str | None:
        """The place id a value stands for: an id as it is, else a place name in any language
        ("Vestland", "Västerbottens län", "Marokko")."""
        prefix = value.partition(":")[0]
        if prefix in ("country", "region", "municipality", "locality") and ":" in value:
            return value.lower() if prefix == "country" else value
        if len(value) == 2 and value.isalpha() and kind in (None, "country"):
            return f"country:{value.lower()}"
        kinds = {"region": ("region",), "municipality": ("municipality", "locality")}.get(
            kind or "", ("municipality", "locality", "region")
        )
        found = self.place_tree().find(value, kinds)
        if found:
            return found
        for hit in self.name_index().search(value, kinds={"place"}, limit=5):
            hit_kind = hit.id.partition(":")[0]
            if hit.score >= 80 and (kind is None or hit_kind == kind or (
                kind == "municipality" and hit_kind == "locality"
            )):  # fmt: skip
                return hit.id
        return None

    def places_within(self, place_id: str) -> list[str]:
        """A place and everything inside it (a region's municipalities and localities)."""
        return [place_id, *self.place_tree().descendants(place_id)]

    @staticmethod
    def country_names(code: str) -> tuple[str, ...]:
        return country_names(code)
