"""Saving one record from outside the files (the staff workspace and its API).

A save rebuilds the record's whole source document from the database, puts the new version of
the record in it and sends it through the same validation and the same write as
``hubguide kb import`` (``knowledge.validation.load_documents`` → ``importer.write``): one code
path, the same errors, and the revision bumps so the bot's caches see the change at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from knowledge import origins
from knowledge.exporter import source_document
from knowledge.importer import MODELS, stored_ids, write
from knowledge.models import Source
from knowledge.validation import KINDS, PLACES_FILE, ContentError, Problem, load_documents

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
    """(source id, the record in the content format) or None when there is no such record."""
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


def owner(kind: str, record: Mapping[str, Any] | None) -> str | None:
    """The id of the organisation the record belongs to (None: it names none)."""
    if not record:
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
    places: Path = PLACES_FILE,
) -> int:
    """Validate and store the new version of one record (``record`` None deletes it) inside
    the caller's transaction; raise ``ContentError`` (nothing changed) when it is invalid.
    Returns the new revision."""
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
    bundle = load_documents(
        [(f"{source_id}.yaml", doc)], stored_ids(conn, {source_id}), places=places
    )
    revision = write(conn, bundle)
    origins.mark_edited(conn, kind, record_id, source_id)
    return revision
