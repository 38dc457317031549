"""Fixtures: a fresh database per test on SQLite (temp file) and on the real PostgreSQL server."""

from __future__ import annotations

import uuid

import pytest

from knowledge.db import make_engine
from ops.scratch_postgres import SERVER, create_database, sqlalchemy_url, unreachable_reason

_PG_SKIP = unreachable_reason()


@pytest.fixture(scope="session")
def pg_database():
    """One ``hubguide_test_<random>`` database for the session, dropped at the end."""
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    name, drop = create_database("hubguide_test")
    try:
        yield name
    finally:
        drop()


def fresh_pg_schema(database: str):
    """An empty schema in ``database``; the URL puts it first on the search path."""
    import psycopg2

    schema = f"t_{uuid.uuid4().hex[:12]}"
    conn = psycopg2.connect(f"postgresql://{SERVER}/{database}")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with conn.cursor() as cur:
            cur.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.close()

    return f"{sqlalchemy_url(database)}?options=-csearch_path%3D{schema}", drop


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
def kb(engine, content_dir):
    """A knowledge base holding the seed content."""
    from knowledge.importer import import_paths
    from knowledge.query import KnowledgeBase

    import_paths(engine, [content_dir])
    return KnowledgeBase(engine)
