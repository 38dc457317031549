"""The one rule that keeps what hub staff saved in the workspace when files are imported again.

``make run`` imports ``knowledge/content/`` at every start. The rule: **an import never
overwrites a record saved in the staff workspace while the record's text in its content file is
still the one it was edited from.** When somebody changes that record in the file afterwards,
the file is the newer edit and wins. A record created in the workspace (not in any file) is
kept too, and so is a deletion made in the workspace. The import reports which records it
kept and which workspace edits the file replaced.

The same rule holds for a file's ``source:`` section (kind ``sources``, keyed by the source id:
the document's metadata saved in the workspace is kept while the file's section is the one it
was edited from) and for each place of ``places.yaml`` (kind ``places``, keyed by the place's
id in that file; a place added in the workspace stays).

The table ``kb_record_origins`` holds, per record, the hash of its file version at the last
import and when staff last saved it in the workspace.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from knowledge.exporter import place_item, source_document
from knowledge.models import Place, RecordOrigin, Source
from knowledge.validation import KINDS


def record_sha(item: Any) -> str:
    """A stable hash of one record as its file holds it (key order does not matter)."""
    text = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class KeepReport:
    """What the rule decided for one import: records kept from the workspace, and workspace
    edits the file replaced because the file's version of the record changed since."""

    kept: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    origins: list[dict] = field(default_factory=list)  # rows to store after the write
    places: list[dict] = field(default_factory=list)  # the places' rows (imported whole)


#: the kinds of the rule beside the record sections: a file's source section, a place
SOURCES = "sources"
PLACES = "places"
#: the ``source_id`` of a place's origin row (places are not in a content file)
PLACES_SOURCE = "places.yaml"


def _edited(conn: Connection) -> dict[tuple[str, str], Mapping]:
    rows = conn.execute(select(RecordOrigin).where(RecordOrigin.edited_at.is_not(None)))
    return {(r.kind, r.record_id): r._mapping for r in rows}


def _stored_source_ids(conn: Connection) -> set[str]:
    return set(conn.execute(select(Source.id)).scalars())


def apply(conn: Connection, documents: list[tuple[str, Any]]) -> tuple[list, KeepReport]:
    """The documents to validate and write, with workspace edits put back where the rule keeps
    them; ``documents`` are (file name, parsed YAML) pairs and are not changed."""
    report = KeepReport()
    edited = _edited(conn)
    stored = _stored_source_ids(conn)
    out = []
    for name, data in documents:
        doc = copy.deepcopy(data)
        source = doc.get("source") if isinstance(doc, dict) else None
        sid = source.get("id") if isinstance(source, Mapping) else None
        if not isinstance(sid, str):
            out.append((name, doc))  # validation says what is wrong with it
            continue
        current = source_document(conn, sid) if sid in stored else {}
        _merge_source(doc, sid, current, edited, report)
        for kind in KINDS:
            items = doc.get(kind)
            if not isinstance(items, list):
                continue
            _merge_section(kind, sid, items, current.get(kind) or [], edited, report)
            doc[kind] = items
        _add_created(doc, sid, current, edited, report)
        out.append((name, doc))
    return out, report


def _origin_row(
    kind: str, record_id: str, source_id: str, sha: str, origin: Mapping | None, keep: bool
) -> dict:
    """The origin row an import writes for one record: the file version it read, and when the
    workspace edit it kept was made (None: the file's version is in force)."""
    return {
        "kind": kind,
        "record_id": record_id,
        "source_id": source_id,
        "file_sha": sha,
        "edited_at": origin["edited_at"] if keep and origin is not None else None,
    }


def _merge_source(
    doc: dict, sid: str, current: Mapping, edited: Mapping, report: KeepReport
) -> None:
    """The file's ``source:`` section, or the workspace's version of it (the rule above)."""
    sha = record_sha(doc["source"])
    origin = edited.get((SOURCES, sid))
    keep = origin is not None and origin["file_sha"] == sha and "source" in current
    if keep:
        doc["source"] = copy.deepcopy(current["source"])
        report.kept.append(f"{SOURCES}[{sid}]")
    elif origin is not None:
        report.replaced.append(f"{SOURCES}[{sid}]")
    report.origins.append(_origin_row(SOURCES, sid, sid, sha, origin, keep))


