"""The "Hand-off" section of the workspace: the queue's pages under /staff/handoff and the same
under the JSON API, /staff/api/handoff/. Plugged in by ``register`` (``staff.sections``), so
the login, session, CSRF and error middlewares of ``staff.app`` guard it like every page; the
role rules are ``staff/handoff.py``."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from actions.clock import now
from knowledge import editing
from knowledge.handoff import OPEN_STATES, STATES, CaseView
from staff import accounts, handoff, i18n, service
from staff.app import BASE, CONFIG_KEY, PREFIX, engine_of, error_response, lang_of, render, run
from staff.forms import title_of
from staff.handoff_bot import deliver_now, transcript
from staff.sections import Section, add_section

CASE = BASE + "/handoff/cases/{case_id:[0-9]{1,12}}"
API_CASE = BASE + "/api/handoff/cases/{case_id:[0-9]{1,12}}"
ACTION = "{action:" + "|".join(handoff.ACTIONS) + "}"
#: the queue's three parts; "closed" shows cases closed and given back to the bot
PARTS = {"waiting": ("waiting",), "with_person": ("with_person",), "closed": ("closed", "returned")}
#: the actions that take a JSON body, and the body's one field
BODIES = {"reply": "text", "assign": "hub_id"}
#: who wrote a line of a case or a transcript
AUTHORS = ("user", "staff", "bot")


def labels(lang: str) -> dict[str, dict[str, str]]:
    """The words of states, queue parts, authors and actions (templates look them up)."""
    return {
        "state": {s: i18n.text(lang, f"handoff_state_{s}") for s in STATES},
        "part": {p: i18n.text(lang, f"handoff_part_{p}") for p in PARTS},
        "author": {a: i18n.text(lang, f"handoff_author_{a}") for a in AUTHORS},
        "did": {a: i18n.text(lang, f"handoff_did_{a}") for a in handoff.ACTIONS},
    }


async def _render(
    template: str, request: web.Request, context: dict[str, Any], status: int = 200
) -> web.Response:
    return await render(template, request, {**context, "w": labels(lang_of(request))}, status)


def _user(request: web.Request) -> accounts.User:
    return request["user"]


def _case_id(request: web.Request) -> int:
    return int(request.match_info["case_id"])


def _rasa_url(request: web.Request) -> str:
    return request.config_dict[CONFIG_KEY].rasa_url


def _hub_names(engine, ids: set[str], lang: str) -> dict[str, str]:
    """Each hub's name in the staff member's language where the content has it."""
    names = {}
    with engine.connect() as conn:
        for hub_id in ids:
            found = editing.find(conn, "organisations", hub_id)
            if found is None:
                names[hub_id] = hub_id
                continue
            name = found[1].get("name")
            own = name.get(lang) if isinstance(name, dict) else None
            names[hub_id] = own if isinstance(own, str) else title_of("organisations", found[1])
    return names


def _profile(case: CaseView) -> list[tuple[str, str]]:
    return [
        (key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for key, value in sorted(case.profile.items())
    ]


async def _act(request: web.Request, action: str, text: str) -> CaseView:
    """The action, then the notices it queued delivered to the user at once."""
    engine, moment = engine_of(request), now()
    case = await run(handoff.act, engine, _user(request), _case_id(request), action, text, moment)
    await deliver_now(engine, _rasa_url(request), case.sender, moment)
    return case


# --- pages -----------------------------------------------------------------------------------


async def queue_page(request: web.Request) -> web.Response:
    engine, user = engine_of(request), _user(request)
    found = await run(handoff.cases, engine, user)
    hub_ids = {c.hub_id for c in found if c.hub_id}
    names = await run(_hub_names, engine, hub_ids, lang_of(request))
    parts = {part: [c for c in found if c.state in states] for part, states in PARTS.items()}
    parts["closed"] = parts["closed"][::-1][:50]  # the latest first
    return await _render(
        "handoff.html", request, {"parts": parts, "hubs": names, "can_act": handoff.can_act}
    )


async def _case_context(request: web.Request) -> dict[str, Any]:
    engine = engine_of(request)
    detail = await run(handoff.detail, engine, _user(request), _case_id(request))
    case = detail.case
    hub_ids = {case.hub_id} if case.hub_id else set()
    names = await run(_hub_names, engine, hub_ids, lang_of(request))
    organisations = []
    if handoff.can_assign(_user(request)) and case.state in OPEN_STATES:
        found = await run(service.list_records, engine, _user(request), "organisations")
        organisations = sorted((r.title, r.id) for r in found)
    return {
        "detail": detail,
        "case": case,
        "organisations": organisations,
        "hub": names.get(case.hub_id or "", ""),
        "profile": _profile(case),
        "transcript": await transcript(_rasa_url(request), case.sender),
        "error": None,
        "max_reply": handoff.MAX_REPLY,
    }


async def case_page(request: web.Request) -> web.Response:
    return await _render("handoff_case.html", request, await _case_context(request))


async def case_post(request: web.Request) -> web.Response:
    action = request.match_info["action"]
    form = await request.post()
    given = form.get("hub_id" if action == "assign" else "text", "")
    try:
        await _act(request, action, str(given))
    except handoff.Refused as refused:
        context = await _case_context(request)
        context["error"] = i18n.text(lang_of(request), refused.key)
        status = 409 if refused.key == "handoff_conflict" else 422
        return await _render("handoff_case.html", request, context, status=status)
    raise web.HTTPSeeOther(f"{PREFIX}handoff/cases/{_case_id(request)}")


async def conversation_page(request: web.Request) -> web.Response:
    """A conversation's transcript (the case's transcript link), for who may see its case."""
    sender = request.match_info["sender"]
    found = await run(handoff.of_conversation, engine_of(request), _user(request), sender)
    if not found:
        raise handoff.NotFound(sender)
    lines = await transcript(_rasa_url(request), sender)
    return await _render("handoff_conversation.html", request, {"cases": found, "lines": lines})


# --- JSON API --------------------------------------------------------------------------------


def _detail_json(detail: handoff.CaseDetail, user, lines) -> dict[str, Any]:
    case = detail.case
    return {
        **handoff.summary(case, user),
        "profile": case.profile,
        "transcript_url": case.transcript_url,
        "taken_at": case.taken_at.isoformat() if case.taken_at else None,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "messages": [
            {
                "id": m.id,
                "author": m.author,
                "staff": detail.author_of(m.id) if m.author == "staff" else None,
                "text": m.text,
                "at": m.created_at.isoformat(),
            }
            for m in case.messages
        ],
        "actions": [a.as_json() for a in detail.actions],
        "transcript": None if lines is None else [vars(line) for line in lines],
    }


async def api_cases(request: web.Request) -> web.Response:
    state = request.query.get("state")
    if state is not None and state not in STATES:
        return await error_response(request, 400, "handoff_bad_state")
    user = _user(request)
    states = (state,) if state else STATES
    found = await run(handoff.cases, engine_of(request), user, states)
    return web.json_response({"cases": [handoff.summary(c, user) for c in found]})


async def api_case(request: web.Request) -> web.Response:
    user = _user(request)
    detail = await run(handoff.detail, engine_of(request), user, _case_id(request))
    lines = await transcript(_rasa_url(request), detail.case.sender)
    return web.json_response(_detail_json(detail, user, lines))


async def _json_field(request: web.Request, name: str) -> str | None:
    """The string ``name`` of a JSON body; None when the body is not of that shape."""
    if request.content_type != "application/json":
        return None
    try:
        body = json.loads(await request.text())
    except (ValueError, UnicodeDecodeError):
        return None
    value = body.get(name) if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


async def api_action(request: web.Request) -> web.Response:
    action, text = request.match_info["action"], ""
    if action in BODIES:
        text = await _json_field(request, BODIES[action])
        if text is None:
            return await error_response(request, 400, "error_bad_json")
    try:
        await _act(request, action, text)
    except handoff.Refused as refused:
        status = 409 if refused.key == "handoff_conflict" else 422
        return await error_response(request, status, refused.key)
    user = _user(request)
    detail = await run(handoff.detail, engine_of(request), user, _case_id(request))
    return web.json_response(_detail_json(detail, user, None))


def register(app: web.Application) -> None:
    """The section's routes and its navigation entry (every role: reviewers read)."""
    add_section(
        app,
        Section("nav_handoff", "handoff"),
        [
            web.get(f"{BASE}/handoff", queue_page),
            web.get(CASE, case_page),
            web.post(f"{CASE}/{ACTION}", case_post),
            web.get(BASE + "/handoff/conversations/{sender}", conversation_page),
            web.get(f"{BASE}/api/handoff/cases", api_cases),
            web.get(API_CASE, api_case),
            web.post(f"{API_CASE}/{ACTION}", api_action),
        ],
    )
