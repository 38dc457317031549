"""Fixtures shared by the whole suite: the seed knowledge base, the trained model, the servers."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ops.stack import FROZEN_NOW

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "knowledge" / "content"
# FROZEN_NOW, the frozen "now" of the conversation tests, lives in ops/stack.py, shared with the
# question bank's benchmark run; tests import it from here or from there.

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A copy of knowledge/content (the seed content), so tests may add broken files."""
    files = sorted(CONTENT.glob("*.yaml"))
    if not files:
        pytest.skip("knowledge/content has no content files yet")
    target = tmp_path / "content"
    target.mkdir()
    for f in files:
        shutil.copy(f, target / f.name)
    return target


@pytest.fixture(scope="session")
def seed_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite knowledge base holding the seed content, imported once per test session."""
    from knowledge.db import make_engine
    from knowledge.importer import import_paths

    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'seed.sqlite3'}"
    engine = make_engine(url)
    import_paths(engine, [CONTENT])
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model in models/, trained only when config, domain or data changed."""
    from ops.train import train

    return train(quiet=True)


@pytest.fixture(scope="session")
def embed_site_port() -> int:
    """The port of a hub's own web page that embeds the chat (another origin than the web
    chat's): the stack lists it in its allowed origins, as a hub would."""
    from ops.stack import free_port

    return free_port()


@pytest.fixture(scope="session")
def rasa_stack(
    trained_model: Path,
    seed_database_url: str,
    embed_site_port: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[object]:
    """The real action server and Rasa server on free ports, answering from the seed content."""
    from ops.stack import ORIGINS_VARIABLE, Stack, free_port

    ports = {"rasa": free_port(), "actions": free_port(), "web": free_port()}
    origins = [f"http://{host}:{ports['web']}" for host in ("localhost", "127.0.0.1")]
    origins.append(f"http://localhost:{embed_site_port}")
    stack = Stack(
        model=trained_model,
        log_dir=tmp_path_factory.mktemp("logs"),
        ports=ports,
        env={
            "HUBGUIDE_DATABASE_URL": seed_database_url,
            "HUBGUIDE_NOW": FROZEN_NOW,
            ORIGINS_VARIABLE: ",".join(origins),
        },
    )
    with stack:
        yield stack
