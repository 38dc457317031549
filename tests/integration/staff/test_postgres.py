"""The workspace's storage on PostgreSQL: accounts and throttling, a save, its history and its
undo (the SQLite runs of the other tests cover the same on the default database)."""

from __future__ import annotations

import pytest

from knowledge import editing
from knowledge.db import make_engine
from knowledge.importer import import_paths
from ops.scratch_postgres import create_database, sqlalchemy_url, unreachable_reason
from staff import accounts, history, service
from staff.tables import login_attempts

pytestmark = pytest.mark.postgres
_SKIP = unreachable_reason()
CALL = "ma-clusters-2023"


@pytest.fixture
def pg_engine():
    if _SKIP:
        pytest.skip(_SKIP)
    name, drop = create_database("hubguide_staff_test")
    engine = make_engine(sqlalchemy_url(name))
    try:
        yield engine
    finally:
        engine.dispose()
        drop()


def test_accounts_saves_history_and_undo_on_postgresql(pg_engine):
    import_paths(pg_engine)
    with pg_engine.begin() as conn:
        accounts.add_user(conn, "ada", "admin", "a long password", language="sv")
    for _ in range(5):
        with pytest.raises(accounts.AccountError):
            accounts.login(pg_engine, "ada", "wrong")
    with pytest.raises(accounts.AccountError) as locked:
        accounts.login(pg_engine, "ada", "a long password")
    assert locked.value.key == "login_locked"
    with pg_engine.begin() as conn:
        conn.execute(login_attempts.delete())
    user = accounts.login(pg_engine, "ada", "a long password")
    assert user.language == "sv"
    record = service.get_record(pg_engine, user, "calls", CALL).record
    new = {**record, "deadline": {"at": "2023-06-30T15:00", "timezone": "Africa/Casablanca"}}
    change = service.save_record(pg_engine, user, "calls", CALL, new)
    assert change > 0
    [logged] = service.record_history(pg_engine, user, "calls", CALL)
    assert logged.fields == ["deadline"] and logged.user == "ada"
    service.undo(pg_engine, user, change)
    with pg_engine.connect() as conn:
        assert editing.find(conn, "calls", CALL)[1]["deadline"]["at"] == "2023-06-14T15:00"
        assert history.get(conn, change).undone_by is not None
