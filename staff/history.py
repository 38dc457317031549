"""Every workspace change (who, when, which record, before and after) and single-change undo.

Undo of change N puts back the fields N changed, on that record only, and only where nobody
changed them since; other records and later changes of other fields stay as they are. The undo
is itself a change (``undo_of``), so it shows in the history and can be undone in turn.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from knowledge import editing
from staff.accounts import utcnow
from staff.tables import changes


class UndoConflict(Exception):
    """The fields the change touched were changed again since; ``fields`` lists them."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = fields


@dataclass(frozen=True)
class Change:
    id: int
    at: str
    user: str
    kind: str
    record_id: str
    source_id: str
    before: dict | None
    after: dict | None
    undo_of: int | None
    undone_by: int | None

    @property
    def fields(self) -> list[str]:
        """Top-level fields whose value differs between before and after."""
        b, a = self.before or {}, self.after or {}
        return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))

    def diff(self) -> str:
        """Before → after as a unified diff of the record's YAML (the content format)."""
        return "\n".join(
            difflib.unified_diff(
                _yaml(self.before).splitlines(),
                _yaml(self.after).splitlines(),
                "before",
                "after",
                lineterm="",
            )
        )

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "at": self.at,
            "user": self.user,
            "kind": self.kind,
            "record_id": self.record_id,
            "fields": self.fields,
            "diff": self.diff(),
            "before": self.before,
            "after": self.after,
            "undo_of": self.undo_of,
            "undone_by": self.undone_by,
        }


def _yaml(record: Mapping | None) -> str:
    if record is None:
        return ""
    return yaml.safe_dump(dict(record), allow_unicode=True, sort_keys=False, width=100)


def _change(row) -> Change:
    return Change(
        row.id,
        row.at.isoformat(timespec="seconds") + "Z",
        row.user_name,
        row.kind,
        row.record_id,
        row.source_id,
        row.before,
        row.after,
        row.undo_of,
        row.undone_by,
    )


def record(
    conn: Connection,
    user: str,
    kind: str,
    record_id: str,
    source_id: str,
    before: Mapping | None,
    after: Mapping | None,
    undo_of: int | None = None,
) -> int:
    result = conn.execute(
        insert(changes).values(
            at=utcnow(),
            user_name=user,
            kind=kind,
            record_id=record_id,
            source_id=source_id,
            before=_plain(before),
            after=_plain(after),
            undo_of=undo_of,
        )
    )
    return int(result.inserted_primary_key[0])


def _plain(value: Any) -> Any:
    """JSON-safe copy (the content format holds only YAML scalars, lists and mappings)."""
    if value is None:
        return None
    return yaml.safe_load(yaml.safe_dump(dict(value), allow_unicode=True))


def for_record(conn: Connection, kind: str, record_id: str) -> list[Change]:
    rows = conn.execute(
        select(changes)
        .where(changes.c.kind == kind, changes.c.record_id == record_id)
        .order_by(changes.c.id.desc())
    )
    return [_change(r) for r in rows]


def get(conn: Connection, change_id: int) -> Change | None:
    row = conn.execute(select(changes).where(changes.c.id == change_id)).first()
    return _change(row) if row else None


def recent(conn: Connection, limit: int = 50) -> list[Change]:
    rows = conn.execute(select(changes).order_by(changes.c.id.desc()).limit(limit))
    return [_change(r) for r in rows]


def reverted(change: Change, current: Mapping | None) -> dict | None:
    """The record with the change's fields put back; ``UndoConflict`` when one of them was
    changed again since (undoing would lose that later edit)."""
    if change.before is None:  # the change created the record: undo removes it
        if current is not None and dict(current) != change.after:
            raise UndoConflict(sorted(set(current) | set(change.after or {})))
        return None
    if current is None:  # the change deleted it (or it was deleted since): bring it back
        return dict(change.before)
    after, before = change.after or {}, change.before
    result = dict(current)
    conflicts = []
    for key in change.fields:
        if _plain({"v": current.get(key)}) != _plain({"v": after.get(key)}):
            conflicts.append(key)
        elif key in before:
            result[key] = before[key]
        else:
            result.pop(key, None)
    if conflicts:
        raise UndoConflict(conflicts)
    return result


def undo(conn: Connection, change: Change, user: str) -> int:
    """Undo one change (inside the caller's transaction); returns the new change's id."""
    found = editing.find(conn, change.kind, change.record_id)
    current = found[1] if found else None
    source_id = found[0] if found else change.source_id
    new = reverted(change, current)
    editing.save(conn, change.kind, change.record_id, new, source_id=source_id)
    new_id = record(
        conn, user, change.kind, change.record_id, source_id, current, new, undo_of=change.id
    )
    conn.execute(update(changes).where(changes.c.id == change.id).values(undone_by=new_id))
    return new_id
