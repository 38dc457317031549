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
from knowledge.editing import EDITABLE, PLACES, SOURCES
from knowledge.exporter import place_item
from knowledge.importer import MODELS
from knowledge.models import Organisation, Place, Source
from knowledge.origins import PLACES_SOURCE
from knowledge.validation import ContentError
from knowledge.validation.checker import ID_RE
from staff import access, history
from staff.accounts import User
from staff.forms import TITLE_FIELD, title_of


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


#: per record kind, its model's owner and title columns (the list reads only these)
_LIST_COLUMNS = {
    "organisations": ("id", "name"),
    "programmes": ("funder_id", "name"),
    "calls": ("issuer_id", "title"),
    "services": ("provider_id", "name"),
    "events": ("organiser_id", "title"),
    "contacts": ("organisation_id", "person"),
}


def _owners(conn, source_id: str | None = None) -> dict[str, set[str | None]]:
    """source id → the organisations its records belong to (None: a record names none)."""
    out: dict[str, set[str | None]] = {}
    for kind, (owner_col, _) in _LIST_COLUMNS.items():
        model = MODELS[kind]
        query = select(model.source_id, getattr(model, owner_col))
        if source_id is not None:
            query = query.where(model.source_id == source_id)
        for sid, owner in conn.execute(query):
            out.setdefault(sid, set()).add(owner)
    return out


def _countries(conn, user: User) -> set[str]:
    """The countries of the user's organisations (where an editor may rename places)."""
    if not user.orgs:
        return set()
    rows = conn.execute(select(Organisation.country).where(Organisation.id.in_(user.orgs)))
    return {c for c in rows.scalars() if c}


def _may_read(conn, user: User, kind: str, record_id: str, record) -> bool:
    if kind == SOURCES:
        return access.can_read_source(user, _owners(conn, record_id).get(record_id, set()))
    if kind == PLACES:
        return True
    return access.can_read(user, kind, record)


def _may_write(conn, user: User, kind: str, record_id: str, before, after) -> bool:
    if kind == SOURCES:
        return access.can_write_source(user, _owners(conn, record_id).get(record_id, set()))
    if kind == PLACES:
        return access.can_write_place(user, before, after, _countries(conn, user))
    return access.can_write(user, kind, before, after)


def list_records(engine: Engine, user: User, kind: str | None = None) -> list[RecordInfo]:
    """The records, source documents and places the user may open (an editor: their
    organisations' records). Reads only the columns a list shows, not whole documents: each
    ``RecordInfo.record`` holds the id, the owner and the title (``get_record`` the rest)."""
    out = []
    with engine.connect() as conn:
        langs = _languages(conn)
        order = {sid: n for n, sid in enumerate(editing.source_ids(conn))}
        owners = _owners(conn)
        for k, (owner_col, title_col) in _LIST_COLUMNS.items():
            if kind and k != kind:
                continue
            model = MODELS[k]
            rows = conn.execute(
                select(
                    model.id,
                    model.source_id,
                    model.position,
                    getattr(model, owner_col),
                    getattr(model, title_col),
                )
            ).all()
            rows.sort(key=lambda r: (order.get(r[1], len(order)), r[2], r[0]))
            for rid, sid, _, owner, title in rows:
                record = {"id": rid, TITLE_FIELD[k]: title}
                if editing.OWNER_FIELD[k] != "id":
                    record[editing.OWNER_FIELD[k]] = owner
                if access.can_read(user, k, record):
                    out.append(_info(user, k, sid, langs[sid], record))
        if kind in (None, SOURCES):
            titles = dict(conn.execute(select(Source.id, Source.title)).all())
            for sid in order:
                mine = owners.get(sid, set())
                if access.can_read_source(user, mine):
                    record = {"id": sid, "title": titles[sid]}
                    editable = access.can_write_source(user, mine)
                    out.append(_info(user, SOURCES, sid, langs[sid], record, editable))
        if kind in (None, PLACES):
            countries = _countries(conn, user)
            rows = conn.execute(select(Place).order_by(Place.position, Place.id)).mappings()
            for row in rows:
                item = place_item(row)
                editable = access.can_write_place(user, item, item, countries)
                out.append(_info(user, PLACES, PLACES_SOURCE, "en", item, editable))
    return out


def _info(
    user: User, kind: str, sid: str, lang: str, record: dict, editable: bool | None = None
) -> RecordInfo:
    return RecordInfo(
        kind,
        record["id"],
        title_of(kind, record),
        sid,
        lang,
        editing.owner(kind, record),
        record,
        access.can_write(user, kind, record, record) if editable is None else editable,
    )


def get_record(engine: Engine, user: User, kind: str, record_id: str) -> RecordInfo:
    if kind not in EDITABLE:
        raise NotFound(kind)
    with engine.connect() as conn:
        found = editing.find(conn, kind, record_id)
        if found is None:
            raise NotFound(record_id)
        sid, record = found
        if not _may_read(conn, user, kind, record_id, record):
            raise Forbidden(record_id)
        editable = _may_write(conn, user, kind, record_id, record, record)
        lang = _languages(conn).get(sid, "en") if kind != PLACES else "en"
        return _info(user, kind, sid, lang, record, editable)


def _problems(exc: ContentError, kind: str, record_id: str) -> list[tuple[str | None, str]]:
    """The import's problems, each on the top-level field it is about (None: the record)."""
    mine = f"source[{record_id}]" if kind == SOURCES else f"{kind}[{record_id}]"
    out = []
    for p in exc.problems:
        fld = p.field.split(".")[0].split("[")[0] if p.field and p.record == mine else None
        out.append((fld, p.message if p.record in (mine, None) else str(p)))
    return out


def save_record(
    engine: Engine, user: User, kind: str, record_id: str, record: Mapping[str, Any]
) -> int:
    """Validate and store a record; returns the change's id (0: nothing changed)."""
    if kind not in EDITABLE:
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
            if not _may_write(conn, user, kind, record_id, before, record):
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
    """A new record in an existing source document (a place: in the places); returns the
    change's id."""
    if kind not in EDITABLE:
        raise NotFound(kind)
    if kind == SOURCES:
        raise Invalid([(None, "a source is added as a content file, not here")])
    if not isinstance(record, Mapping):
        raise Invalid([(None, "must be a mapping")])
    record_id = record.get("id")
    if not isinstance(record_id, str) or not ID_RE.match(record_id):
        raise Invalid(
            [("id", f"must be a lowercase slug id ([a-z0-9][a-z0-9-]*), got {record_id!r}")]
        )
    if kind == PLACES:
        source_id = PLACES_SOURCE
        if user.role != "admin":  # only admins add places (staff/access.py)
            raise Forbidden(record_id)
    elif not access.can_write(user, kind, None, record):
        raise Forbidden(record_id)
    try:
        with engine.begin() as conn:
            if kind != PLACES and source_id not in editing.source_ids(conn):
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
    """Remove a record (refused while others refer to it; a source or a place: refused);
    returns the change's id."""
    if kind not in EDITABLE:
        raise NotFound(kind)
    try:
        with engine.begin() as conn:
            found = editing.find(conn, kind, record_id)
            if found is None:
                raise NotFound(record_id)
            sid, before = found
            if not _may_write(conn, user, kind, record_id, before, None):
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
            before = current or change.after
            if not _may_write(conn, user, change.kind, change.record_id, before, change.before):
                raise Forbidden(str(change_id))
            return history.undo(conn, change, user.name)
    except ContentError as exc:
        raise Invalid(_problems(exc, change.kind, change.record_id)) from exc
