"""`hubguide conversations prune` applies the retention period to the web chat's votes and the
analytics' handled marks too (knowledge base database), keeping the recent ones."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from knowledge import feedback, migrate
from knowledge.db import make_engine
from ops.cli import main


def test_votes_and_handled_marks_older_than_the_period_are_pruned(tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    now = feedback.utcnow()
    with engine.begin() as conn:
        feedback.record_vote(conn, "old", 1.5, "An answer.", "down", at=now - timedelta(days=40))
        feedback.record_vote(conn, "new", 2.5, "Another.", "up", at=now - timedelta(days=2))
        feedback.mark_handled(conn, "old", 1.0, "ada")
        conn.execute(feedback.handled.update().values(handled_at=now - timedelta(days=31)))
        feedback.mark_handled(conn, "new", 2.0, "eve")
    tracker = tmp_path / "conversations.sqlite3"
    argv = ["conversations", "prune", "--url", str(tracker), "--database-url", url]

    assert main([*argv, "--older-than-days", "30", "--dry-run"]) == 0
    assert "would delete 1 vote(s) and 1 handled mark(s)" in capsys.readouterr().out
    with engine.connect() as conn:
        assert len(feedback.all_votes(conn)) == 2

    assert main([*argv, "--older-than-days", "30"]) == 0
    assert "deleted 1 vote(s) and 1 handled mark(s) older than 30 days" in capsys.readouterr().out
    with engine.connect() as conn:
        assert [v.conversation_id for v in feedback.all_votes(conn)] == ["new"]
        assert conn.execute(select(feedback.handled.c.conversation_id)).scalars().all() == ["new"]
    engine.dispose()


def test_a_database_before_the_votes_migration_is_left_alone(tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine, "0006")
    engine.dispose()
    argv = ["conversations", "prune", "--url", str(tmp_path / "t.sqlite3"), "--database-url", url]
    assert main([*argv, "--older-than-days", "7"]) == 0
    assert "deleted 0 vote(s) and 0 handled mark(s)" in capsys.readouterr().out
