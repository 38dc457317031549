"""What every query needs: the engine, the revision counter, the source cache, name lookups.

``KnowledgeBase`` (``knowledge/query/__init__.py``) is assembled from one mixin per record kind
on top of this base; each mixin reads its own tables and builds its own views.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Engine

from knowledge import migrate
from knowledge.db import make_engine
from knowledge.models import (
    Call,
    Contact,
    Event,
    Meta,
    Organisation,
    Place,
    Programme,
    Service,
    Source,
)
from knowledge.names import NameIndex
from knowledge.place_tree import PlaceTree
from knowledge.query.name_forms import name_forms
from knowledge.views import Match, Money, SourceView, resolve

#: kinds ``search``/``mentions`` look at unless told otherwise (``service`` only on request)
DEFAULT_KINDS = frozenset({"organisation", "programme", "call", "contact", "event", "place"})
PLACE_PREFIXES = ("country", "region", "municipality", "locality")


def money(value, currency, qualifier) -> Money | None:
    if value is None or currency is None:
        return None
    return Money(Decimal(value), currency, qualifier)


def excerpt(evidence: dict | None) -> str | None:
    """The record's main excerpt: ``evidence.record``, else its first excerpt."""
    if not evidence:
        return None
    value = evidence.get("record") or next(iter(evidence.values()))
    return value[0] if isinstance(value, list) and value else value


class QueryBase:
    """Read access to the knowledge base, with a fuzzy name index cached per revision."""

    #: seconds between revision checks of the (small) source and place caches
    CACHE_SECONDS = 1.0

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
        self._cache: dict[str, object] = {}
        self._cache_revision: int | None = None
        self._cache_checked = float("-inf")
        self.index_build_seconds: float | None = None

    @classmethod
    def from_env(cls):
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
        with self.engine.connect() as conn:
            # the places of this revision: the small-table cache may not have looked at the
            # revision for up to a second, and a stale tree would keep a renamed place's old
            # names in the index until the next change
            index = NameIndex(name_forms(conn, self.place_tree(revision=rev)))
        self.index_build_seconds = time.perf_counter() - started
        self._index, self._index_revision = index, rev

    # ------------------------------------------------------------------ name lookups
    def search(
        self, text: str, *, kinds: Collection[str] | None = None, limit: int = 5
    ) -> list[Match]:
        """Records whose name or alias is closest to ``text`` (typo-, accent-, spacing-tolerant)."""
        hits = self.name_index().search(text, kinds=set(kinds or DEFAULT_KINDS), limit=limit)
        return [self._match(h) for h in hits]

    def mentions(
        self,
        message: str,
        *,
        kinds: Collection[str] | None = None,
        limit: int = 5,
        min_score: float = 40.0,
    ) -> list[Match]:
        """Records named (possibly misspelt) inside a free chat message, best first."""
        hits = self.name_index().mentions(
            message, kinds=set(kinds or DEFAULT_KINDS), limit=limit, min_score=min_score
        )
        return [self._match(h) for h in hits]

    def _match(self, hit) -> Match:
        source = None
        src = self._sources().get(hit.source_id) if hit.source_id else None
        if src is not None:
            source = self._source(hit.source_id, src["language"], None)
        return Match(
            hit.kind,
            hit.id,
            hit.name,
            hit.score,
            source,
            subkind=hit.subkind,
            country=hit.country,
            year=hit.year,
            matched=hit.matched,
        )

    # ------------------------------------------------------------------ small cached tables
    def _cached(self, key: str, load, revision: int | None = None):
        """A small table read once per revision (checked at most once a second; at once when
        the caller knows the ``revision`` it needs)."""
        now = time.monotonic()
        if revision is not None or now - self._cache_checked >= self.CACHE_SECONDS:
            self._cache_checked = now
            rev = self.revision() if revision is None else revision
            if rev != self._cache_revision:
                self._cache, self._cache_revision = {}, rev
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def _sources(self, *, force: bool = False) -> dict[str, dict]:
        """Source documents by id (re-read when a source is missing: a concurrent import)."""
        if force:
            self._cache.pop("sources", None)

        def load() -> dict[str, dict]:
            with self.engine.connect() as conn:
                rows = conn.execute(select(Source)).mappings().all()
            return {r["id"]: dict(r) for r in rows}

        return self._cached("sources", load)

    def place_tree(self, revision: int | None = None) -> PlaceTree:
        """The places hierarchy of the current revision (of ``revision``: the name index)."""

        def load() -> PlaceTree:
            with self.engine.connect() as conn:
                return PlaceTree([dict(r) for r in conn.execute(select(Place)).mappings()])

        return self._cached("places", load, revision)

    def _source(self, source_id: str, lang: str, evidence: dict | None) -> SourceView:
        src = self._sources().get(source_id)
        if src is None:  # the cache predates a concurrent import
            src = self._sources(force=True)[source_id]
        return SourceView(
            id=src["id"],
            title=resolve(src["title"], lang),
            language=src["language"],
            publisher=resolve(src["publisher"], lang),
            published=src["published"],
            url=src["url"],
            file=src["file"],
            excerpt=excerpt(evidence),
        )

    def _names_of(self, conn, model, ids: Iterable[str | None], lang: str, col: str = "name"):
        ids = {i for i in ids if i}
        if not ids:
            return {}
        column = getattr(model, col)
        rows = conn.execute(select(model.id, column).where(model.id.in_(ids)))
        return {rid: resolve(name, lang) for rid, name in rows}

    def kind_of(self, id: str) -> str | None:
        """The kind of record an id belongs to (organisation, programme, call, …), or None."""
        if id.split(":", 1)[0] in PLACE_PREFIXES:
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
