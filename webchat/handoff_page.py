"""A minimal staff page for the hand-off queue, under ``/handoff/`` on the web server.

Only for whoever holds ``HUBGUIDE_STAFF_TOKEN``: HTTP Basic authentication, the user name being
the name the user sees ("Amina from DigiHub"), the password the token. Without the variable the
page is off (403): secure by default. Every form carries a token bound to the case, so another
site cannot make a logged-in browser act. The queue's logic is ``knowledge/handoff.py``; the
staff workspace can replace this page and keep it. After each action the conversation's notices
are delivered at once through Rasa's external-event API (ops/notify.py).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import html
import json
import logging
import os
import urllib.parse
import urllib.request
from functools import lru_cache

from aiohttp import web
from sqlalchemy.engine import Engine

from knowledge import handoff, notices

logger = logging.getLogger(__name__)

TOKEN_VARIABLE = "HUBGUIDE_STAFF_TOKEN"
REALM = 'Basic realm="HubGuide hand-off", charset="UTF-8"'
MAX_REPLY = 4000


@lru_cache(maxsize=1)
def _engine() -> Engine:
    from knowledge.db import make_engine

    return make_engine()


def staff_token() -> str:
    return os.environ.get(TOKEN_VARIABLE, "")


def form_token(case_id: int, token: str | None = None) -> str:
    """The value every form of one case carries (an HMAC of the case under the staff token)."""
    key = (token if token is not None else staff_token()).encode()
    return hmac.new(key, f"case:{case_id}".encode(), hashlib.sha256).hexdigest()[:32]


def staff_name(request: web.Request) -> str:
    """The authenticated staff member's name; raises 401/403 otherwise."""
    token = staff_token()
    if not token:
        raise web.HTTPForbidden(text=f"The hand-off page is off: set {TOKEN_VARIABLE}.")
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            user, password = "", ""
        if hmac.compare_digest(password.encode(), token.encode()) and user.strip():
            return user.strip()[:120]
    raise web.HTTPUnauthorized(headers={"WWW-Authenticate": REALM})


def _page(title: str, body: str) -> web.Response:
    document = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"{body}</body></html>"
    )
    return web.Response(
        text=document,
        content_type="text/html",
        headers={
            "Content-Security-Policy": "default-src 'none'; form-action 'self'",
            "Cache-Control": "no-store",
        },
    )


def _transcript(sender: str) -> list[tuple[str, str]]:
    """(author, text) of the conversation as Rasa keeps it (HTTP API, with the API token)."""
    from ops.notify import RasaApi, conversation_path

    api = RasaApi.from_env()
    path = conversation_path(sender)
    query = urllib.parse.urlencode({"token": api.token})
    try:
        with urllib.request.urlopen(
            f"{api.url}/conversations/{path}/tracker?{query}", timeout=10
        ) as response:
            events = json.loads(response.read()).get("events", [])
    except (OSError, ValueError) as error:
        logger.warning("no transcript for %s: %s", sender, error)
        return []
    lines = []
    for event in events:
        text = event.get("text")
        if event.get("event") in ("user", "bot") and text and not text.startswith("EXTERNAL"):
            lines.append((event["event"], text))
    return lines


async def queue_page(request: web.Request) -> web.Response:
    staff_name(request)
    cases = await asyncio.to_thread(handoff.queue, _engine())
    rows = "".join(
        f"<tr><td><a href='/handoff/cases/{c.id}'>#{c.id}</a></td><td>{html.escape(c.state)}</td>"
        f"<td>{html.escape(c.hub_id or '-')}</td><td>{html.escape(c.lang)}</td>"
        f"<td>{html.escape(c.question or '')}</td><td>{c.created_at:%Y-%m-%d %H:%M}</td></tr>"
        for c in cases
    )
    table = (
        "<table><tr><th>case</th><th>state</th><th>hub</th><th>language</th><th>question</th>"
        f"<th>opened (UTC)</th></tr>{rows}</table>"
    )
    return _page("Hand-off queue", table if cases else "<p>No open cases.</p>")


def _lines(items: list[tuple[str, str]]) -> str:
    return "".join(
        f"<li><b>{html.escape(author)}</b>: {html.escape(text)}</li>" for author, text in items
    )


