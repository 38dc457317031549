"""Saving one record from outside the files (the staff workspace and its API).

A save rebuilds the record's whole source document from the database, puts the new version of
the record in it and sends it through the same validation and the same write as
``hubguide kb import`` (``knowledge.validation.load_documents`` → ``importer.write``): one code
path, the same errors, and the revision bumps so the bot's caches see the change at once.

Beside the six record kinds, two more things are saved here: a document's ``source:`` section
(kind ``sources``, the record id is the source id; saved like a record: its whole document is
validated and written) and a place of ``places.yaml`` (kind ``places``, the id is the place's
id in that file: the whole places list, with the new version, goes through the import's
``check_places`` and replaces the places table; every organisation's place terms are
recomputed). A source is neither created nor deleted here (that is a content file); a place
is added or removed (content naming a removed place keeps a place of its own name, as for a
name places.yaml lacks). The places a record save validates against
are the stored ones (the workspace's), not ``knowledge/places.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from knowledge import origins
from knowledge.exporter import place_item, places_document, source_document
from knowledge.importer import MODELS, bump_revision, refresh_place_terms, stored_ids, write
from knowledge.importer import write_places as _write_places
from knowledge.models import Place, Source
from knowledge.validation import KINDS, Bundle, ContentError, Problem, load_documents
from knowledge.validation.places import PLACE_KINDS, check_places

SOURCES = origins.SOURCES
PLACES = origins.PLACES
#: every kind the workspace edits: the record sections, source sections and places
EDITABLE = (*KINDS, SOURCES, PLACES)
#: the fields of a source section (``id`` and ``language`` are kept as stored: the language
#: says how every text of the file without a language key is read, so it changes in the file)
SOURCE_FIXED = ("id", "language")

#: the organisation a record belongs to, per kind (what an editor's ``--org`` scope is about)
OWNER_FIELD = {
    "organisations": "id",
    "programmes": "funder",
    "calls": "issuer",
    "services": "provider",
    "events": "organiser",
    "contacts": "organisation",
}


def find(conn: Connection, kind: str, record_id: str) -> tuple[str, dict] | None:
    """(source id, the record in the content format) or None when there is no such record; a
    source section: (its id, the section); a place: (``places.yaml``, the place as that file
    holds it)."""
    if kind == SOURCES:
        if conn.execute(select(Source.id).where(Source.id == record_id)).scalar() is None:
            return None
        return record_id, source_document(conn, record_id)["source"]
    if kind == PLACES:
        row = conn.execute(select(Place).where(Place.id.in_(place_ids(record_id)))).mappings()
        found = row.first()
        return (origins.PLACES_SOURCE, place_item(found)) if found else None
    if kind not in MODELS:
        return None
    model = MODELS[kind]
    sid = conn.execute(select(model.source_id).where(model.id == record_id)).scalar()
    if sid is None:
        return None
    for record in source_document(conn, sid).get(kind) or []:
        if record["id"] == record_id:
            return sid, record
    return None


def place_ids(place_id: str) -> list[str]:
    """The ids a place of places.yaml may have in the table (``region:<id>``, …)."""
    return [f"{kind}:{place_id}" for kind in PLACE_KINDS]


def owner(kind: str, record: Mapping[str, Any] | None) -> str | None:
    """The id of the organisation the record belongs to (None: it names none, or it is a
    source section or a place, which belong to no single organisation)."""
    if not record or kind not in OWNER_FIELD:
        return None
    value = record.get(OWNER_FIELD[kind])
    return value if isinstance(value, str) else None


def source_ids(conn: Connection) -> list[str]:
    return list(conn.execute(select(Source.id).order_by(Source.position, Source.id)).scalars())


def save(
    conn: Connection,
    kind: str,
    record_id: str,
    record: Any,
    *,
    source_id: str,
    places: Path | Mapping | None = None,
) -> int:
    """Validate and store the new version of one record (``record`` None deletes it) inside
    the caller's transaction; raise ``ContentError`` (nothing changed) when it is invalid.
    ``places``: the places to validate with (default: the stored ones). Returns the new
    revision."""
    if kind == SOURCES:
        return save_source(conn, record_id, record)
    if kind == PLACES:
        return save_place(conn, record_id, record)
    if kind not in KINDS:
        raise ContentError([Problem(f"{source_id}.yaml", None, None, f"unknown kind {kind!r}")])
    doc = source_document(conn, source_id)
    items = [r for r in doc.get(kind) or [] if r.get("id") != record_id]
    position = next(
        (n for n, r in enumerate(doc.get(kind) or []) if r.get("id") == record_id), len(items)
    )
    if record is not None:
        items.insert(position, record)
    doc[kind] = items
    return _write_document(conn, doc, kind, record_id, places)


def _write_document(
    conn: Connection, doc: dict, kind: str, record_id: str, places: Path | Mapping | None
) -> int:
    source_id = doc["source"]["id"]
    bundle = load_documents(
        [(f"{source_id}.yaml", doc)],
        stored_ids(conn, {source_id}),
        places=places if places is not None else places_document(conn),
    )
    revision = write(conn, bundle)
    origins.mark_edited(conn, kind, record_id, source_id)
    return revision


def _refused(name: str, record: str, fld: str | None, message: str) -> ContentError:
    return ContentError([Problem(name, record, fld, message)])


def save_source(conn: Connection, source_id: str, section: Any) -> int:
    """Validate and store a document's new ``source:`` section (its id and language stay)."""
    if section is None:
        raise _refused(
            f"{source_id}.yaml", f"source[{source_id}]", None, "a source cannot be deleted here"
        )
    doc = source_document(conn, source_id)
    if not isinstance(section, Mapping):
        raise _refused(f"{source_id}.yaml", f"source[{source_id}]", None, "must be a mapping")
    for fld in SOURCE_FIXED:
        if fld in section and section[fld] != doc["source"][fld]:
            raise _refused(
                f"{source_id}.yaml",
                f"source[{source_id}]",
                fld,
                "cannot be changed in the workspace (change it in the content file)",
            )
    doc["source"] = {**section, **{f: doc["source"][f] for f in SOURCE_FIXED}}
    return _write_document(conn, doc, SOURCES, source_id, None)


def save_place(conn: Connection, place_id: str, item: Any) -> int:
    """Validate the places with the new version of one place (added when it is new, removed
    when ``item`` is None) through
    the import's ``check_places``, replace the places table and recompute every
    organisation's place terms."""
    places = places_document(conn)["places"]
    position = next((n for n, p in enumerate(places) if p["id"] == place_id), len(places))
    places = [p for p in places if p["id"] != place_id]
    if item is not None:  # None: removed (refused while another place lies in it)
        places.insert(position, {**item, "id": place_id} if isinstance(item, Mapping) else item)
    problems: list[Problem] = []
    bundle = Bundle()
    check_places({"places": places}, bundle, problems, name=origins.PLACES_SOURCE)
    if problems:
        raise ContentError(problems)
    tree = _write_places(conn, bundle)
    refresh_place_terms(conn, tree)
    origins.mark_edited(conn, PLACES, place_id, origins.PLACES_SOURCE)
    return bump_revision(conn)
