"""Write validated content into the database: all files in one transaction, idempotently.

Importing a set of files replaces everything those sources held before (records dropped from a
file disappear); records of other sources stay. Foreign keys are deferred, so the order of
deletes and inserts inside the transaction does not matter; they are checked at commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from knowledge import deadlines, migrate
from knowledge.models import (
    Call,
    Contact,
    ContactLink,
    Criterion,
    Event,
    Meta,
    Organisation,
    OrganisationTerm,
    Place,
    Programme,
    Role,
    SelectedProject,
    Service,
    Source,
)
from knowledge.names import stem, stopwords
from knowledge.place_tree import PlaceTree
from knowledge.text import fold
from knowledge.validation import KINDS, PLACES_FILE, Bundle, ContentError, Problem, load
from knowledge.validation.files import places_path

CONTENT_DIR = Path(__file__).with_name("content")
MODELS = {
    "organisations": Organisation,
    "programmes": Programme,
    "calls": Call,
    "services": Service,
    "events": Event,
    "contacts": Contact,
}


def _text_values(text: dict | None) -> list[str]:
    if not text:
        return []
    return [v for k, v in text.items() if k not in ("original", "machine")]


def organisation_terms(org: dict, places: PlaceTree) -> list[dict]:
    """Lookup terms of an organisation row: its country, every place it lies in (regions of its
    municipalities included) and its sector stems."""
    terms: set[tuple[str, str]] = set()
    if org.get("country"):
        terms.add(("country", org["country"].lower()))
    for place_id in places.places_of(
        region=org.get("region"), municipalities=org.get("municipalities") or []
    ):
        terms.add(("place", place_id[:200]))
    stop = stopwords()
    for sector in org.get("sectors") or []:
        for value in _text_values(sector):
            for tok in fold(value).split():
                if tok not in stop and len(tok) > 1:
                    terms.add(("sector", stem(tok)))
    return [
        {"organisation_id": org["id"], "kind": kind, "norm": norm} for kind, norm in sorted(terms)
    ]


def contact_links(contacts: Iterable[dict], calls: Iterable[dict]) -> list[dict]:
    """Link rows: contact → what it answers for, from both sides of the content."""
    links = {(c["id"], t, False) for c in contacts for t in c["responsible_for"]}
    links |= {(ct, k["id"], True) for k in calls for ct in k["contacts"]}
    return [{"contact_id": c, "target_id": t, "via_call": v} for c, t, v in sorted(links)]


def bump_revision(conn: Connection) -> int:
    """Increase the revision counter the action server watches; returns the new value."""
    res = conn.execute(update(Meta).where(Meta.key == "revision").values(value=Meta.value + 1))
    if res.rowcount == 0:
        conn.execute(insert(Meta).values(key="revision", value=1))
    return conn.execute(select(Meta.value).where(Meta.key == "revision")).scalar_one()


def stored_ids(conn: Connection, exclude_sources: set[str]) -> dict[str, dict[str, str]]:
    """kind → {id: source id} of records stored from sources other than ``exclude_sources``."""
    out: dict[str, dict[str, str]] = {}
    for kind, model in MODELS.items():
        rows = conn.execute(select(model.id, model.source_id))
        out[kind] = {rid: sid for rid, sid in rows if sid not in exclude_sources}
    return out


def _source_ids(paths: list[Path]) -> set[str]:
    """Source ids of the files, read leniently (validation proper happens in ``load``)."""
    from knowledge.validation import read_yaml

    ids = set()
    for p in paths:
        try:
            data = read_yaml(p)
            ids.add(data["source"]["id"])
        except Exception:  # noqa: BLE001 - reported by load()
            continue
    return ids


def validate(
    engine: Engine | None, paths: Iterable[str | Path], places: Path = PLACES_FILE
) -> Bundle:
    """Validate files, resolving references against what is already stored when possible."""
    from knowledge.validation import content_paths

    paths = list(paths)
    files = content_paths(paths)
    places = places_path(paths, places) if places == PLACES_FILE else places
    known: dict[str, dict[str, str]] = {}
    if engine is not None:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            known = stored_ids(conn, _source_ids(files))
    return load(files, known, places=places)


def write_places(conn: Connection, bundle: Bundle) -> PlaceTree:
    """Replace the places table with the bundle's places file (it is always imported whole)."""
    conn.execute(update(Place).values(parent_id=None))
    conn.execute(delete(Place))
    if bundle.places:
        conn.execute(insert(Place), bundle.places)
    return PlaceTree(bundle.places)