async def transcript_page(request: web.Request) -> web.Response:
    """The whole conversation of a case, as Rasa keeps it (the case's transcript link)."""
    staff_name(request)
    sender = request.match_info["sender"]
    transcript = await asyncio.to_thread(_transcript, sender)
    return _page("Conversation", f"<ul>{_lines(transcript)}</ul>")


def _case_id(request: web.Request) -> int:
    try:
        return int(request.match_info["case_id"])
    except ValueError:
        raise web.HTTPNotFound() from None


async def case_page(request: web.Request) -> web.Response:
    staff_name(request)
    case_id = _case_id(request)
    case = await asyncio.to_thread(handoff.case, _engine(), case_id)
    if case is None:
        raise web.HTTPNotFound(text="no such case")
    transcript = await asyncio.to_thread(_transcript, case.sender)
    token = form_token(case.id)
    hidden = f"<input type='hidden' name='form_token' value='{token}'>"
    said = _lines(transcript)
    messages = _lines([(m.author, m.text) for m in case.messages])
    forms = ""
    if case.state == "waiting":
        forms += (
            f"<form method='post' action='/handoff/cases/{case.id}/take'>{hidden}"
            "<button>Take</button></form>"
        )
    if case.state in handoff.OPEN_STATES:
        forms += (
            f"<form method='post' action='/handoff/cases/{case.id}/reply'>{hidden}"
            f"<textarea name='text' maxlength='{MAX_REPLY}' required></textarea>"
            "<button>Send</button></form>"
            f"<form method='post' action='/handoff/cases/{case.id}/close'>{hidden}"
            "<button>Close (back to the bot)</button></form>"
        )
    body = (
        f"<p>State: {html.escape(case.state)} · hub: {html.escape(case.hub_id or '-')} · "
        f"language: {html.escape(case.lang)}</p>"
        f"<h2>Question</h2><p>{html.escape(case.question or '')}</p>"
        f"<h2>Profile</h2><pre>{html.escape(json.dumps(case.profile, ensure_ascii=False))}</pre>"
        f"<h2>Messages of the case</h2><ul>{messages}</ul>"
        f"<h2>Transcript</h2><p><a href='{html.escape(case.transcript_url or '')}'>"
        f"the whole conversation</a></p><ul>{said}</ul>{forms}"
    )
    return _page(f"Case #{case.id}", body)


async def _deliver_now(sender: str) -> None:
    """The conversation's notices, delivered at once (the scheduler would take a few seconds)."""
    from actions.clock import now
    from ops.notify import RasaApi, deliver

    def run() -> None:
        moment = now()
        ids = [notice.id for notice in notices.pending_for(_engine(), sender)]
        deliver(_engine(), RasaApi.from_env(), "web", moment, ids)

    await asyncio.to_thread(run)


async def case_action(request: web.Request) -> web.Response:
    name = staff_name(request)
    case_id = _case_id(request)
    form = await request.post()
    if not hmac.compare_digest(str(form.get("form_token", "")), form_token(case_id)):
        raise web.HTTPForbidden(text="stale or foreign form")
    from actions.clock import now

    engine, action = _engine(), request.match_info["action"]
    case = await asyncio.to_thread(handoff.case, engine, case_id)
    if case is None:
        raise web.HTTPNotFound(text="no such case")
    try:
        if action == "take":
            await asyncio.to_thread(handoff.take, engine, case_id, name, now())
        elif action == "reply":
            text = str(form.get("text", ""))[:MAX_REPLY]
            await asyncio.to_thread(handoff.reply, engine, case_id, name, text, now())
        elif action == "close":
            await asyncio.to_thread(handoff.close, engine, case_id, now())
        else:
            raise web.HTTPNotFound()
    except handoff.CaseError as error:
        raise web.HTTPConflict(text=str(error)) from error
    await _deliver_now(case.sender)
    raise web.HTTPSeeOther(f"/handoff/cases/{case_id}")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/handoff/", queue_page)
    app.router.add_get("/handoff/cases/{case_id}", case_page)
    app.router.add_get("/handoff/transcripts/{sender}", transcript_page)
    app.router.add_post("/handoff/cases/{case_id}/{action}", case_action)