def apply_places(conn: Connection, data: Any, report: KeepReport) -> Any:
    """The places file's YAML with the places saved in the workspace put back where the rule
    keeps them (``data`` is not changed); the origin rows go to ``report.places``."""
    if not isinstance(data, Mapping) or not isinstance(data.get("places"), list):
        return data  # validation says what is wrong with it
    edited = {rid: o for (kind, rid), o in _edited(conn).items() if kind == PLACES}
    rows = conn.execute(select(Place).order_by(Place.position)).mappings()
    stored = {item["id"]: item for item in (place_item(r) for r in rows)}
    merged = []
    in_file = set()
    for item in data["places"]:
        pid = item.get("id") if isinstance(item, Mapping) else None
        if not isinstance(pid, str):
            merged.append(copy.deepcopy(item))
            continue
        in_file.add(pid)
        sha = record_sha(item)
        origin = edited.get(pid)
        keep = origin is not None and origin["file_sha"] == sha and pid in stored
        if keep:
            merged.append(stored[pid])
            report.kept.append(f"{PLACES}[{pid}]")
        else:
            merged.append(copy.deepcopy(item))
            if origin is not None:
                report.replaced.append(f"{PLACES}[{pid}]")
        report.places.append(_origin_row(PLACES, pid, PLACES_SOURCE, sha, origin, keep))
    for pid, origin in edited.items():  # added in the workspace: no file version
        if pid in in_file or origin["file_sha"] is not None or pid not in stored:
            continue
        merged.append(stored[pid])
        report.kept.append(f"{PLACES}[{pid}]")
        report.places.append({**origin, "source_id": PLACES_SOURCE})
    return {**data, "places": merged}


def _merge_section(
    kind: str,
    sid: str,
    items: list,
    current: list[dict],
    edited: Mapping[tuple[str, str], Mapping],
    report: KeepReport,
) -> None:
    stored = {r["id"]: r for r in current}
    merged = []
    for item in items:
        rid = item.get("id") if isinstance(item, Mapping) else None
        if not isinstance(rid, str):
            merged.append(item)
            continue
        sha = record_sha(item)
        origin = edited.get((kind, rid))
        keep = origin is not None and origin["file_sha"] == sha
        if keep:
            if rid in stored:
                merged.append(stored[rid])
            # else: deleted in the workspace, and it stays deleted
            report.kept.append(f"{kind}[{rid}]")
        else:
            merged.append(item)
            if origin is not None:
                report.replaced.append(f"{kind}[{rid}]")
        report.origins.append(_origin_row(kind, rid, sid, sha, origin, keep))
    items[:] = merged


def _add_created(
    doc: dict,
    sid: str,
    current: Mapping,
    edited: Mapping[tuple[str, str], Mapping],
    report: KeepReport,
) -> None:
    """Records created in the workspace (no file version) stay in their source."""
    for kind in KINDS:
        in_file = {i.get("id") for i in doc.get(kind) or [] if isinstance(i, Mapping)}
        for record in current.get(kind) or []:
            origin = edited.get((kind, record["id"]))
            if record["id"] in in_file or origin is None or origin["file_sha"] is not None:
                continue
            doc.setdefault(kind, []).append(record)
            report.kept.append(f"{kind}[{record['id']}]")
            report.origins.append({**origin, "source_id": sid})


def store(conn: Connection, sources: Iterable[str], report: KeepReport) -> None:
    """After the write: the origins of the imported sources' records are the import's."""
    sids = list(sources)
    conn.execute(
        delete(RecordOrigin).where(RecordOrigin.source_id.in_(sids), RecordOrigin.kind != PLACES)
    )
    if report.origins:
        conn.execute(insert(RecordOrigin), [dict(o) for o in report.origins])
    if report.places:
        conn.execute(delete(RecordOrigin).where(RecordOrigin.kind == PLACES))
        conn.execute(insert(RecordOrigin), [dict(o) for o in report.places])


def mark_edited(conn: Connection, kind: str, record_id: str, source_id: str) -> None:
    """A workspace save: the record is now the staff's version (see the rule above)."""
    res = conn.execute(
        update(RecordOrigin)
        .where(RecordOrigin.kind == kind, RecordOrigin.record_id == record_id)
        .values(edited_at=utcnow(), source_id=source_id)
    )
    if res.rowcount == 0:
        conn.execute(
            insert(RecordOrigin).values(
                kind=kind, record_id=record_id, source_id=source_id, edited_at=utcnow()
            )
        )
