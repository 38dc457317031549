"""The knowledge base as the assistant sees it: lookups by name, by place, by status, by id.

This module is the only thing the actions import from ``knowledge``. Every view carries its
source citation; every user-facing text is resolved to the asked language where a translation
exists (else the original, marked with its language).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from sqlalchemy import String, and_, cast, false, func, or_, select
from sqlalchemy.engine import Engine

from knowledge import migrate
from knowledge.db import make_engine
from knowledge.models import (
    Call,
    Contact,
    ContactLink,
    Criterion,
    Event,
    Meta,
    Organisation,
    OrganisationTerm,
    Programme,
    SelectedProject,
    Service,
    Source,
)
from knowledge.names import Entry, NameIndex, fold, stem, stopwords, tokens
from knowledge.timeutil import call_status
from knowledge.validation import LANGS
from knowledge.views import (
    CallView,
    ContactView,
    EventView,
    Match,
    Money,
    OrganisationView,
    PlaceView,
    ProgrammeView,
    ServiceView,
    SourceView,
    Text,
    resolve,
    when_view,
)
from knowledge.views import (
    Criterion as CriterionView,
)
from knowledge.views import (
    SelectedProject as SelectedView,
)

#: kinds ``search``/``mentions`` look at unless told otherwise (``service`` only on request)
DEFAULT_KINDS = frozenset({"organisation", "programme", "call", "contact", "event", "place"})
#: organisation kinds that are not hubs (they fund or govern); ``hubs()`` leaves them out
# Organisations of a place whose selected projects are looked at ("how much did Voss get?").
PLACE_PARTICIPANTS = 200
NON_HUB_KINDS = frozenset({"ministry", "agency", "government", "regional_authority"})
STATUSES = ("open", "upcoming", "closed", "unknown")


def _names(stored: dict | None) -> list[str]:
    return [v for k, v in (stored or {}).items() if k not in ("original", "machine")]


def _original(stored: dict | None) -> str:
    return stored[stored["original"]] if stored else ""


def _money(value, currency, qualifier) -> Money | None:
    if value is None or currency is None:
        return None
    return Money(Decimal(value), currency, qualifier)


def _excerpt(evidence: dict | None) -> str | None:
    if not evidence:
        return None
    value = evidence.get("record") or next(iter(evidence.values()))
    return value[0] if isinstance(value, list) and value else value


@lru_cache(maxsize=512)
def country_names(code: str) -> tuple[str, ...]:
    """The country's name in the six languages (from CLDR through Babel)."""
    names = []
    for lang in LANGS:
        name = Locale.parse(lang).territories.get(code.upper())
        if name:
            names.append(name)
    return tuple(names)


