"""Who may do what: admin (everything, users), editor (the records of their organisations),
reviewer (reads everything, tries the bot, changes nothing). Checked on every route."""

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
