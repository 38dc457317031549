"""Votes and handled marks on PostgreSQL (migration 0007): stored, replaced, read back with the
same float timestamps, pruned after the retention period."""

from __future__ import annotations

from datetime import timedelta

import pytest

from knowledge import feedback, migrate
from knowledge.db import make_engine
from ops.scratch_postgres import create_database, sqlalchemy_url, unreachable_reason

pytestmark = pytest.mark.postgres
_SKIP = unreachable_reason()
STAMP = 1764857923.4567891


@pytest.fixture
def pg_engine():
    if _SKIP:
        pytest.skip(_SKIP)
    name, drop = create_database("hubguide_feedback_test")
    engine = make_engine(sqlalchemy_url(name))
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        drop()


def test_votes_and_marks_round_trip_and_are_pruned_on_postgresql(pg_engine):
    now = feedback.utcnow()
    with pg_engine.begin() as conn:
        feedback.record_vote(conn, "conv", STAMP, "An answer.", "up", at=now)
        feedback.record_vote(conn, "conv", STAMP, "An answer.", "down", at=now)
        feedback.record_vote(conn, "old", 1.0, "Old.", "down", at=now - timedelta(days=9))
        feedback.mark_handled(conn, "conv", STAMP - 1, "ada")
        feedback.mark_handled(conn, "conv", STAMP - 1, "eve")  # already handled: kept as is
    with pg_engine.connect() as conn:
        votes = {(v.conversation_id, v.bot_timestamp): v.vote for v in feedback.all_votes(conn)}
        marks = feedback.handled_marks(conn)
    assert votes == {("conv", STAMP): "down", ("old", 1.0): "down"}
    assert [who for who, _ in marks.values()] == ["ada"]
    with pg_engine.begin() as conn:
        pruned = feedback.prune(conn, 7)
    assert (pruned.votes, pruned.handled) == (1, 0)
    with pg_engine.connect() as conn:
        assert [v.conversation_id for v in feedback.all_votes(conn)] == ["conv"]
