"""Saving one record through the import's checks (knowledge/editing.py) and the import rule
that keeps what staff saved (knowledge/origins.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil

import pytest
import yaml

from knowledge import editing
from knowledge.exporter import export, source_document
from knowledge.importer import import_paths
from knowledge.query import KnowledgeBase
from knowledge.validation import ContentError

CALL = "ma-clusters-2023"
FILE = "ma-mic-clusters-2023.yaml"


def _save_deadline(engine, when: str) -> None:
    with engine.begin() as conn:
        sid, record = editing.find(conn, "calls", CALL)
        editing.save(
            conn,
            "calls",
            CALL,
            {**record, "deadline": {"at": when, "timezone": "Africa/Casablanca"}},
            source_id=sid,
        )


def _deadline(engine) -> str:
    with engine.connect() as conn:
        return editing.find(conn, "calls", CALL)[1]["deadline"]["at"]


def test_a_save_bumps_the_revision_and_the_next_read_sees_it(engine, content_dir):
    _, revision = import_paths(engine, [content_dir])
    kb = KnowledgeBase(engine)
    assert kb.call(CALL, "en").deadline.day == 14
    _save_deadline(engine, "2023-06-30T15:00")
    assert kb.revision() == revision + 1
    assert kb.call(CALL, "en").deadline.day == 30


def test_a_save_is_refused_with_the_import_s_own_problems(engine, content_dir):
    import_paths(engine, [content_dir])
    with engine.begin() as conn:
        sid, record = editing.find(conn, "calls", CALL)
        bad = {**record, "deadline": {"at": "soon", "timezone": "Mars/Olympus"}, "issuer": "nobody"}
        with pytest.raises(ContentError) as caught:
            editing.save(conn, "calls", CALL, bad, source_id=sid)
    messages = {(p.field, p.message) for p in caught.value.problems}
    assert ("deadline.timezone", "unknown time zone 'Mars/Olympus'") in messages
    assert ("deadline.at", "invalid date-time 'soon' (use YYYY-MM-DDTHH:MM)") in messages
    assert _deadline(engine) == "2023-06-14T15:00"  # nothing changed


def test_reimporting_the_same_files_keeps_the_workspace_edit_and_says_so(engine, content_dir):
    import_paths(engine, [content_dir])
    _save_deadline(engine, "2023-06-30T15:00")
    for _ in range(2):  # and again: the rule holds at every start, not only the first
        bundle, _ = import_paths(engine, [content_dir])
        assert bundle.kept == [f"calls[{CALL}]"]
        assert bundle.replaced == []
        assert _deadline(engine) == "2023-06-30T15:00"


def test_a_later_change_of_the_record_in_its_file_wins(engine, content_dir):
    import_paths(engine, [content_dir])
    _save_deadline(engine, "2023-06-30T15:00")
    path = content_dir / FILE
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    call = next(c for c in doc["calls"] if c["id"] == CALL)
    call["deadline"] = {"at": "2023-07-01T12:00", "timezone": "Africa/Casablanca"}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    bundle, _ = import_paths(engine, [content_dir])
    assert bundle.replaced == [f"calls[{CALL}]"] and bundle.kept == []
    assert _deadline(engine) == "2023-07-01T12:00"
    bundle, _ = import_paths(engine, [content_dir])  # the file's version is the stored one now
    assert bundle.kept == bundle.replaced == []


def test_an_export_after_a_workspace_edit_reimports_to_the_same_content(
    engine, content_dir, tmp_path
):
    from knowledge.db import make_engine

    import_paths(engine, [content_dir])
    _save_deadline(engine, "2023-06-30T15:00")
    out = tmp_path / "export"
    export(engine, out)
    second = make_engine(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    import_paths(second, [out])
    with engine.connect() as a, second.connect() as b:
        for sid in editing.source_ids(a):
            assert source_document(a, sid) == source_document(b, sid), sid
    assert _deadline(second) == "2023-06-30T15:00"
    second.dispose()


def test_the_rule_does_not_touch_records_nobody_edited(engine, content_dir, tmp_path):
    import_paths(engine, [content_dir])
    _save_deadline(engine, "2023-06-30T15:00")
    changed = tmp_path / "changed"
    shutil.copytree(content_dir, changed)
    path = changed / FILE
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["calls"][0]["year"] = 2024 if doc["calls"][0]["id"] != CALL else doc["calls"][0]["year"]
    programme = doc["programmes"][0]
    programme["duration_years"] = 7
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    bundle, _ = import_paths(engine, [changed])
    assert bundle.kept == [f"calls[{CALL}]"]
    with engine.connect() as conn:
        assert editing.find(conn, "programmes", programme["id"])[1]["duration_years"] == 7
    assert _deadline(engine) == "2023-06-30T15:00"
