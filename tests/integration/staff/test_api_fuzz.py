"""Schemathesis against /staff/api/openapi.json on a real web server (``python -m
webchat.server``, which mounts the workspace): no 500 on any generated input, logged in as an
admin with a valid CSRF token (so that the checks behind it are reached)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from knowledge import handoff
from knowledge.db import make_engine
from knowledge.importer import import_paths
from ops.stack import free_port
from staff import accounts
from tests.browser.conftest import stop, wait_for

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "fuzzing password 123"


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("staff-fuzz")
    url = f"sqlite:///{folder / 'kb.sqlite3'}"
    engine = make_engine(url)
    import_paths(engine)
    with engine.begin() as conn:
        accounts.add_user(conn, "ada", "admin", PASSWORD)
    for n in range(3):  # hand-off cases for the /handoff/cases/{case_id}/... paths to act on
        handoff.open_case(
            engine,
            f"fuzz-{n}",
            lang="en",
            hub_id="ma-mic",
            subject_id=None,
            question="?",
            profile={},
            now=datetime(2023, 6, 1),
        )
    engine.dispose()
    port = free_port()
    log = folder / "web.log"
    env = {
        **os.environ,
        "HUBGUIDE_DATABASE_URL": url,
        "HUBGUIDE_STAFF_SECRET": "fuzz secret",
        "HUBGUIDE_LOG_FORMAT": "text",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "webchat.server", "--port", str(port)]
            + ["--rasa-url", f"http://127.0.0.1:{free_port()}"],  # nobody there: try → 503
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/staff/api/openapi.json", process, log, timeout=60)
        login = requests.post(
            f"{base}/staff/api/login", json={"name": "ada", "password": PASSWORD}, timeout=10
        )
        login.raise_for_status()
        yield {
            "base": base,
            "cookie": login.cookies["hubguide_staff"],
            "csrf": login.json()["csrf_token"],
            "log": log,
        }
    finally:
        stop(process)


@pytest.fixture(scope="module")
def api_schema(staff_server):
    return schemathesis.from_uri(
        f"{staff_server['base']}/staff/api/openapi.json",
        base_url=f"{staff_server['base']}/staff/api",
    )


schema = schemathesis.from_pytest_fixture("api_schema")


def no_server_error(response, case) -> None:
    """No 5xx, except the documented 503 of /try: this server has no bot behind it."""
    documented = case.path == "/try" and response.status_code == 503
    assert response.status_code < 500 or documented, (
        f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"
    )


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,  # POST /users now and then: its body has an array
    ],
)
def test_no_generated_request_gets_a_server_error(case, staff_server):
    response = case.call(
        headers={
            "Cookie": f"hubguide_staff={staff_server['cookie']}",
            "X-CSRF-Token": staff_server["csrf"],
        },
        timeout=30,
    )
    case.validate_response(response, checks=(no_server_error,))


def test_the_fuzzed_server_logged_no_unhandled_error(staff_server):
    """Runs after the fuzzing (same module): nothing it sent made a handler crash."""
    log = staff_server["log"].read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
