"""Fixtures: a fresh database per test on SQLite (temp file) and on the real PostgreSQL server."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from knowledge.db import make_engine

CONTENT = Path(__file__).resolve().parents[3] / "knowledge" / "content"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


def _pg_reason() -> str | None:
    try:
        import psycopg2

        conn = psycopg2.connect(PG_ADMIN, connect_timeout=2)
        conn.close()
    except Exception as exc:  # noqa: BLE001 - any failure means: skip with the reason
        return f"PostgreSQL on 127.0.0.1:5432 not reachable: {exc.__class__.__name__}: {exc}"
    return None


_PG_SKIP = _pg_reason()


@pytest.fixture(scope="session")
def pg_database():
    """One ``hubguide_test_<random>`` database for the session, dropped at the end."""
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    import psycopg2

    name = f"hubguide_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(PG_ADMIN)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def fresh_pg_schema(database: str):
    """An empty schema in ``database``; the URL puts it first on the search path."""
    import psycopg2

    schema = f"t_{uuid.uuid4().hex[:12]}"
    dsn = f"postgresql://postgres@127.0.0.1:5432/{database}"
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with conn.cursor() as cur:
            cur.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.close()

    url = (
        f"postgresql+psycopg2://postgres@127.0.0.1:5432/{database}?options=-csearch_path%3D{schema}"
    )
    return url, drop


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def db_url(request, tmp_path):
    """A URL of an empty database, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kb.sqlite3'}"
        return
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    url, drop = fresh_pg_schema(request.getfixturevalue("pg_database"))
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A copy of knowledge/content (the seed content), so tests may add broken files."""
    files = sorted(CONTENT.glob("*.yaml"))
    if not files:
        pytest.skip("knowledge/content has no content files yet")
    target = tmp_path / "content"
    target.mkdir()
    for f in files:
        shutil.copy(f, target / f.name)
    return target


@pytest.fixture
def kb(engine, content_dir):
    """A knowledge base holding the seed content."""
    from knowledge.importer import import_paths
    from knowledge.query import KnowledgeBase

    import_paths(engine, [content_dir])
    return KnowledgeBase(engine)
