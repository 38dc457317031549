"""The action server: rasa-sdk's own server for `actions/`, with what operating it needs.

`python -m ops.action_server --actions actions -p PORT` (ops/stack.py) takes rasa-sdk's command
line and builds rasa-sdk's app (`rasa_sdk.endpoint.create_app`, its `/webhook` and `/actions`
unchanged), and adds:

- `/health`: the database answers a cheap SELECT through the knowledge layer (200
  `{"status": "ok"}`), else 503 with the reason; `/live`: the process answers (what ops/stack.py
  waits for: the action server must start, and apologise, while the database is down);
- `/metrics`: Prometheus metrics of `actions/metrics.py` (action calls per action, intent and
  language read from the tracker Rasa sends, latency, unknown-fact answers, errors), to
  loopback clients only, on the same port;
- JSON logs (`ops/logs.py`) with the conversation id of each action call, one line per call.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
import zlib
from typing import Any

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions import metrics
from actions.knowledge_access import STORAGE_ERRORS, knowledge_base
from ops import logs

logger = logging.getLogger("actions.server")

LOOPBACK = {"127.0.0.1", "::1"}
#: seconds /health waits for the database before answering 503
HEALTH_TIMEOUT = float(os.environ.get("HUBGUIDE_HEALTH_TIMEOUT", "5"))


def _reason(error: BaseException) -> str:
    """A short reason for an outage, without SQL statements or connection secrets."""
    cause = getattr(error, "orig", None) or error
    first_line = (str(cause).strip().splitlines() or [""])[0]
    return f"{type(cause).__name__}: {first_line}"[:300]


def check_database() -> str | None:
    """None when the knowledge base answers a cheap SELECT, else why not."""
    try:
        knowledge_base().revision()
    except STORAGE_ERRORS as error:
        return _reason(error)
    return None


async def database_health() -> tuple[int, dict[str, Any]]:
    try:
        reason = await asyncio.wait_for(asyncio.to_thread(check_database), HEALTH_TIMEOUT)
    except asyncio.TimeoutError:
        reason = f"the database did not answer within {HEALTH_TIMEOUT:g} s"
    if reason is None:
        return 200, {"status": "ok", "database": "ok"}
    return 503, {"status": "unavailable", "database": "unavailable", "reason": reason}


def _action_call(request: Request) -> dict[str, Any]:
    """The action call Rasa sent (rasa-sdk accepts a deflated body too); {} if unreadable."""
    try:
        if request.headers.get("Content-Encoding") == "deflate":
            body = json.loads(zlib.decompress(request.body))
        else:
            body = request.json
    except Exception:  # noqa: BLE001 - rasa-sdk answers a bad body itself
        return {}
    return body if isinstance(body, dict) else {}


def _call_facts(call: dict[str, Any]) -> dict[str, Any]:
    tracker = call.get("tracker") if isinstance(call.get("tracker"), dict) else {}
    latest = (
        tracker.get("latest_message") if isinstance(tracker.get("latest_message"), dict) else {}
    )
    intent = latest.get("intent") if isinstance(latest.get("intent"), dict) else {}
    slots = tracker.get("slots") if isinstance(tracker.get("slots"), dict) else {}
    return {
        "action": call.get("next_action"),
        "conversation_id": call.get("sender_id") or tracker.get("sender_id"),
        "intent": intent.get("name"),
        "language": slots.get("language"),
        "channel": tracker.get("latest_input_channel"),
        "text": latest.get("text"),
    }


def extend(app: Sanic) -> Sanic:
    """Add health, metrics and per-call logging to rasa-sdk's app."""

    @app.on_request
    async def before(request: Request) -> HTTPResponse | None:
        if request.path == "/health":  # replaces rasa-sdk's "always ok"
            status, body = await database_health()
            if status != 200:
                logger.warning("health check failed: %s", body["reason"])
            return response.json(body, status=status)
        if request.path == "/webhook" and request.method == "POST":
            try:
                facts = _call_facts(_action_call(request))
                request.ctx.hubguide = (time.perf_counter(), facts)
                request.ctx.hubguide_token = logs.set_conversation(facts["conversation_id"])
            except Exception:  # noqa: BLE001 - never in the way of an answer
                logger.warning("could not read the action call for metrics", exc_info=True)
        return None

    @app.on_response
    async def after(request: Request, answer: HTTPResponse) -> None:
        started_facts = getattr(request.ctx, "hubguide", None)
        if started_facts is None:
            return
        started, facts = started_facts
        seconds = time.perf_counter() - started
        metrics.record_action(facts["action"], facts["intent"], facts["language"], seconds)
        if answer.status >= 500:
            metrics.record_error("action_server_http")
        logger.info(
            "action %s answered %s",
            facts["action"],
            answer.status,
            extra={
                "action": facts["action"],
                "intent": facts["intent"],
                "language": facts["language"],
                "channel": facts["channel"],
                "status": answer.status,
                "seconds": round(seconds, 4),
                **({"text": facts["text"]} if logs.log_text_enabled() else {}),
            },
        )
        token = getattr(request.ctx, "hubguide_token", None)
        if token is not None:
            try:
                logs.reset_conversation(token)
            except (ValueError, RuntimeError):  # set in another context: nothing to undo
                pass

    async def live(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    async def exposition(request: Request) -> HTTPResponse:
        if request.ip not in LOOPBACK:
            return response.json({"error": "metrics are served to this machine only"}, 403)
        return response.raw(metrics.exposition(), content_type=metrics.CONTENT_TYPE)

    app.add_route(live, "/live", methods=["GET"])
    app.add_route(exposition, "/metrics", methods=["GET"])
    return app


def build_app(actions: str = "actions", cors_origins: Any = None) -> Sanic:
    app = extend(create_app(actions, cors_origins=cors_origins))
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    return app


def configure_logging(level: str | None = None) -> None:
    logs.configure("actions", level=level)
    logging.getLogger().addHandler(metrics.ErrorCounter())
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    utils.update_sanic_log_level()


def main(argv: list[str] | None = None) -> None:
    args = create_argument_parser().parse_args(argv)
    configure_logging(logging.getLevelName(args.loglevel) if args.loglevel else None)
    app = build_app(args.actions, args.cors)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    # The action server is only ever called by the Rasa server: loopback unless told otherwise.
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    logger.info("action server listening on %s:%s", host, args.port)
    app.run(host, args.port, ssl=ssl_context, workers=1, access_log=False)


if __name__ == "__main__":  # pragma: no cover
    main()
