"""Staff accounts: argon2 password hashes, roles, and login throttling per account name.

There is no default account: the first one is made with ``hubguide staff add-user``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from knowledge.languages import SUPPORTED
from staff.tables import login_attempts, users

ROLES = ("admin", "editor", "reviewer")
#: failed logins in a row after which an account name is locked, and for how long
MAX_FAILURES = 5
LOCK_VARIABLE = "HUBGUIDE_STAFF_LOCK_SECONDS"
NAME_MAX = 80
PASSWORD_MIN = 10

_HASHER = PasswordHasher()
# verified when the name is unknown, so that a wrong name costs as long as a wrong password
_DUMMY_HASH = _HASHER.hash("not a password of anybody")


class AccountError(ValueError):
    """A request about accounts that cannot be done; ``key`` names the catalogue message."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class User:
    name: str
    role: str
    orgs: tuple[str, ...]
    language: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def lock_seconds() -> int:
    return int(os.environ.get(LOCK_VARIABLE, "300"))


def _user(row) -> User:
    return User(row.name, row.role, tuple(row.orgs or ()), row.language)


def check_new(name: str, role: str, password: str, orgs: list[str]) -> None:
    """Raise ``AccountError`` for an account that must not be made."""
    if not name or len(name) > NAME_MAX or not name.replace("-", "").replace("_", "").isalnum():
        raise AccountError("account_bad_name")
    if role not in ROLES:
        raise AccountError("account_bad_role")
    if len(password) < PASSWORD_MIN:
        raise AccountError("account_short_password", minimum=PASSWORD_MIN)
    if role == "editor" and not orgs:
        raise AccountError("account_editor_needs_org")


def add_user(
    conn: Connection,
    name: str,
    role: str,
    password: str,
    orgs: list[str] | None = None,
    language: str = "en",
) -> User:
    orgs = list(orgs or [])
    check_new(name, role, password, orgs)
    if conn.execute(select(users.c.id).where(users.c.name == name)).first():
        raise AccountError("account_exists", name=name)
    conn.execute(
        insert(users).values(
            name=name,
            password_hash=_HASHER.hash(password),
            role=role,
            orgs=orgs if role == "editor" else [],
            language=language if language in SUPPORTED else "en",
            active=True,
            created_at=utcnow(),
        )
    )
    return User(name, role, tuple(orgs if role == "editor" else []), language)


def get(conn: Connection, name: str) -> User | None:
    row = conn.execute(select(users).where(users.c.name == name, users.c.active.is_(True))).first()
    return _user(row) if row else None


def all_users(conn: Connection) -> list[User]:
    rows = conn.execute(select(users).where(users.c.active.is_(True)).order_by(users.c.name))
    return [_user(r) for r in rows]


def remove(conn: Connection, name: str) -> bool:
    """Deactivate an account (its changes stay in the history under its name)."""
    return conn.execute(update(users).where(users.c.name == name).values(active=False)).rowcount > 0


def set_language(conn: Connection, name: str, language: str) -> None:
    if language in SUPPORTED:
        conn.execute(update(users).where(users.c.name == name).values(language=language))


def locked_for(conn: Connection, name: str) -> int:
    """Seconds the account name stays locked (0: not locked)."""
    row = conn.execute(select(login_attempts).where(login_attempts.c.name == name[:NAME_MAX]))
    found = row.first()
    if not found or not found.locked_until:
        return 0
    left = (found.locked_until - utcnow()).total_seconds()
    return max(0, int(left) + 1) if left > 0 else 0


def _failed(conn: Connection, name: str) -> None:
    name = name[:NAME_MAX]
    row = conn.execute(select(login_attempts).where(login_attempts.c.name == name)).first()
    failures = (row.failures if row else 0) + 1
    locked = utcnow() + timedelta(seconds=lock_seconds()) if failures >= MAX_FAILURES else None
    if row:
        conn.execute(
            update(login_attempts)
            .where(login_attempts.c.name == name)
            .values(failures=0 if locked else failures, locked_until=locked)
        )
    else:
        conn.execute(insert(login_attempts).values(name=name, failures=failures, locked_until=None))


def authenticate(conn: Connection, name: str, password: str) -> User:
    """The user, or ``AccountError`` ("login_failed" / "login_locked"). Five failures in a
    row lock the name, whether or not it exists, so names cannot be told apart."""
    if locked_for(conn, name):
        raise AccountError("login_locked", minutes=max(1, -(-locked_for(conn, name) // 60)))
    row = conn.execute(
        select(users).where(users.c.name == name[:NAME_MAX], users.c.active.is_(True))
    ).first()
    try:
        _HASHER.verify(row.password_hash if row else _DUMMY_HASH, password)
        ok = row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        _failed(conn, name)
        if locked_for(conn, name):
            raise AccountError("login_locked", minutes=max(1, -(-lock_seconds() // 60)))
        raise AccountError("login_failed")
    conn.execute(delete(login_attempts).where(login_attempts.c.name == name))
    if _HASHER.check_needs_rehash(row.password_hash):
        conn.execute(
            update(users).where(users.c.id == row.id).values(password_hash=_HASHER.hash(password))
        )
    return _user(row)


def login(engine: Engine, name: str, password: str) -> User:
    """``authenticate`` in a transaction of its own that is committed even when the login
    fails: the failure count must be stored, or the throttle would never lock."""
    with engine.begin() as conn:
        try:
            return authenticate(conn, name, password)
        except AccountError as exc:
            error = exc
    raise error
