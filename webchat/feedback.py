"""POST /feedback: a visitor's thumbs up or down on one of the bot's answers.

The widget sends ``{"session_id", "timestamp", "vote"}``: its conversation id, the timestamp of
the rated bot message (the ``metadata.ts`` that ``webchat.rasa_channel`` adds to every message
it emits: the BotUttered event's own timestamp) and ``up`` or ``down``. The vote is stored only when
that conversation in the tracker store holds a bot message at that time, with that message's
text as Rasa stored it (``knowledge.feedback``): a client cannot rate words the bot never said.

Refused: a foreign Origin (no page of another site can vote; the allowed ones are the web
server's own and HUBGUIDE_ALLOWED_ORIGINS, the origins that may open the chat's socket), a
body that is not JSON, a malformed or forged session id (signed ids are checked when
HUBGUIDE_SESSION_SECRET is set, as Rasa does), and more than a few votes a minute.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
from functools import lru_cache

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.channels.limits import SECRET_VARIABLE, SESSION_ID, RateLimiter, SessionSigner

logger = logging.getLogger(__name__)

PATH = "/feedback"
MAX_BODY = 1024
#: votes a minute per conversation and per client address
PER_SESSION_PER_MINUTE = int(os.environ.get("HUBGUIDE_VOTES_PER_SESSION", "30"))
PER_ADDRESS_PER_MINUTE = int(os.environ.get("HUBGUIDE_VOTES_PER_ADDRESS", "120"))
#: the bot message may still be on its way into the tracker store when the visitor clicks
LOOKUP_ATTEMPTS = 6
LOOKUP_PAUSE = 0.5

LIMITS_KEY = web.AppKey("feedback_limits", tuple)


@lru_cache(maxsize=1)
def _knowledge_engine() -> Engine:
    from knowledge.db import make_engine

    return make_engine()


def allowed_origins(request: web.Request) -> set[str]:
    """This server's own origin and the chat's allowed origins (HUBGUIDE_ALLOWED_ORIGINS)."""
    configured = os.environ.get("HUBGUIDE_ALLOWED_ORIGINS", "")
    origins = {o.strip().rstrip("/") for o in configured.split(",") if o.strip()}
    if not origins:
        origins = {"http://localhost:8080", "http://127.0.0.1:8080"}
    origins.add(f"{request.scheme}://{request.host}")
    return origins


def _refuse(status: int, key: str) -> web.Response:
    return web.json_response({"error": key}, status=status)


def _cors(request: web.Request, response: web.Response) -> web.Response:
    """A hub's own page (an allowed origin) embeds the widget: let its script read the answer."""
    origin = request.headers.get("Origin", "").rstrip("/")
    if origin and origin in allowed_origins(request):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


async def preflight(request: web.Request) -> web.Response:
    response = web.Response(status=204)
    if _cors(request, response).headers.get("Access-Control-Allow-Origin"):
        response.headers["Access-Control-Allow-Methods"] = "POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
    return response


def _valid_session(value: object) -> bool:
    if not isinstance(value, str) or not SESSION_ID.match(value):
        return False
    if os.environ.get(SECRET_VARIABLE):  # the same key as Rasa's: the id must be one it gave
        return SessionSigner().valid(value)
    return True


def _valid_timestamp(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _client(request: web.Request) -> str | None:
    from bot.channels.limits import client_address

    return client_address(request.remote, request.headers.get("X-Forwarded-For"))


def _store(session_id: str, timestamp: float, vote: str) -> bool:
    """Look the answer up in the tracker store and keep the vote; False: no such answer."""
    from knowledge import feedback
    from ops import tracker_events

    answer = tracker_events.bot_event(tracker_events.tracker_engine(), session_id, timestamp)
    if answer is None:
        return False
    with _knowledge_engine().begin() as conn:
        feedback.record_vote(conn, session_id, answer.timestamp, answer.text, vote)
    return True


async def post_feedback(request: web.Request) -> web.Response:
    return _cors(request, await _vote(request))


async def _vote(request: web.Request) -> web.Response:
    origin = request.headers.get("Origin", "").rstrip("/")
    if not origin or origin not in allowed_origins(request):
        return _refuse(403, "origin")
    if request.content_type != "application/json":
        return _refuse(415, "json_required")
    if (request.content_length or 0) > MAX_BODY:
        return _refuse(413, "too_large")
    try:
        body = json.loads(await request.content.read(MAX_BODY + 1))
    except (ValueError, UnicodeDecodeError):
        return _refuse(400, "invalid_json")
    if not isinstance(body, dict):
        return _refuse(400, "invalid_json")
    session_id, timestamp, vote = body.get("session_id"), body.get("timestamp"), body.get("vote")
    if not _valid_session(session_id):
        return _refuse(400, "session_id")
    if not _valid_timestamp(timestamp):
        return _refuse(400, "timestamp")
    if vote not in ("up", "down"):
        return _refuse(400, "vote")
    per_session, per_address = request.app[LIMITS_KEY]
    if per_address.wait(_client(request)) or per_session.wait(session_id):
        return _refuse(429, "too_many")
    for attempt in range(LOOKUP_ATTEMPTS):
        try:
            stored = await asyncio.to_thread(_store, session_id, float(timestamp), vote)
        except Exception:  # noqa: BLE001 - a database down: say so, keep serving
            logger.exception("Could not store a vote for %s.", session_id)
            return _refuse(503, "unavailable")
        if stored:
            return web.json_response({"stored": vote}, status=201)
        if attempt + 1 < LOOKUP_ATTEMPTS:
            await asyncio.sleep(LOOKUP_PAUSE)
    return _refuse(404, "no_such_answer")


def add_routes(app: web.Application) -> None:
    app[LIMITS_KEY] = (RateLimiter(PER_SESSION_PER_MINUTE), RateLimiter(PER_ADDRESS_PER_MINUTE))
    app.router.add_post(PATH, post_feedback)
    app.router.add_route("OPTIONS", PATH, preflight)
