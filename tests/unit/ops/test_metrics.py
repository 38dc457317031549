"""Metric definitions and recording (actions/metrics.py), the Rasa server's turn observer
(ops/rasa_metrics.py) and the JSON logs (ops/logs.py)."""

from __future__ import annotations

import io
import json
import logging

import pytest
from prometheus_client import REGISTRY
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions import metrics
from ops import logs, rasa_metrics


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_labels_come_from_small_sets() -> None:
    assert metrics.name_label("ask_deadline") == "ask_deadline"
    assert metrics.name_label("drop table; <script>") == "other"
    assert metrics.name_label("x" * 200) == "other"
    assert metrics.name_label(None) == "none"
    assert metrics.language_label("fr") == "fr"
    assert metrics.language_label("de") == "other"
    assert metrics.language_label("und") == "other"


def test_a_message_counts_its_channel_language_intent_and_fallback() -> None:
    before = value("hubguide_messages_total", channel="socketio", language="nb")
    fallbacks = value("hubguide_fallbacks_total", reason="nlu")
    metrics.record_message("socketio", "nb", "nlu_fallback")
    assert value("hubguide_messages_total", channel="socketio", language="nb") == before + 1
    assert value("hubguide_fallbacks_total", reason="nlu") == fallbacks + 1
    assert value("hubguide_intents_total", intent="nlu_fallback") >= 1


def test_a_failure_to_record_is_logged_not_raised(monkeypatch, caplog) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("registry on fire")

    monkeypatch.setattr(metrics.ACTION_CALLS, "labels", broken)
    with caplog.at_level(logging.WARNING, logger="actions.metrics"):
        assert metrics.record_action("action_answer_founded", "ask_founded", "en", 0.1) is None
    assert "could not record metric record_action" in caplog.text


def test_error_log_records_are_counted() -> None:
    counter = metrics.ErrorCounter()
    before = value("hubguide_errors_total", component="knowledgeish")
    logger = logging.getLogger("knowledgeish.query")
    logger.addHandler(counter)
    try:
        logger.warning("not an error")
        logger.error("an error")
    finally:
        logger.removeHandler(counter)
    assert value("hubguide_errors_total", component="knowledgeish") == before + 1


def tracker_after(events: list) -> DialogueStateTracker:
    domain = Domain.from_dict(
        {"slots": {"language": {"type": "text", "mappings": [{"type": "custom"}]}}}
    )
    return DialogueStateTracker.from_events("someone", events, domain.slots)


def test_the_rasa_turn_observer_reads_channel_language_intent_and_fallbacks() -> None:
    user = UserUttered(
        "blah",
        intent={"name": "out_of_scope", "confidence": 0.9},
        parse_data={"language": {"code": "sv"}},
        input_channel="rest",
    )
    tracker = tracker_after(
        [user, SlotSet("language", "fr"), ActionExecuted("utter_please_rephrase")]
    )
    messages = value("hubguide_messages_total", channel="rest", language="fr")
    core = value("hubguide_fallbacks_total", reason="core")
    out_of_scope = value("hubguide_fallbacks_total", reason="out_of_scope")
    rasa_metrics.observe_turn(tracker)
    assert value("hubguide_messages_total", channel="rest", language="fr") == messages + 1
    assert value("hubguide_fallbacks_total", reason="core") == core + 1
    assert value("hubguide_fallbacks_total", reason="out_of_scope") == out_of_scope + 1


def test_an_unreachable_action_server_counts_as_an_error() -> None:
    user = UserUttered("hei", intent={"name": "ask_deadline"}, input_channel="socketio")
    tracker = tracker_after([user, ActionExecuted("utter_service_unavailable")])
    before = value("hubguide_errors_total", component="action_server_unreachable")
    rasa_metrics.observe_turn(tracker)
    # no language slot yet: the message's detected language would be used (none here)
    assert value("hubguide_errors_total", component="action_server_unreachable") == before + 1
    assert value("hubguide_messages_total", channel="socketio", language="none") >= 1


def test_the_turn_observer_never_raises() -> None:
    assert rasa_metrics.observe_turn(object()) is None


def test_the_prediction_loop_is_instrumented_once() -> None:
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor._run_prediction_loop
    try:
        rasa_metrics.instrument()
        wrapped = MessageProcessor._run_prediction_loop
        rasa_metrics.instrument()
        assert MessageProcessor._run_prediction_loop is wrapped
        assert getattr(wrapped, "_hubguide_metrics", False)
    finally:
        MessageProcessor._run_prediction_loop = original


@pytest.fixture
def json_logger(monkeypatch):
    monkeypatch.delenv(logs.TEXT_VARIABLE, raising=False)
    monkeypatch.setenv(logs.FORMAT_VARIABLE, "json")
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    logs.configure("test", stream=stream)
    yield stream
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])


def test_json_lines_carry_the_conversation_id_and_extra_fields(json_logger) -> None:
    with logs.conversation("conv-42"):
        logging.getLogger("actions.x").info("answered", extra={"action": "a", "text_": 1})
    logging.getLogger("actions.x").info("outside")
    first, second = (json.loads(line) for line in json_logger.getvalue().splitlines())
    assert first["conversation_id"] == "conv-42" and first["action"] == "a"
    assert first["level"] == "info" and first["service"] == "test"
    assert first["message"] == "answered" and "time" in first
    assert second["conversation_id"] is None


def test_message_text_only_with_the_setting(monkeypatch) -> None:
    monkeypatch.delenv(logs.TEXT_VARIABLE, raising=False)
    assert logs.message_text("my company's secret") is None
    monkeypatch.setenv(logs.TEXT_VARIABLE, "1")
    assert logs.message_text("my company's secret") == "my company's secret"


def test_text_format(monkeypatch) -> None:
    monkeypatch.setenv(logs.FORMAT_VARIABLE, "text")
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        logs.configure("test", stream=stream)
        with logs.conversation("c-1"):
            logging.getLogger("x").warning("hello")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
    assert "[c-1] hello" in stream.getvalue() and not stream.getvalue().startswith("{")


def test_sql_parameters_in_errors_are_hidden_unless_text_may_be_logged(
    json_logger, monkeypatch
) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine("sqlite://", future=True)
    secret = "Acme " + "secret"  # not in the traceback's source lines
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT * FROM nowhere WHERE name = :name"), {"name": secret})
    except SQLAlchemyError:
        logging.getLogger("actions.base").exception("knowledge base unavailable")
    monkeypatch.setenv(logs.TEXT_VARIABLE, "1")
    assert "Acme secret" in logs.scrub("[parameters: ('Acme secret',)]")
    line = json.loads(json_logger.getvalue().splitlines()[-1])
    assert "no such table" in line["exception"]
    assert secret not in json_logger.getvalue() and "[parameters: hidden" in line["exception"]
