"""Every Prometheus metric of HubGuide, defined once (prometheus-client).

Two processes record them: the action server (`actions/server.py`: action calls, latency,
unknown-fact answers, errors) and the Rasa server (`ops/metrics_broker.py`, Rasa's event broker
seam: every user message per channel and language, intents, fallbacks). Each serves its own
`/metrics` on loopback only; see README.md ("Watching it").

Recording never breaks answering: every `record_*` function logs a failure and returns.
Label values come from small fixed sets (actions, intents of the model, supported languages,
channel names), never from what a user typed.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

from knowledge.languages import SUPPORTED

logger = logging.getLogger(__name__)

#: what /metrics answers with
CONTENT_TYPE = CONTENT_TYPE_LATEST
OTHER = "other"
NONE = "none"
# An intent, action or channel name as the model and the domain spell them; anything else
# (which a client could make up) is counted as "other".
_NAME = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")

# --- the Rasa server (every message) ------------------------------------------------------------
MESSAGES = Counter(
    "hubguide_messages",
    "User messages received, per input channel and language of the message",
    ["channel", "language"],
)
INTENTS = Counter("hubguide_intents", "User messages per predicted intent", ["intent"])
FALLBACKS = Counter(
    "hubguide_fallbacks",
    "Messages the bot did not understand: nlu (low NLU confidence), out_of_scope, core "
    "(no rule fitted: utter_please_rephrase)",
    ["reason"],
)
# --- the action server (every custom action) ----------------------------------------------------
ACTION_CALLS = Counter(
    "hubguide_action_calls",
    "Custom action calls, per action, the intent that led to it and the conversation language",
    ["action", "intent", "language"],
)
ACTION_SECONDS = Histogram(
    "hubguide_action_seconds",
    "Time the action server took to answer one action call",
    ["action"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
UNKNOWN_ANSWERS = Counter(
    "hubguide_unknown_answers",
    "Answers saying the knowledge base does not hold the fact asked (with who would know)",
    ["action", "language"],
)
# --- both ---------------------------------------------------------------------------------------
ERRORS = Counter(
    "hubguide_errors",
    "Errors: ERROR log records per component, action calls answered 5xx, action server "
    "unreachable (seen by the Rasa server)",
    ["component"],
)

F = TypeVar("F", bound=Callable[..., Any])


def safely(function: F) -> F:
    """Run a recording function; a failure is logged (at WARNING, so it is not itself counted
    as an error) and swallowed: metrics must never break an answer."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a metric must never break answering
            logger.warning("could not record metric %s", function.__name__, exc_info=True)
            return None

    return wrapper  # type: ignore[return-value]


def name_label(value: object) -> str:
    """An intent, action or channel name fit for a label (else "other"; nothing: "none")."""
    if value is None or value == "":
        return NONE
    if isinstance(value, str) and _NAME.match(value):
        return value
    return OTHER


def language_label(value: object) -> str:
    """A supported language code, else "other" ("und" and unsupported languages alike)."""
    if value is None or value == "":
        return NONE
    return value if value in SUPPORTED else OTHER


@safely
def record_message(channel: object, language: object, intent: object) -> None:
    """One user message as the Rasa server received and understood it."""
    MESSAGES.labels(name_label(channel), language_label(language)).inc()
    intent_name = name_label(intent)
    INTENTS.labels(intent_name).inc()
    if intent_name == "nlu_fallback":
        FALLBACKS.labels("nlu").inc()
    elif intent_name == "out_of_scope":
        FALLBACKS.labels("out_of_scope").inc()


@safely
def record_core_fallback() -> None:
    """No rule fitted the conversation: the bot asked to rephrase."""
    FALLBACKS.labels("core").inc()


@safely
def record_action(action: object, intent: object, language: object, seconds: float) -> None:
    """One custom action call answered by the action server, and how long it took."""
    action_name = name_label(action)
    ACTION_CALLS.labels(action_name, name_label(intent), language_label(language)).inc()
    ACTION_SECONDS.labels(action_name).observe(seconds)


@safely
def record_answer(action: object, language: object, *, unknown: bool) -> None:
    """An answer of an action; counted when it says the fact is not known."""
    if unknown:
        UNKNOWN_ANSWERS.labels(name_label(action), language_label(language)).inc()


@safely
def record_error(component: str) -> None:
    ERRORS.labels(component).inc()


def exposition() -> bytes:
    """The metrics of this process in Prometheus' text format."""
    return generate_latest(REGISTRY)


class ErrorCounter(logging.Handler):
    """Counts every ERROR (and worse) log record of a process as `hubguide_errors_total`,
    labelled by the top of the logger's name ("actions", "rasa_sdk", "sanic", …)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            ERRORS.labels(record.name.split(".")[0] or "root").inc()
        except Exception:  # noqa: BLE001 - never raise from logging
            self.handleError(record)
