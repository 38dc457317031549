"""Engine and session factory; the database URL comes from ``HUBGUIDE_DATABASE_URL``."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

ENV_VAR = "HUBGUIDE_DATABASE_URL"

REPO_ROOT = Path(__file__).resolve().parent.parent


def default_url() -> str:
    """SQLite file ``var/hubguide.sqlite3`` under the repository root."""
    return f"sqlite:///{REPO_ROOT / 'var' / 'hubguide.sqlite3'}"


def database_url(url: str | None = None) -> str:
    """The explicit URL, else the environment variable, else the default SQLite file."""
    return url or os.environ.get(ENV_VAR) or default_url()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str | None = None) -> Engine:
    """Create an engine (2.0 style); for SQLite create the parent folder and enforce FKs."""
    url = database_url(url)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict = {"future": True}
    if url.startswith("postgresql"):
        kwargs["pool_pre_ping"] = True
    elif url.startswith("sqlite") and ":memory:" not in url:
        # keep connections open: reopening the file per query costs more than the query
        kwargs["poolclass"] = QueuePool
        kwargs["connect_args"] = {"check_same_thread": False}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False, class_=Session)
