"""The journeys' tables on SQLite and PostgreSQL: reminders fire exactly once under racing
schedulers, a moved deadline moves reminders and tells subscribers, hand-off cases change state
only as allowed, kept web chat messages are taken once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select, update

from knowledge import deadlines, handoff, notices, outbox, reminders
from knowledge.db import make_engine
from knowledge.importer import import_paths
from knowledge.journey_models import Notice, Reminder
from knowledge.models import Call
from ops.scratch_postgres import create_database, sqlalchemy_url, unreachable_reason

NOW = datetime(2023, 6, 1, 12, tzinfo=timezone.utc)
CALL = "ma-clusters-2023"
DEADLINE = datetime(2023, 6, 14, 14, tzinfo=timezone.utc)  # 15:00 in Casablanca


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path, content_dir):
    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'journeys.sqlite3'}"
    else:
        reason = unreachable_reason()
        if reason:
            pytest.skip(reason)
        database, drop = create_database("hubguide_journeys")
        url = sqlalchemy_url(database)
    engine = make_engine(url)
    import_paths(engine, [content_dir])
    yield engine
    engine.dispose()
    if drop:
        drop()


def test_racing_schedulers_fire_each_reminder_once(engine) -> None:
    for index in range(20):
        reminders.subscribe(
            engine,
            f"user-{index}",
            CALL,
            lang="en",
            lead=timedelta(days=7),
            deadline=DEADLINE,
            now=NOW,
        )
    fired: list[int] = []
    barrier = threading.Barrier(4)

    def worker(name: str) -> None:
        barrier.wait()
        fired.extend(reminders.fire_due(engine, DEADLINE, name))

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(fired) == sorted(set(fired)) and len(fired) == 20
    with engine.connect() as conn:
        kinds = conn.execute(select(Notice.kind)).scalars().all()
    assert kinds == ["reminder"] * 20
    claimed = [
        notices.claim(engine, i, name, DEADLINE)
        for i in notices.due(engine, DEADLINE)
        for name in ("a", "b")
    ]
    assert sum(1 for c in claimed if c is not None) == 20


def test_a_reminder_is_not_due_before_its_time_and_asking_twice_keeps_one(engine) -> None:
    first = reminders.subscribe(
        engine, "u", CALL, lang="fr", lead=timedelta(days=3), deadline=DEADLINE, now=NOW
    )
    again = reminders.subscribe(
        engine, "u", CALL, lang="fr", lead=timedelta(days=3), deadline=DEADLINE, now=NOW
    )
    assert first.id == again.id and first.fire_at == datetime(2023, 6, 11, 14)
    assert reminders.fire_due(engine, datetime(2023, 6, 11, 13, tzinfo=timezone.utc), "w") == []
    assert reminders.fire_due(engine, datetime(2023, 6, 11, 14, tzinfo=timezone.utc), "w") == [
        first.id
    ]
    assert reminders.pending(engine, "u") == []


def test_cancel_only_touches_the_senders_reminders(engine) -> None:
    for sender in ("me", "other"):
        reminders.subscribe(
            engine, sender, CALL, lang="en", lead=timedelta(days=1), deadline=DEADLINE, now=NOW
        )
    assert reminders.cancel(engine, "me") == 1
    assert reminders.pending(engine, "me") == []
    assert len(reminders.pending(engine, "other")) == 1


def test_a_moved_deadline_moves_reminders_and_tells_each_subscriber_once(engine) -> None:
    for lead in (timedelta(days=7), timedelta(days=1)):
        reminders.subscribe(engine, "u", CALL, lang="en", lead=lead, deadline=DEADLINE, now=NOW)
    later = datetime(2023, 6, 21, 14)
    with engine.begin() as conn:
        assert deadlines.deadline_changed(conn, CALL) == 0  # unchanged: nothing happens
        conn.execute(
            update(Call)
            .where(Call.id == CALL)
            .values(
                deadline={"at": "2023-06-21T15:00", "timezone": "Africa/Casablanca"},
                deadline_latest=later,
            )
        )
        assert deadlines.deadline_changed(conn, CALL) == 1
        assert deadlines.version(conn, CALL)[0] == 1
    fire_times = sorted(r.fire_at for r in reminders.pending(engine, "u"))
    assert fire_times == [later - timedelta(days=7), later - timedelta(days=1)]
    moved = [n for n in notices.pending_for(engine, "u") if n.kind == "deadline_moved"]
    assert len(moved) == 1 and moved[0].params["new"].startswith("2023-06-21")


def test_a_reimport_with_another_deadline_reaches_the_subscribers(
    engine, content_dir: Path
) -> None:
    reminders.subscribe(
        engine, "u", CALL, lang="en", lead=timedelta(days=7), deadline=DEADLINE, now=NOW
    )
    path = content_dir / "ma-mic-clusters-2023.yaml"
    path.write_text(path.read_text().replace("2023-06-14T15:00", "2023-06-28T15:00"))
    import_paths(engine, [content_dir])
    (reminder,) = reminders.pending(engine, "u")
    assert reminder.fire_at == datetime(2023, 6, 21, 14)
    assert [n.kind for n in notices.pending_for(engine, "u")] == ["deadline_moved"]
    assert yaml.safe_load(path.read_text())  # still valid content


def test_handoff_states_change_only_as_allowed(engine) -> None:
    case, new = handoff.open_case(
        engine,
        "u",
        lang="fr",
        hub_id=None,
        subject_id="call:" + CALL,
        question="q?",
        profile={"sector": "ict"},
        now=NOW,
    )
    assert new and case.state == "waiting"
    assert handoff.open_case(
        engine, "u", lang="fr", hub_id=None, subject_id=None, question="", profile={}, now=NOW
    ) == (case, False)
    assert handoff.time_out(engine, NOW + timedelta(minutes=5), timedelta(minutes=10)) == []
    assert handoff.time_out(engine, NOW + timedelta(minutes=11), timedelta(minutes=10)) == [case.id]
    assert handoff.time_out(engine, NOW + timedelta(minutes=30), timedelta(minutes=10)) == []
    handoff.take(engine, case.id, "Amina", NOW)
    with pytest.raises(handoff.CaseError):
        handoff.take(engine, case.id, "Bob", NOW)  # already taken
    handoff.forward(engine, "u", "bonjour ?", NOW)
    handoff.reply(engine, case.id, "Amina", "Bonjour, je regarde.", NOW)
    handoff.close(engine, case.id, NOW)
    with pytest.raises(handoff.CaseError):
        handoff.reply(engine, case.id, "Amina", "encore", NOW)
    stored = handoff.case(engine, case.id)
    assert stored.state == "closed"
    assert [(m.author, m.text) for m in stored.messages] == [
        ("user", "bonjour ?"),
        ("staff", "Bonjour, je regarde."),
    ]
    kinds = [n.kind for n in notices.pending_for(engine, "u")]
    assert kinds == ["handoff_timeout", "handoff_taken", "staff_reply", "handoff_closed"]


def test_kept_web_chat_messages_are_taken_once(engine) -> None:
    outbox.keep(engine, "s", {"text": "one"})
    outbox.keep(engine, "s", {"text": "two"})
    assert outbox.take(engine, "s") == [{"text": "one"}, {"text": "two"}]
    assert outbox.take(engine, "s") == []


def test_released_notices_come_back(engine) -> None:
    with engine.begin() as conn:
        notice_id = notices.add(conn, "u", "reminder", {"call_id": CALL}, now=NOW)
    assert notices.claim(engine, notice_id, "a", NOW) is not None
    assert notices.due(engine, NOW) == []
    notices.release(engine, notice_id)
    assert notices.due(engine, NOW) == [notice_id]
    with engine.connect() as conn:
        assert conn.execute(select(Reminder)).all() == []
