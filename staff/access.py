"""Who may do what: admin (everything, users), editor (the records of their organisations),
reviewer (reads everything, tries the bot, changes nothing). Checked on every route.

Source documents (their ``source:`` section) and places belong to no single organisation:
- a **source**: an editor reads one that holds at least one record of their organisations and
  saves one whose records all belong to their organisations (records that name no
  organisation do not count): its title, publisher and address are cited with every record
  of the document, so an editor does not change how another organisation's records are cited;
- a **place**: everyone reads every place; an editor changes only the ``names`` of a place in
  a country of one of their organisations and adds none; admins change and add any place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.editing import owner
from staff.accounts import User


def can_read(user: User, kind: str, record: Mapping[str, Any] | None) -> bool:
    if user.role in ("admin", "reviewer"):
        return True
    return user.role == "editor" and owner(kind, record) in user.orgs


def can_write(
    user: User, kind: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> bool:
    """An editor may neither change another organisation's record nor move one of theirs to
    another organisation (both versions must be theirs)."""
    if user.role == "admin":
        return True
    if user.role != "editor":
        return False
    return all(owner(kind, r) in user.orgs for r in (before, after) if r is not None)


def can_manage_users(user: User) -> bool:
    return user.role == "admin"


def can_read_source(user: User, owners: set[str | None]) -> bool:
    """``owners``: the organisations the source's records belong to (None: names none)."""
    if user.role in ("admin", "reviewer"):
        return True
    return user.role == "editor" and bool(owners & set(user.orgs))


def can_write_source(user: User, owners: set[str | None]) -> bool:
    if user.role == "admin":
        return True
    named = owners - {None}
    return user.role == "editor" and bool(named) and named <= set(user.orgs)


def can_write_place(
    user: User,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    countries: set[str],
) -> bool:
    """``countries``: those of the editor's organisations."""
    if user.role == "admin":
        return True
    if user.role != "editor" or before is None or after is None:
        return False  # editors add no place and delete none
    others = (set(before) | set(after)) - {"names"}
    same = all(before.get(k) == after.get(k) for k in others)
    return same and before.get("country") in countries