def write(conn: Connection, bundle: Bundle) -> int:
    """Replace the bundle's sources in the database (inside the caller's transaction)."""
    sids = {s["id"] for s in bundle.sources}
    call_ids = bundle.ids("calls")
    old_calls = select(Call.id).where(Call.source_id.in_(sids))
    conn.execute(delete(ContactLink).where(ContactLink.target_id.in_(old_calls)))
    conn.execute(
        delete(ContactLink).where(ContactLink.via_call, ContactLink.target_id.in_(call_ids))
    )
    old_contacts = select(Contact.id).where(Contact.source_id.in_(sids))
    conn.execute(delete(ContactLink).where(ContactLink.contact_id.in_(old_contacts)))
    conn.execute(delete(Criterion).where(Criterion.call_id.in_(old_calls)))
    conn.execute(delete(SelectedProject).where(SelectedProject.call_id.in_(old_calls)))
    old_orgs = select(Organisation.id).where(Organisation.source_id.in_(sids))
    old_programmes = select(Programme.id).where(Programme.source_id.in_(sids))
    conn.execute(
        delete(Role).where(or_(Role.record_id.in_(old_orgs), Role.record_id.in_(old_programmes)))
    )
    conn.execute(delete(OrganisationTerm).where(OrganisationTerm.organisation_id.in_(old_orgs)))
    for kind in reversed(KINDS):
        model = MODELS[kind]
        conn.execute(delete(model).where(model.source_id.in_(sids)))
    conn.execute(delete(Source).where(Source.id.in_(sids)))

    conn.execute(insert(Source), bundle.sources)
    for kind in KINDS:
        if bundle.rows[kind]:
            conn.execute(insert(MODELS[kind]), bundle.rows[kind])
    if bundle.criteria:
        conn.execute(
            insert(Criterion),
            [{k: v for k, v in c.items() if k != "_file"} for c in bundle.criteria],
        )
    if bundle.selected:
        conn.execute(insert(SelectedProject), bundle.selected)
    if bundle.roles:
        conn.execute(
            insert(Role), [{k: v for k, v in r.items() if k != "_file"} for r in bundle.roles]
        )
    places = write_places(conn, bundle)
    _refresh_terms(conn, places, bundle)
    links = contact_links(bundle.rows["contacts"], bundle.rows["calls"])
    if links:
        conn.execute(insert(ContactLink), links)
    # A moved deadline moves its reminders and tells their subscribers (knowledge/deadlines.py).
    deadlines.sync(conn, call_ids)
    return bump_revision(conn)


def _refresh_terms(conn: Connection, places: PlaceTree, bundle: Bundle) -> None:
    """Terms of the imported organisations, and the place terms of every other organisation
    (the places file is imported whole, so a region added today reaches older content too)."""
    imported = bundle.ids("organisations")
    others = conn.execute(
        select(Organisation.id, Organisation.region, Organisation.municipalities).where(
            Organisation.id.not_in(imported)
        )
    ).all()
    if others:
        conn.execute(
            delete(OrganisationTerm).where(
                OrganisationTerm.kind == "place",
                OrganisationTerm.organisation_id.in_([row.id for row in others]),
            )
        )
    terms = [t for o in bundle.rows["organisations"] for t in organisation_terms(o, places)]
    for oid, region, municipalities in others:
        terms += [
            {"organisation_id": oid, "kind": "place", "norm": place_id[:200]}
            for place_id in places.places_of(region=region, municipalities=municipalities or [])
        ]
    if terms:
        conn.execute(insert(OrganisationTerm), terms)


def refresh_place_terms(conn: Connection, places: PlaceTree) -> None:
    """Every organisation's place terms from ``places`` (after a place was saved)."""
    rows = conn.execute(
        select(Organisation.id, Organisation.region, Organisation.municipalities)
    ).all()
    conn.execute(delete(OrganisationTerm).where(OrganisationTerm.kind == "place"))
    terms = [
        {"organisation_id": oid, "kind": "place", "norm": place_id[:200]}
        for oid, region, municipalities in rows
        for place_id in places.places_of(region=region, municipalities=municipalities or [])
    ]
    if terms:
        conn.execute(insert(OrganisationTerm), terms)


def read_documents(paths: Iterable[str | Path]) -> list[tuple[str, object]]:
    """Parse the content files; raise ``ContentError`` when one cannot be read."""
    from knowledge.validation import content_paths
    from knowledge.validation.files import read_checked

    files = content_paths(paths)
    problems: list[Problem] = []
    if not files:
        problems.append(Problem("(none)", None, None, "no content files given or found"))
    documents = []
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), None, None, "file not found"))
            continue
        data = read_checked(path, problems)
        if data is not None:
            documents.append((path.name, data))
    if problems:
        raise ContentError(problems)
    return documents


def read_places(path: Path) -> dict:
    """The places file's YAML; ``ContentError`` when it cannot be read."""
    from knowledge.validation.files import read_checked

    problems: list[Problem] = []
    data = read_checked(path, problems)
    if problems:
        raise ContentError(problems)
    return data


def import_paths(
    engine: Engine, paths: Iterable[str | Path] | None = None, places: Path = PLACES_FILE
) -> tuple[Bundle, int]:
    """Migrate, validate every file and the places file, then write them in one transaction.

    Records, source sections and places saved in the staff workspace are kept by the rule of
    ``knowledge/origins.py``; the bundle's ``kept``/``replaced`` say what it decided. The places
    file is ``places`` (``knowledge/places.yaml``), or the ``places.yaml`` of the one folder
    given (an export). Raises ``ContentError`` (nothing
    written) when a file is invalid or the result would leave a dangling reference. Returns the
    bundle and the new revision.
    """
    from knowledge import origins
    from knowledge.validation import load_documents

    paths = list(paths) if paths else [CONTENT_DIR]
    documents = read_documents(paths)
    places_doc = read_places(places_path(paths, places) if places == PLACES_FILE else places)
    migrate.upgrade(engine)
    try:
        with engine.begin() as conn:
            documents, report = origins.apply(conn, documents)
            places_doc = origins.apply_places(conn, places_doc, report)
            sids = {d["source"]["id"] for _, d in documents if _source_id(d)}
            bundle = load_documents(documents, stored_ids(conn, sids), places=places_doc)
            revision = write(conn, bundle)
            origins.store(conn, bundle.files, report)
    except IntegrityError as exc:
        raise ContentError(
            [Problem("(database)", None, None, f"the import would break a reference: {exc.orig}")]
        ) from exc
    bundle.kept, bundle.replaced = report.kept, report.replaced
    return bundle, revision


def _source_id(doc: object) -> str | None:
    source = doc.get("source") if isinstance(doc, dict) else None
    sid = source.get("id") if isinstance(source, dict) else None
    return sid if isinstance(sid, str) else None
