"""Events: of an organisation, in a place (a region's municipalities included), or all."""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from knowledge.models import Event, Organisation
from knowledge.query.places import PlaceQueries
from knowledge.text import fold
from knowledge.timeutil import bounds
from knowledge.views import EventView, PlaceView, resolve, when_view


class EventQueries(PlaceQueries):
    def event(self, id: str, lang: str) -> EventView | None:
        """One event by its id."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(Event).where(Event.id == id)).mappings().all()
            views = self._event_views(conn, rows, lang)
        return views[0] if views else None

    def events_for(self, id: str | None, lang: str) -> list[EventView]:
        """Events of an organisation (id, its member organisations' too), in a place (a place
        id: ``country:se``, ``region:vasterbotten`` with its municipalities, ``municipality:…``),
        or all events (None); earliest first."""
        cond = []
        if id is not None:
            kind = id.partition(":")[0]
            if kind == "country":
                cond.append(Event.place_country == id.split(":", 1)[1].upper())
            elif kind in ("region", "municipality", "locality"):
                cond.append(Event.place_municipality.in_(self._municipality_keys(id)))
            else:
                cond.append(
                    or_(
                        Event.organiser_id == id,
                        Event.organiser_id.in_(
                            select(Organisation.id).where(Organisation.parent_id == id)
                        ),
                    )
                )
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    select(Event)
                    .where(and_(*cond))
                    .order_by(Event.start_earliest.is_(None), Event.start_earliest, Event.id)
                )
                .mappings()
                .all()
            )
            return self._event_views(conn, rows, lang)

    def _municipality_keys(self, place_id: str) -> list[str]:
        """Folded municipality names of a place and of everything inside it (as events store
        their municipality)."""
        tree = self.place_tree()
        keys = {place_id.partition(":")[2]}
        for pid in self.places_within(place_id):
            keys.update(fold(name) for name in tree.all_names(pid))
        return sorted(keys)

    def _event_views(self, conn, rows, lang: str) -> list[EventView]:
        orgs = self._names_of(conn, Organisation, (r["organiser_id"] for r in rows), lang)
        out = []
        for r in rows:
            place = r["place"]
            out.append(
                EventView(
                    id=r["id"],
                    title=resolve(r["title"], lang),
                    organiser_id=r["organiser_id"],
                    organiser_name=orgs.get(r["organiser_id"]),
                    start=when_view(r["start"], *bounds(r["start"], end=False)),
                    end=when_view(r["end"], *bounds(r["end"], end=True)),
                    place=PlaceView(
                        name=resolve(place.get("name"), lang),
                        municipality=place.get("municipality"),
                        country=place.get("country"),
                        address=resolve(place.get("address"), lang),
                    )
                    if place
                    else None,
                    description=resolve(r["description"], lang),
                    source=self._source(r["source_id"], lang, r["evidence"]),
                    evidence=r["evidence"],
                )
            )
        return out
