"""``hubguide staff add-user``: the password comes from standard input, never an argument."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from knowledge.db import make_engine
from staff import accounts
from staff.tables import users

ROOT = Path(__file__).resolve().parents[3]


def _hubguide(db_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ops.cli", "staff", "--database-url", db_url, *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_add_user_reads_the_password_from_stdin_and_hashes_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    added = _hubguide(
        url, "add-user", "eve", "--role", "editor", "--org", "ma-mic", "--org", "no-siva",
        stdin="a long enough password\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "added editor eve for ma-mic, no-siva" in added.stdout
    engine = make_engine(url)
    with engine.begin() as conn:
        row = conn.execute(users.select()).one()
        assert row.password_hash.startswith("$argon2id$")
        assert "a long enough password" not in row.password_hash
        assert accounts.authenticate(conn, "eve", "a long enough password").orgs == (
            "ma-mic",
            "no-siva",
        )
    engine.dispose()
    listed = _hubguide(url, "list-users")
    assert "eve" in listed.stdout and "editor" in listed.stdout


def test_add_user_refuses_what_must_not_be_made(tmp_path):
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    short = _hubguide(url, "add-user", "ada", "--role", "admin", stdin="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    no_org = _hubguide(url, "add-user", "eve", "--role", "editor", stdin="long password 1\n")
    assert no_org.returncode == 1 and "at least one organisation" in no_org.stderr
    assert (
        _hubguide(url, "add-user", "ada", "--role", "admin", stdin="long password 1\n").returncode
        == 0
    )
    again = _hubguide(url, "add-user", "ada", "--role", "reviewer", stdin="long password 2\n")
    assert again.returncode == 1 and "already exists" in again.stderr
