"""The staff workspace in-process (aiohttp's test client) on a copy of the seed content, with
one account of each role."""

from __future__ import annotations

import re
from contextlib import AsyncExitStack
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient, TestServer

from knowledge.db import make_engine
from knowledge.importer import import_paths
from staff import accounts
from staff.app import create_app

PASSWORD = "correct horse battery staple"
#: editor "eve" edits the Moroccan ministry's records only
EDITOR_ORG = "ma-mic"
OWN_CALL = "ma-clusters-2023"
OTHER_CALL = "no-siva-naeringshager-utviklingsprosjekter"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Workspace:
    url: str
    engine: object


@pytest.fixture
def workspace(tmp_path, content_dir, monkeypatch):
    monkeypatch.setenv("HUBGUIDE_STAFF_LOCK_SECONDS", "300")
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    engine = make_engine(url)
    import_paths(engine, [content_dir])
    with engine.begin() as conn:
        accounts.add_user(conn, "ada", "admin", PASSWORD)
        accounts.add_user(conn, "eve", "editor", PASSWORD, [EDITOR_ORG])
        accounts.add_user(conn, "rex", "reviewer", PASSWORD, language="fr")
    yield Workspace(url, engine)
    engine.dispose()


@pytest.fixture
async def make_client(workspace):
    """Factory: a test client on the workspace, each with a cookie jar of its own."""
    async with AsyncExitStack() as stack:

        async def make() -> TestClient:
            app = create_app("http://127.0.0.1:9", database_url=workspace.url, secret="test secret")
            return await stack.enter_async_context(TestClient(TestServer(app)))

        yield make


async def login(client: TestClient, name: str, password: str = PASSWORD):
    """Log in through the form; returns the response (303 on success)."""
    page = await client.get("/staff/login")
    token = CSRF_RE.search(await page.text()).group(1)
    return await client.post(
        "/staff/login",
        data={"name": name, "password": password, "csrf_token": token},
        allow_redirects=False,
    )


async def csrf_of(client: TestClient, path: str = "/staff/") -> str:
    page = await client.get(path)
    return CSRF_RE.search(await page.text()).group(1)
