"""What the workspace pages and the JSON API do, with the role checks in one place: both call
these functions, so a rule holds for both. Synchronous (SQLAlchemy); handlers run them in a
thread."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from knowledge import editing
from knowledge.models import Source
from knowledge.validation import KINDS, ContentError
from knowledge.validation.checker import ID_RE
from staff import access, history
from staff.accounts import User
from staff.forms import title_of


class Forbidden(Exception):
    """Outside the user's role: 403, nothing changed."""


class NotFound(Exception):
    pass


class Invalid(Exception):
    """The import's checks refused the record: ``problems`` as (field, English message)."""

    def __init__(self, problems: list[tuple[str | None, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


class _Unchanged(Exception):
    """The save would store what is stored: roll back, record no change."""


@dataclass(frozen=True)
class RecordInfo:
    kind: str
    id: str
    title: str
    source_id: str
    source_language: str
    owner: str | None
    record: dict
    editable: bool

    def summary(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "source_id": self.source_id,
            "owner": self.owner,
            "editable": self.editable,
        }


def _languages(conn) -> dict[str, str]:
    return dict(conn.execute(select(Source.id, Source.language)).all())


def list_records(engine: Engine, user: User, kind: str | None = None) -> list[RecordInfo]:
    """The records the user may open (an editor: their organisations' only)."""
    from knowledge.exporter import source_document

    out = []
    with engine.connect() as conn:
        langs = _languages(conn)
        for sid in editing.source_ids(conn):
            doc = source_document(conn, sid)
            for k in KINDS:
                if kind and k != kind:
                    continue
                for record in doc.get(k) or []:
                    if access.can_read(user, k, record):
                        out.append(_info(user, k, sid, langs[sid], record))
    return out


def _info(user: User, kind: str, sid: str, lang: str, record: dict) -> RecordInfo:
    return RecordInfo(
        kind,
        record["id"],
        title_of(kind, record),
        sid,
        lang,
        editing.owner(kind, record),
        record,
        access.can_write(user, kind, record, record),
    )


def get_record(engine: Engine, user: User, kind: str, record_id: str) -> RecordInfo:
    if kind not in KINDS:
        raise NotFound(kind)
    with engine.connect() as conn:
        found = editing.find(conn, kind, record_id)
        if found is None:
            raise NotFound(record_id)
        sid, record = found
        if not access.can_read(user, kind, record):
            raise Forbidden(record_id)
        return _info(user, kind, sid, _languages(conn)[sid], record)


def _problems(exc: ContentError, kind: str, record_id: str) -> list[tuple[str | None, str]]:
    """The import's problems, each on the top-level field it is about (None: the record)."""
    mine = f"{kind}[{record_id}]"
    out = []
    for p in exc.problems:
        fld = p.field.split(".")[0].split("[")[0] if p.field and p.record == mine else None
        out.append((fld, p.message if p.record in (mine, None) else str(p)))
    return out


def save_record(
    engine: Engine, user: User, kind: str, record_id: str, record: Mapping[str, Any]
) -> int:
    """Validate and store a record; returns the change's id (0: nothing changed)."""
    if kind not in KINDS:
        raise NotFound(kind)
    if not isinstance(record, Mapping):
        raise Invalid([(None, "must be a mapping")])
    record = {**record, "id": record_id}
    try:
        with engine.begin() as conn:
            found = editing.find(conn, kind, record_id)
            if found is None:
                raise NotFound(record_id)
            sid, before = found
            if not access.can_write(user, kind, before, record):
                raise Forbidden(record_id)
            editing.save(conn, kind, record_id, record, source_id=sid)
            after = editing.find(conn, kind, record_id)
            after_record = after[1] if after else None
            if after_record == before:
                raise _Unchanged()
            return history.record(conn, user.name, kind, record_id, sid, before, after_record)
    except _Unchanged:
        return 0
    except ContentError as exc:
        raise Invalid(_problems(exc, kind, record_id)) from exc
    except IntegrityError as exc:
        raise Invalid([(None, f"the change would break a reference: {exc.orig}")]) from exc


def create_record(
    engine: Engine, user: User, kind: str, source_id: str, record: Mapping[str, Any]
) -> int:
    """A new record in an existing source document; returns the change's id."""
    if kind not in KINDS:
        raise NotFound(kind)
    if not isinstance(record, Mapping):
        raise Invalid([(None, "must be a mapping")])
    record_id = record.get("id")
    if not isinstance(record_id, str) or not ID_RE.match(record_id):
        raise Invalid(
            [("id", f"must be a lowercase slug id ([a-z0-9][a-z0-9-]*), got {record_id!r}")]
        )
    if not access.can_write(user, kind, None, record):
        raise Forbidden(record_id)
    try:
        with engine.begin() as conn:
            if source_id not in editing.source_ids(conn):
                raise NotFound(source_id)
            existing = editing.find(conn, kind, record_id)
            if existing is not None:
                raise Invalid(
                    [("id", f"duplicate id (already stored from source {existing[0]!r})")]
                )
            editing.save(conn, kind, record_id, dict(record), source_id=source_id)
            after = editing.find(conn, kind, record_id)
            return history.record(conn, user.name, kind, record_id, source_id, None, after[1])
    except ContentError as exc:
        raise Invalid(_problems(exc, kind, record_id)) from exc
    except IntegrityError as exc:
        raise Invalid([(None, f"the change would break a reference: {exc.orig}")]) from exc


def delete_record(engine: Engine, user: User, kind: str, record_id: str) -> int:
    """Remove a record (refused while others refer to it); returns the change's id."""
    if kind not in KINDS:
        raise NotFound(kind)
    try:
        with engine.begin() as conn:
            found = editing.find(conn, kind, record_id)
            if found is None:
                raise NotFound(record_id)
            sid, before = found
            if not access.can_write(user, kind, before, None):
                raise Forbidden(record_id)
            editing.save(conn, kind, record_id, None, source_id=sid)
            return history.record(conn, user.name, kind, record_id, sid, before, None)
    except ContentError as exc:
        raise Invalid(_problems(exc, kind, record_id)) from exc
    except IntegrityError as exc:
        raise Invalid([(None, f"the change would break a reference: {exc.orig}")]) from exc


def record_history(engine: Engine, user: User, kind: str, record_id: str) -> list[history.Change]:
    get_record(engine, user, kind, record_id)  # the same read rights as the record
    with engine.connect() as conn:
        return history.for_record(conn, kind, record_id)


def undo(engine: Engine, user: User, change_id: int) -> int:
    """Undo one change; ``history.UndoConflict`` when its fields changed again since."""
    try:
        with engine.begin() as conn:
            change = history.get(conn, change_id)
            if change is None:
                raise NotFound(str(change_id))
            found = editing.find(conn, change.kind, change.record_id)
            current = found[1] if found else None
            if not access.can_write(user, change.kind, current or change.after, change.before):
                raise Forbidden(str(change_id))
            return history.undo(conn, change, user.name)
    except ContentError as exc:
        raise Invalid(_problems(exc, change.kind, change.record_id)) from exc
