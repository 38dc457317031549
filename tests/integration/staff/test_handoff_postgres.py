"""The hand-off section's storage on PostgreSQL: the actions and their record of who did
what, a second take refused, a reviewer refused (the SQLite runs of test_handoff_section.py
cover the pages and the API)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from knowledge import handoff, migrate
from knowledge.db import make_engine
from ops.scratch_postgres import create_database, sqlalchemy_url, unreachable_reason
from staff import accounts
from staff import handoff as section
from staff.service import Forbidden

pytestmark = pytest.mark.postgres
_SKIP = unreachable_reason()
NOW = datetime(2023, 6, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def pg_engine():
    if _SKIP:
        pytest.skip(_SKIP)
    name, drop = create_database("hubguide_staff_handoff_test")
    engine = make_engine(sqlalchemy_url(name))
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        drop()


def test_take_reply_close_are_recorded_and_a_second_take_is_refused_on_postgresql(pg_engine):
    with pg_engine.begin() as conn:
        for name, role, orgs in (("eve", "editor", ["ma-mic"]), ("sam", "editor", ["ma-mic"])):
            accounts.add_user(conn, name, role, "a long password", orgs)
        accounts.add_user(conn, "rex", "reviewer", "a long password")
        eve, sam, rex = (accounts.get(conn, n) for n in ("eve", "sam", "rex"))
    case, _ = handoff.open_case(
        pg_engine,
        "pg-conv",
        lang="sv",
        hub_id="ma-mic",
        subject_id=None,
        question="?",
        profile={},
        now=NOW,
    )
    with pytest.raises(Forbidden):
        section.act(pg_engine, rex, case.id, "take", "", NOW)
    section.act(pg_engine, eve, case.id, "take", "", NOW)
    with pytest.raises(section.Refused) as refused:
        section.act(pg_engine, sam, case.id, "take", "", NOW)
    assert refused.value.key == "handoff_conflict"
    section.act(pg_engine, sam, case.id, "reply", "Hej!", NOW)  # a colleague may answer
    assert section.act(pg_engine, eve, case.id, "close", "", NOW).state == "closed"
    detail = section.detail(pg_engine, rex, case.id)
    assert [(a.user_name, a.action) for a in detail.actions] == [
        ("eve", "take"),
        ("sam", "reply"),
        ("eve", "close"),
    ]
    assert detail.author_of(detail.case.messages[0].id) == "sam"
    assert not detail.can_act
