"""A HubGuide stack for the staff workspace's end-to-end and browser tests: its own knowledge
base (copied from the seed content, one account per role), the action and Rasa servers, and
the web server (``python -m webchat.server``, which mounts the workspace at /staff/)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from knowledge.db import make_engine
from knowledge.importer import import_paths
from ops.stack import FROZEN_NOW, TOKEN_VARIABLE, Stack, free_port
from staff import accounts
from tests.browser.conftest import stop, wait_for

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a long staff password"
#: name → (role, organisations)
ACCOUNTS = {
    "ada": ("admin", []),
    "eve": ("editor", ["ma-mic"]),
    "rex": ("reviewer", []),
    "tom": ("editor", ["ma-mic"]),  # the one the throttling test locks
}


@dataclass(frozen=True)
class StaffStack:
    stack: Stack
    database_url: str
    web_url: str


@contextmanager
def staff_stack(model: Path, folder: Path) -> Iterator[StaffStack]:
    url = f"sqlite:///{folder / 'kb.sqlite3'}"
    engine = make_engine(url)
    import_paths(engine)
    with engine.begin() as conn:
        for name, (role, orgs) in ACCOUNTS.items():
            accounts.add_user(conn, name, role, PASSWORD, orgs)
    engine.dispose()
    stack = Stack(
        model=model,
        log_dir=folder,
        ports={"rasa": free_port(), "actions": free_port(), "web": free_port()},
        env={"HUBGUIDE_DATABASE_URL": url, "HUBGUIDE_NOW": FROZEN_NOW},
    )
    with stack, web_server(stack, url, folder) as web_url:
        yield StaffStack(stack, url, web_url)


@contextmanager
def web_server(stack: Stack, database_url: str, folder: Path) -> Iterator[str]:
    """The web server, ready when the workspace answers (the widget bundle is not needed)."""
    log = folder / "web.log"
    env = {
        **os.environ,
        "HUBGUIDE_DATABASE_URL": database_url,
        "HUBGUIDE_STAFF_SECRET": "staff test secret",
        # the conversations Rasa keeps (Stack's default), which the analytics and votes read
        "HUBGUIDE_TRACKER_DB": str(folder / "conversations.sqlite3"),
        TOKEN_VARIABLE: stack.token,
    }
    port = stack.ports["web"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "webchat.server", "--port", str(port)]
            + ["--rasa-url", stack.rasa_url],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/staff/api/openapi.json", process, log, timeout=60)
        yield url
    finally:
        stop(process)
