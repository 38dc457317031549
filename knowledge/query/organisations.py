"""Organisations: one by id, hubs by place and sector, and their links to other records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from sqlalchemy import String, and_, cast, func, or_, select

from knowledge.models import Organisation, OrganisationTerm, Service
from knowledge.names import stem, stopwords, tokens
from knowledge.query.places import PlaceQueries
from knowledge.query.roles import RoleQueries
from knowledge.timeutil import bounds
from knowledge.views import Figure, OrganisationView, ServiceView, resolve, when_view

#: organisation kinds that are not hubs (they fund or govern); ``hubs()`` leaves them out
NON_HUB_KINDS = frozenset({"ministry", "agency", "government", "regional_authority"})


class OrganisationQueries(PlaceQueries, RoleQueries):
    def organisation(self, id: str, lang: str) -> OrganisationView | None:
        """One organisation (hub, network, ministry, …) with its services, roles and places."""
        views = self.organisations([id], lang)
        return views[0] if views else None

    def organisations(self, ids: Sequence[str], lang: str) -> list[OrganisationView]:
        """Several organisations, in the order of ``ids`` (unknown ids are left out)."""
        if not ids:
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(select(Organisation).where(Organisation.id.in_(list(ids))))
            by_id = {r["id"]: r for r in rows.mappings()}
            return self._org_views(conn, [by_id[i] for i in ids if i in by_id], lang)

    def service_provider(self, service_id: str) -> str | None:
        """The organisation that offers a service."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(Service.provider_id).where(Service.id == service_id)
            ).scalar_one_or_none()

    def parts_of(self, id: str) -> list[str]:
        """Ids of the organisations listed as its members or having it as their parent."""
        with self.engine.connect() as conn:
            members = conn.execute(
                select(Organisation.members).where(Organisation.id == id)
            ).scalar_one_or_none()
            children = conn.execute(
                select(Organisation.id)
                .where(Organisation.parent_id == id)
                .order_by(Organisation.id)
            ).scalars()
            return list(dict.fromkeys([*(members or []), *children]))

    def member_of(self, id: str) -> list[str]:
        """Ids of the organisations that list ``id`` among their members."""
        text = cast(Organisation.members, String)
        with self.engine.connect() as conn:
            found = conn.execute(
                select(Organisation.id).where(text.like(f'%"{id}"%')).order_by(Organisation.id)
            ).scalars()
            return list(found)

    def _org_views(self, conn, rows: Sequence, lang: str) -> list[OrganisationView]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        service_ids = {s for r in rows for s in r["services"]}
        svc_rows = conn.execute(
            select(Service).where(or_(Service.provider_id.in_(ids), Service.id.in_(service_ids)))
        ).mappings()
        services: dict[str, dict] = {s["id"]: dict(s) for s in svc_rows}
        by_org: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            by_org[r["id"]].extend(r["services"])
        for s in services.values():
            if s["provider_id"] in by_org and s["id"] not in by_org[s["provider_id"]]:
                by_org[s["provider_id"]].append(s["id"])
        parents = self._names_of(conn, Organisation, (r["parent_id"] for r in rows), lang)
        roles = self._roles(conn, ids, lang)
        tree = self.place_tree()
        out = []
        for r in rows:
            svc_views = tuple(
                ServiceView(
                    id=s["id"],
                    name=resolve(s["name"], lang),
                    description=resolve(s["description"], lang),
                    provider_id=s["provider_id"],
                    source=self._source(s["source_id"], lang, s["evidence"]),
                    evidence=s["evidence"],
                )
                for sid in by_org[r["id"]]
                if (s := services.get(sid))
            )
            place_ids = tree.places_of(region=r["region"], municipalities=r["municipalities"])
            founded = r["founded"]
            out.append(
                OrganisationView(
                    id=r["id"],
                    kind=r["kind"],
                    name=resolve(r["name"], lang),
                    aliases=tuple(r["aliases"] or ()),
                    short_name=r["short_name"],
                    country=r["country"],
                    region=resolve(r["region"], lang),
                    municipalities=tuple(r["municipalities"] or ()),
                    address=resolve(r["address"], lang),
                    languages=tuple(r["languages"] or ()),
                    sectors=tuple(resolve(s, lang) for s in r["sectors"] or ()),
                    services=svc_views,
                    parent_id=r["parent_id"],
                    parent_name=parents.get(r["parent_id"]),
                    members=tuple(r["members"] or ()),
                    programmes=tuple(r["programmes"] or ()),
                    website=r["website"],
                    description=resolve(r["description"], lang),
                    source=self._source(r["source_id"], lang, r["evidence"]),
                    evidence=r["evidence"],
                    former_names=tuple(r["former_names"] or ()),
                    founded=when_view(founded, *bounds(founded, end=False)) if founded else None,
                    figures=tuple(Figure(f["what"], f["value"]) for f in r["figures"] or ()),
                    roles=roles.get(r["id"], ()),
                    places=tuple(self.place_ref(p, lang) for p in place_ids),
                )
            )
        return out

    # ------------------------------------------------------------------ hubs by place / sector
    def hubs(
        self,
        *,
        country: str | None = None,
        region: str | None = None,
        municipality: str | None = None,
        sector: str | None = None,
        lang: str,
        kinds: Collection[str] | None = None,
        limit: int | None = None,
    ) -> list[OrganisationView]:
        """Hubs (every organisation kind except ministries, agencies and governments, unless
        ``kinds`` says otherwise) in a country (ISO code or name in any of the six languages),
        a region (with the hubs of its municipalities), a municipality, and/or a sector; best
        sector match first, then by id."""
        stmt = self._hubs_statement(country, region, municipality, sector, kinds)
        if stmt is None:
            return []
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).mappings().all()
            return self._org_views(conn, rows, lang)

    def count_hubs(
        self,
        *,
        country: str | None = None,
        region: str | None = None,
        municipality: str | None = None,
        sector: str | None = None,
        kinds: Collection[str] | None = None,
    ) -> int:
        """How many hubs ``hubs()`` would list with these filters."""
        stmt = self._hubs_statement(country, region, municipality, sector, kinds)
        if stmt is None:
            return 0
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(stmt.subquery())).scalar())

    def _hubs_statement(self, country, region, municipality, sector, kinds):
        """The query behind ``hubs``; None when a filter matches nothing at all."""
        conditions = []
        T = OrganisationTerm
        if country:
            code = self._country_code(country)
            if code is None:
                return None
            conditions.append(Organisation.country == code)
        for kind, value in (("region", region), ("municipality", municipality)):
            if value:
                place = self.place_id(value, kind)
                if place is None:
                    return None
                conditions.append(Organisation.id.in_(self.organisations_in(place)))
        weight = None
        if sector:
            stop = stopwords()
            sector_stems = sorted({stem(t) for t in tokens(sector) if t not in stop} - {""})
            if not sector_stems:
                return None
            weight = (
                select(T.organisation_id.label("oid"), func.count().label("w"))
                .where(T.kind == "sector", T.norm.in_(sector_stems))
                .group_by(T.organisation_id)
                .subquery()
            )
        if kinds is not None:
            conditions.append(Organisation.kind.in_(list(kinds)))
        else:
            conditions.append(Organisation.kind.not_in(list(NON_HUB_KINDS)))
        stmt = select(Organisation).where(and_(*conditions))
        if weight is not None:
            stmt = stmt.join(weight, weight.c.oid == Organisation.id).order_by(
                weight.c.w.desc(), Organisation.id
            )
        else:
            stmt = stmt.order_by(Organisation.id)
        return stmt

    def _country_code(self, value: str) -> str | None:
        place = self.place_id(value, "country")
        if place and place.startswith("country:"):
            return place.partition(":")[2].upper()
        return None

    @staticmethod
    def organisations_in(place: str):
        """Ids of the organisations of a place id (a country, or any region or municipality,
        the regions' municipalities included: the import records every ancestor as a term)."""
        kind, _, value = place.partition(":")
        if kind == "country":
            return select(Organisation.id).where(Organisation.country == value.upper())
        T = OrganisationTerm
        return select(T.organisation_id).where(T.kind == "place", T.norm == place)