class KnowledgeBase:
    """Read access to the knowledge base, with a fuzzy name index cached per revision."""

    def __init__(
        self,
        engine: Engine | str | None = None,
        *,
        migrate_schema: bool = True,
        background_rebuild: bool = False,
    ) -> None:
        """``background_rebuild``: after a revision change keep answering name lookups from the
        previous index while the new one is built in a thread (for a server with a large KB;
        views are always read fresh from the database)."""
        self.engine = engine if isinstance(engine, Engine) else make_engine(engine)
        self.background_rebuild = background_rebuild
        self._building: int | None = None
        if migrate_schema:
            migrate.upgrade(self.engine)
        self._lock = threading.Lock()
        self._index: NameIndex | None = None
        self._index_revision: int | None = None
        self._sources: dict[str, dict] = {}
        self._sources_revision: int | None = None
        self._sources_checked = float("-inf")
        self.index_build_seconds: float | None = None

    @classmethod
    def from_env(cls) -> KnowledgeBase:
        """The knowledge base at ``HUBGUIDE_DATABASE_URL`` (default: var/hubguide.sqlite3)."""
        return cls(None)

    # ------------------------------------------------------------------ revision and index
    def revision(self) -> int:
        """Counter that bumps on every import / staff edit (0 for an empty knowledge base)."""
        with self.engine.connect() as conn:
            value = conn.execute(select(Meta.value).where(Meta.key == "revision")).scalar()
        return int(value or 0)

    def name_index(self) -> NameIndex:
        """The fuzzy name index of the current revision (rebuilt when the revision changed)."""
        rev = self.revision()
        if self._index is not None and self._index_revision == rev:
            return self._index
        if self._index is not None and self.background_rebuild:
            with self._lock:
                if self._building != rev:
                    self._building = rev
                    threading.Thread(target=self._rebuild, args=(rev,), daemon=True).start()
            return self._index
        with self._lock:
            if self._index is None or self._index_revision != rev:
                self._rebuild(rev)
        return self._index

    def _rebuild(self, rev: int) -> None:
        started = time.perf_counter()
        index = NameIndex(self._name_forms())
        self.index_build_seconds = time.perf_counter() - started
        self._index, self._index_revision = index, rev

    def _name_forms(self) -> Iterable[tuple[Entry, str]]:
        with self.engine.connect() as conn:
            orgs = conn.execute(
                select(
                    Organisation.id,
                    Organisation.name,
                    Organisation.aliases,
                    Organisation.short_name,
                    Organisation.country,
                    Organisation.region,
                    Organisation.municipalities,
                    Organisation.source_id,
                )
            ).all()
            progs = conn.execute(
                select(Programme.id, Programme.name, Programme.funder_id, Programme.source_id)
            ).all()
            calls = conn.execute(
                select(Call.id, Call.title, Call.year, Call.issuer_id, Call.source_id)
            ).all()
            contacts = conn.execute(
                select(Contact.id, Contact.person, Contact.source_id).where(
                    Contact.person.is_not(None)
                )
            ).all()
            events = conn.execute(
                select(
                    Event.id,
                    Event.title,
                    Event.place_municipality,
                    Event.place_country,
                    Event.source_id,
                )
            ).all()
            services = conn.execute(select(Service.id, Service.name, Service.source_id)).all()
        places: dict[tuple[str, str], tuple[str, set[str]]] = {}

        def place(kind: str, key: str, display: str, forms: Iterable[str]) -> None:
            entry = places.setdefault((kind, key), (display, set()))
            entry[1].update(forms)

        org_country = {row[0]: row[4] for row in orgs}
        for oid, name, aliases, short, country, region, municipalities, sid in orgs:
            entry = Entry("organisation", oid, _original(name), country, sid)
            for form in [*_names(name), *(aliases or []), short]:
                if form:
                    yield entry, form
            if country:
                place("place", f"country:{country.lower()}", country, country_names(country))
            if region:
                place(
                    "place", f"region:{fold(_original(region))}", _original(region), _names(region)
                )
            for m in municipalities or []:
                place("place", f"municipality:{fold(m)}", m, [m])
        for pid, name, funder, sid in progs:
            entry = Entry("programme", pid, _original(name), org_country.get(funder), sid)
            for form in _names(name):
                yield entry, form
        for cid, title, year, issuer, sid in calls:
            entry = Entry("call", cid, _original(title), org_country.get(issuer), sid)
            for form in _names(title):
                yield entry, form
            original = _original(title)
            if year and str(year) not in original:
                yield entry, f"{original} {year}"
        for ctid, person, sid in contacts:
            yield Entry("contact", ctid, person, None, sid), person
        for eid, title, municipality, country, sid in events:
            entry = Entry("event", eid, _original(title), country, sid)
            for form in _names(title):
                yield entry, form
            if municipality:
                place("place", f"municipality:{municipality}", municipality, [municipality])
            if country:
                place("place", f"country:{country.lower()}", country, country_names(country))
        for svid, name, sid in services:
            entry = Entry("service", svid, _original(name), None, sid)
            for form in _names(name):
                yield entry, form
        for (kind, key), (display, forms) in places.items():
            if key.startswith("country:"):
                display = Locale("en").territories.get(display, display)
            entry = Entry(kind, key, display)
            for form in forms:
                yield entry, form

    # ------------------------------------------------------------------ name lookups
    def search(
        self, text: str, *, kinds: Collection[str] | None = None, limit: int = 5
    ) -> list[Match]:
        """Records whose name or alias is closest to ``text`` (typo-, accent-, spacing-tolerant)."""
        hits = self.name_index().search(text, kinds=set(kinds or DEFAULT_KINDS), limit=limit)
        return [self._match(h) for h in hits]

    def mentions(
        self, message: str, *, kinds: Collection[str] | None = None, limit: int = 5
    ) -> list[Match]:
        """Records named (possibly misspelt) inside a free chat message, best first."""
        hits = self.name_index().mentions(message, kinds=set(kinds or DEFAULT_KINDS), limit=limit)
        return [self._match(h) for h in hits]

    def _match(self, hit) -> Match:
        source = None
        src = self._source_rows().get(hit.source_id) if hit.source_id else None
        if src is not None:
            source = self._source(hit.source_id, src["language"], None)
        return Match(hit.kind, hit.id, hit.name, hit.score, source)

    # ------------------------------------------------------------------ sources
    #: seconds between revision checks of the (small) source cache
    SOURCE_CACHE_SECONDS = 1.0

    def _source_rows(self, *, force: bool = False) -> dict[str, dict]:
        """Source documents, cached; re-read when the revision changed (checked once a second;
        a source missing from the cache forces a re-read, so a view never lacks its source)."""
        now = time.monotonic()
        if force or now - self._sources_checked >= self.SOURCE_CACHE_SECONDS:
            self._sources_checked = now
            rev = self.revision()
            if force or self._sources_revision != rev:
                with self.engine.connect() as conn:
                    rows = conn.execute(select(Source)).mappings().all()
                self._sources = {r["id"]: dict(r) for r in rows}
                self._sources_revision = rev
        return self._sources

    def _source(self, source_id: str, lang: str, evidence: dict | None) -> SourceView:
        src = self._source_rows().get(source_id)
        if src is None:  # the cache predates a concurrent import
            src = self._source_rows(force=True)[source_id]
        return SourceView(
            id=src["id"],
            title=resolve(src["title"], lang),
            language=src["language"],
            publisher=resolve(src["publisher"], lang),
            published=src["published"],
            url=src["url"],
            file=src["file"],
            excerpt=_excerpt(evidence),
        )

    def _names_of(self, conn, model, ids: Iterable[str | None], lang: str, col: str = "name"):
        ids = {i for i in ids if i}
        if not ids:
            return {}
        column = getattr(model, col)
        rows = conn.execute(select(model.id, column).where(model.id.in_(ids)))
        return {rid: resolve(name, lang) for rid, name in rows}

    # ------------------------------------------------------------------ organisations
    def organisation(self, id: str, lang: str) -> OrganisationView | None:
        """One organisation (hub, network, ministry, …) with its services."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(Organisation).where(Organisation.id == id)).mappings().all()
            views = self._org_views(conn, rows, lang)
        return views[0] if views else None

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
                    website=r["website"],
                    description=resolve(r["description"], lang),
                    source=self._source(r["source_id"], lang, r["evidence"]),
                    evidence=r["evidence"],
                )
            )
        return out

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
        region, municipality, and/or sector; best sector match first, then by id."""
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
                norm = self._place_norm(kind, value)
                if norm is None:
                    return None
                conditions.append(
                    Organisation.id.in_(
                        select(T.organisation_id).where(T.kind == kind, T.norm == norm)
                    )
                )
        sector_stems: list[str] = []
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
        if len(value) == 2 and value.isalpha():
            return value.upper()
        if value.lower().startswith("country:"):
            return value.split(":", 1)[1].upper()
        hits = self.name_index().search(value, kinds={"place"}, limit=5)
        for h in hits:
            if h.id.startswith("country:") and h.score >= 80:
                return h.id.split(":", 1)[1].upper()
        return None

    def _place_norm(self, kind: str, value: str) -> str | None:
        if value.startswith(f"{kind}:"):
            return value.split(":", 1)[1]
        norm = fold(value)
        index = self.name_index()
        key = f"{kind}:{norm}"
        if index.has("place", key):
            return norm
        for h in index.search(value, kinds={"place"}, limit=10):
            if h.id.startswith(f"{kind}:") and h.score >= 80:
                return h.id.split(":", 1)[1]
        return norm

    # ------------------------------------------------------------------ programmes
    def programme(self, id: str, lang: str) -> ProgrammeView | None:
        """One programme (funder, budget, cap per recipient and year, period, its calls)."""
        with self.engine.connect() as conn:
            r = conn.execute(select(Programme).where(Programme.id == id)).mappings().first()
            if r is None:
                return None
            funder = self._names_of(conn, Organisation, [r["funder_id"]], lang)
            call_ids = conn.execute(
                select(Call.id).where(Call.programme_id == id).order_by(Call.position, Call.id)
            ).scalars()
            call_ids = tuple(call_ids)
        from knowledge.timeutil import bounds

        period = r["period"] or {}

        def w(key: str, end: bool):
            spec = period.get(key)
            return when_view(spec, *bounds(spec, end=end)) if spec else None

        return ProgrammeView(
            id=r["id"],
            name=resolve(r["name"], lang),
            funder_id=r["funder_id"],
            funder_name=funder.get(r["funder_id"]),
            budget_total=_money(r["budget_total"], r["budget_currency"], r["budget_qualifier"]),
            max_per_recipient_per_year=_money(
                r["max_per_recipient_per_year"], r["max_currency"], r["max_qualifier"]
            ),
            period_start=w("start", False),
            period_end=w("end", True),
            description=resolve(r["description"], lang),
            call_ids=call_ids,
            source=self._source(r["source_id"], lang, r["evidence"]),
            evidence=r["evidence"],
        )

    # ------------------------------------------------------------------ calls
    def call(self, id: str, lang: str, *, now: datetime | None = None) -> CallView | None:
        """One call for projects; with ``now`` its ``status`` is filled in."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(Call).where(Call.id == id)).mappings().all()
            views = self._call_views(conn, rows, lang, now)
        return views[0] if views else None

    def _call_views(self, conn, rows: Sequence, lang: str, now: datetime | None) -> list[CallView]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        crit: dict[str, list] = defaultdict(list)
        for c in conn.execute(
            select(Criterion).where(Criterion.call_id.in_(ids)).order_by(Criterion.position)
        ).mappings():
            crit[c["call_id"]].append(c)
        sel: dict[str, list] = defaultdict(list)
        sel_rows = (
            conn.execute(
                select(SelectedProject)
                .where(SelectedProject.call_id.in_(ids))
                .order_by(SelectedProject.position)
            )
            .mappings()
            .all()
        )
        for s in sel_rows:
            sel[s["call_id"]].append(s)
        org_ids = {r["issuer_id"] for r in rows} | {o for s in sel_rows for o in s["organisations"]}
        orgs = self._names_of(conn, Organisation, org_ids, lang)
        progs = self._names_of(conn, Programme, (r["programme_id"] for r in rows), lang)
        out = []
        for r in rows:
            view = CallView(
                id=r["id"],
                title=resolve(r["title"], lang),
                issuer_id=r["issuer_id"],
                issuer_name=orgs.get(r["issuer_id"]),
                programme_id=r["programme_id"],
                programme_name=progs.get(r["programme_id"]),
                year=r["year"],
                opens=when_view(r["opens"], r["opens_earliest"], r["opens_latest"]),
                deadline=when_view(r["deadline"], r["deadline_earliest"], r["deadline_latest"]),
                timezone=r["timezone"],
                who_may_apply=resolve(r["who_may_apply"], lang),
                criteria=tuple(
                    CriterionView(
                        c["id"],
                        c["field"],
                        c["op"],
                        c["value"],
                        resolve(c["text"], lang),
                        c["evidence"],
                    )  # fmt: skip
                    for c in crit[r["id"]]
                ),
                how_to_apply=resolve(r["how_to_apply"], lang),
                application_file=resolve(r["application_file"], lang),
                application_url=r["application_url"],
                applications_received=r["applications_received"],
                selected=tuple(
                    SelectedView(
                        project=resolve(s["project"], lang),
                        organisations=tuple(s["organisations"]),
                        organisation_names=tuple(orgs[o] for o in s["organisations"] if o in orgs),
                        amount=_money(s["amount"], s["currency"], s["qualifier"]),
                        period_years=s["period_years"],
                    )
                    for s in sel[r["id"]]
                ),
                contact_ids=tuple(r["contacts"] or ()),
                source=self._source(r["source_id"], lang, r["evidence"]),
                evidence=r["evidence"],
                status=None if now is None else self._status(r, now),
            )
            out.append(view)
        return out

    @staticmethod
    def _status(row, now: datetime) -> str:
        return call_status(
            now,
            (row["opens_earliest"], row["opens_latest"]),
            bool(row["opens"]),
            (row["deadline_earliest"], row["deadline_latest"]),
        )

    def calls(
        self,
        *,
        status: str | None,
        now: datetime,
        lang: str,
        issuer: str | None = None,
        participant: str | None = None,
        source: str | None = None,
        place: str | None = None,
        limit: int | None = None,
    ) -> list[CallView]:
        """Calls with ``status`` (open, upcoming, closed, unknown; None = all) at ``now``.

        Open calls come soonest deadline first, upcoming ones soonest opening first, closed ones
        most recently closed first. ``issuer`` restricts to one organisation's calls,
        ``participant`` to calls in which an organisation was selected, ``source`` to the calls
        of one document, ``place`` (a place id: ``country:ma``, ``municipality:voss``) to calls
        issued by, or selecting, organisations of that place.
        """
        cond, order = self._status_filter(status, now)
        if issuer:
            cond.append(Call.issuer_id == issuer)
        if participant:
            cond.append(Call.id.in_(self._calls_selecting([participant])))
        if source:
            cond.append(Call.source_id == source)
        if place:
            local = self._organisations_in(place)
            with self.engine.connect() as conn:
                members = list(conn.execute(local.limit(PLACE_PARTICIPANTS)).scalars())
            cond.append(or_(Call.issuer_id.in_(local), Call.id.in_(self._calls_selecting(members))))
        stmt = select(Call).where(and_(*cond)).order_by(*order)
        with self.engine.connect() as conn:
            rows = self._exact_rows(conn, stmt, status, now, limit)
            return self._call_views(conn, rows, lang, now)

    @staticmethod
    def _status_filter(status: str | None, now: datetime) -> tuple[list, list]:
        """SQL conditions (a superset for open and unknown) and order of calls by status."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; use one of {STATUSES}")
        n = now.astimezone(timezone.utc).replace(tzinfo=None)
        cond = []
        order = [Call.deadline_latest.desc(), Call.id]
        if status == "closed":
            cond.append(Call.deadline_latest <= n)
        elif status == "upcoming":
            cond += [
                Call.opens_earliest > n,
                or_(Call.deadline_latest.is_(None), Call.deadline_latest > n),
            ]
            order = [Call.opens_earliest, Call.id]
        elif status == "open":
            cond += [
                Call.deadline_earliest > n,
                or_(Call.opens_earliest.is_(None), Call.opens_earliest <= n),
            ]
            order = [Call.deadline_earliest, Call.id]
        elif status == "unknown":
            cond.append(or_(Call.deadline_latest.is_(None), Call.deadline_latest > n))
        return cond, order

    def count_calls(self, *, status: str | None, now: datetime) -> int:
        """How many calls have ``status`` at ``now`` (without building their views)."""
        if status is None:
            with self.engine.connect() as conn:
                return int(conn.execute(select(func.count()).select_from(Call)).scalar() or 0)
        columns = (Call.id, Call.opens, Call.opens_earliest, Call.opens_latest,
                   Call.deadline_earliest, Call.deadline_latest)  # fmt: skip
        cond, _ = self._status_filter(status, now)
        stmt = select(*columns).where(and_(*cond)).order_by(Call.id)
        with self.engine.connect() as conn:
            return len(self._exact_rows(conn, stmt, status, now, None))

    def _exact_rows(self, conn, stmt, status: str | None, now: datetime, limit: int | None):
        """Rows of ``stmt`` whose status at ``now`` is exactly ``status`` (the SQL filter is a
        superset for open and unknown), fetched page by page up to ``limit``."""
        page = 500 if limit is None else max(2 * limit, 20)
        rows: list = []
        offset = 0
        while True:
            batch = conn.execute(stmt.limit(page).offset(offset)).mappings().all()
            rows += [r for r in batch if status is None or self._status(r, now) == status]
            offset += page
            if len(batch) < page or (limit is not None and len(rows) >= limit):
                break
        return rows if limit is None else rows[:limit]

    @staticmethod
    def _calls_selecting(organisation_ids: list[str]):
        """Ids of calls with a selected project naming one of these organisations."""
        text = cast(SelectedProject.organisations, String)
        matches = [text.like(f'%"{oid}"%') for oid in organisation_ids] or [false()]
        return select(SelectedProject.call_id).where(or_(*matches))

    @staticmethod
    def _organisations_in(place: str):
        """Ids of the organisations of a place id (country, region or municipality)."""
        kind, _, value = place.partition(":")
        if kind == "country":
            return select(Organisation.id).where(Organisation.country == value.upper())
        T = OrganisationTerm
        return select(T.organisation_id).where(T.kind == kind, T.norm == value)

    # ------------------------------------------------------------------ contacts and events
    def _contact_views(self, conn, rows: Sequence, lang: str) -> list[ContactView]:
        orgs = self._names_of(conn, Organisation, (r["organisation_id"] for r in rows), lang)
        return [
            ContactView(
                id=r["id"],
                person=r["person"],
                role=resolve(r["role"], lang),
                organisation_id=r["organisation_id"],
                organisation_name=orgs.get(r["organisation_id"]),
                phones=tuple(r["phones"] or ()),
                email=r["email"],
                responsible_for=tuple(r["responsible_for"] or ()),
                source=self._source(r["source_id"], lang, r["evidence"]),
                evidence=r["evidence"],
            )
            for r in rows
        ]

    def contact(self, id: str, lang: str) -> ContactView | None:
        with self.engine.connect() as conn:
            rows = conn.execute(select(Contact).where(Contact.id == id)).mappings().all()
            views = self._contact_views(conn, rows, lang)
        return views[0] if views else None

    def contacts_for(self, id: str, lang: str) -> list[ContactView]:
        """Who to contact about a call, programme or organisation.

        Contacts named for the record first; when there are none, those of the organisation
        behind it (a call's issuer, a programme's funder, an organisation's parent).
        """
        with self.engine.connect() as conn:
            seen: list[str] = []
            targets = [id]
            for _ in range(3):
                linked = (
                    conn.execute(
                        select(Contact)
                        .where(
                            or_(
                                Contact.id.in_(
                                    select(ContactLink.contact_id).where(
                                        ContactLink.target_id.in_(targets)
                                    )
                                ),
                                Contact.organisation_id.in_(targets),
                            )
                        )
                        .order_by(Contact.position, Contact.id)
                    )
                    .mappings()
                    .all()
                )
                if linked:
                    return self._contact_views(conn, linked, lang)
                seen.extend(targets)
                up = (
                    conn.execute(select(Call.issuer_id).where(Call.id.in_(targets))).scalars().all()
                )
                up += (
                    conn.execute(select(Programme.funder_id).where(Programme.id.in_(targets)))
                    .scalars()
                    .all()
                )
                up += (
                    conn.execute(select(Organisation.parent_id).where(Organisation.id.in_(targets)))
                    .scalars()
                    .all()
                )
                targets = [t for t in up if t and t not in seen]
                if not targets:
                    break
        return []

    def events_for(self, id: str | None, lang: str) -> list[EventView]:
        """Events of an organisation (id), in a place (``municipality:…``/``country:…``), or all
        events (None); earliest first."""
        cond = []
        if id is not None:
            if id.startswith("municipality:"):
                cond.append(Event.place_municipality == id.split(":", 1)[1])
            elif id.startswith("country:"):
                cond.append(Event.place_country == id.split(":", 1)[1].upper())
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
            orgs = self._names_of(conn, Organisation, (r["organiser_id"] for r in rows), lang)
        from knowledge.timeutil import bounds

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

    def kind_of(self, id: str) -> str | None:
        """The kind of record an id belongs to (organisation, programme, call, …), or None."""
        if id.split(":", 1)[0] in ("country", "region", "municipality"):
            return "place"
        with self.engine.connect() as conn:
            for kind, model in (
                ("organisation", Organisation),
                ("call", Call),
                ("programme", Programme),
                ("contact", Contact),
                ("event", Event),
                ("service", Service),
            ):
                if conn.execute(select(model.id).where(model.id == id)).first():
                    return kind
        return None


__all__ = [
    "CallView",
    "ContactView",
    "EventView",
    "KnowledgeBase",
    "Match",
    "OrganisationView",
    "ProgrammeView",
    "SourceView",
    "Text",
]
