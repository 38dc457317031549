"""Logs of HubGuide's own servers: one JSON object a line, with the conversation id.

`HUBGUIDE_LOG_FORMAT` = `json` (default: the servers write to log files, read by machines) or
`text` (one readable line, for a terminal). Every record carries `conversation_id`, the Rasa
sender id of the conversation being answered (set per request with `conversation`), and never
the user's message unless `HUBGUIDE_LOG_TEXT=1`: code that wants to log a message's text calls
`message_text(text)`, which gives None unless that setting is on.

Only the standard library: the JSON formatter is a `logging.Formatter`, so every library's
records (rasa_sdk, Sanic, SQLAlchemy) come out in the same format.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from datetime import datetime, timezone

FORMAT_VARIABLE = "HUBGUIDE_LOG_FORMAT"
TEXT_VARIABLE = "HUBGUIDE_LOG_TEXT"
LEVEL_VARIABLE = "HUBGUIDE_LOG_LEVEL"

_conversation: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "hubguide_conversation", default=None
)
# The attributes every LogRecord has: anything else was passed with `extra=` and is logged.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "conversation_id"}


def log_text_enabled() -> bool:
    return os.environ.get(TEXT_VARIABLE, "").strip().lower() in {"1", "true", "yes", "on"}


def message_text(text: object) -> object:
    """`text` when HUBGUIDE_LOG_TEXT says messages may be logged, else None."""
    return text if log_text_enabled() else None


def current_conversation() -> str | None:
    return _conversation.get()


def set_conversation(conversation_id: str | None) -> contextvars.Token:
    return _conversation.set(conversation_id)


def reset_conversation(token: contextvars.Token) -> None:
    _conversation.reset(token)


@contextlib.contextmanager
def conversation(conversation_id: str | None) -> Iterator[None]:
    """Records logged inside carry this conversation id (threads started with
    `asyncio.to_thread` inherit it)."""
    token = _conversation.set(conversation_id)
    try:
        yield
    finally:
        _conversation.reset(token)


class ConversationFilter(logging.Filter):
    """Adds `conversation_id` to every record (None outside a conversation)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "conversation_id"):
            record.conversation_id = _conversation.get()
        return True


# SQLAlchemy's errors show the statement's bound parameters, which may be a user's message (a
# name or passage search): hidden unless messages may be logged.
_SQL_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
_HIDDEN = f"[parameters: hidden, {TEXT_VARIABLE}=1 shows them]"


def scrub(text: str) -> str:
    """`text` without SQL parameters, unless HUBGUIDE_LOG_TEXT allows message text."""
    if log_text_enabled() or "[parameters: " not in text:
        return text
    return _SQL_PARAMETERS.sub(_HIDDEN, text)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, conversation_id, the `extra=`
    fields, and the traceback of an exception."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "conversation_id": getattr(record, "conversation_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s [%(conversation_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def log_format() -> str:
    value = os.environ.get(FORMAT_VARIABLE, "json").strip().lower()
    return value if value in {"json", "text"} else "json"


def configure(service: str, *, stream=None, level: str | None = None) -> logging.Handler:
    """Send every log record of this process to `stream` (stderr) in the configured format;
    replaces the root logger's handlers (and those of Sanic's loggers, which keep their own)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(service) if log_format() == "json" else TextFormatter())
    handler.addFilter(ConversationFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level or os.environ.get(LEVEL_VARIABLE, "INFO").upper())
    for name in ("sanic.root", "sanic.error", "sanic.access"):
        sanic_logger = logging.getLogger(name)
        for old in list(sanic_logger.handlers):
            sanic_logger.removeHandler(old)
        sanic_logger.propagate = True
    return handler
