"""Throwaway databases on the local PostgreSQL server, for tests and benchmarks.

The machines run PostgreSQL on 127.0.0.1:5432 with trust authentication; tests and benchmarks
that use it make a database of their own and drop it afterwards, and skip with the reason when
the server cannot be reached.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

SERVER = "postgres@127.0.0.1:5432"
ADMIN_DSN = f"postgresql://{SERVER}/test"


def sqlalchemy_url(database: str) -> str:
    """The SQLAlchemy URL of `database` on the local server."""
    return f"postgresql+psycopg2://{SERVER}/{database}"


def unreachable_reason(timeout_s: int = 2) -> str | None:
    """Why the server cannot be used, or None when it answers."""
    try:
        import psycopg2

        psycopg2.connect(ADMIN_DSN, connect_timeout=timeout_s).close()
    except Exception as exc:  # noqa: BLE001 - any failure means: skip with the reason
        return f"PostgreSQL on 127.0.0.1:5432 not reachable: {exc.__class__.__name__}: {exc}"
    return None


def create_database(prefix: str) -> tuple[str, Callable[[], None]]:
    """A new empty database `<prefix>_<random>`: its name, and a function that drops it."""
    import psycopg2

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(ADMIN_DSN)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()

    return name, drop
