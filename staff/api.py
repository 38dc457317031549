"""The JSON API under /staff/api/: the same functions and rules as the pages (``service``),
the same session cookie; state-changing calls carry the CSRF token in ``X-CSRF-Token``.
Described by ``/staff/api/openapi.json`` (``staff/openapi.py``)."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp_session import get_session

from knowledge.editing import EDITABLE as KINDS
from knowledge.editing import PLACES
from knowledge.languages import SUPPORTED
from knowledge.origins import PLACES_SOURCE
from staff import accounts, history, i18n, security, service, tryit
from staff.app import BASE, CONFIG_KEY, engine_of, error_response, lang_of, run
from staff.openapi import document


async def _body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object, else a 400 (``error_bad_json``)."""
    if request.content_type != "application/json":
        raise _Refused(415, "error_bad_json")
    try:
        data = json.loads(await request.text())
    except (ValueError, UnicodeDecodeError) as exc:
        raise _Refused(400, "error_bad_json") from exc
    if not isinstance(data, dict):
        raise _Refused(400, "error_bad_json")
    return data


class _Refused(Exception):
    def __init__(self, status: int, key: str, **params: Any) -> None:
        super().__init__(key)
        self.status, self.key, self.params = status, key, params


@web.middleware
async def refusals(request: web.Request, handler):  # type: ignore[no-untyped-def]
    try:
        return await handler(request)
    except _Refused as exc:
        return await error_response(request, exc.status, exc.key, **exc.params)


def _user(request: web.Request) -> accounts.User:
    return request["user"]


def _user_json(user: accounts.User) -> dict[str, Any]:
    return {
        "name": user.name,
        "role": user.role,
        "orgs": list(user.orgs),
        "language": user.language,
    }


async def login(request: web.Request) -> web.Response:
    body = await _body(request)
    name, password = body.get("name"), body.get("password")
    if not isinstance(name, str) or not isinstance(password, str):
        raise _Refused(400, "error_bad_json")
    try:
        user = await run(accounts.login, engine_of(request), name, password)
    except accounts.AccountError as exc:
        raise _Refused(429 if exc.key == "login_locked" else 401, exc.key, **exc.params) from exc
    await security.start(request, user.name)
    session = await get_session(request)
    return web.json_response({"user": _user_json(user), "csrf_token": session["csrf"]})


async def logout(request: web.Request) -> web.Response:
    (await get_session(request)).invalidate()
    return web.json_response({"ok": True})


async def session_info(request: web.Request) -> web.Response:
    return web.json_response(
        {"user": _user_json(_user(request)), "csrf_token": await security.csrf_token(request)}
    )


async def records(request: web.Request) -> web.Response:
    kind = request.query.get("kind")
    if kind is not None and kind not in KINDS:
        raise _Refused(400, "error_bad_kind")
    found = await run(service.list_records, engine_of(request), _user(request), kind)
    return web.json_response({"records": [r.summary() for r in found]})


async def record_get(request: web.Request) -> web.Response:
    kind, rid = request.match_info["kind"], request.match_info["id"]
    info = await run(service.get_record, engine_of(request), _user(request), kind, rid)
    return web.json_response({**info.summary(), "record": info.record})


async def record_put(request: web.Request) -> web.Response:
    kind, rid = request.match_info["kind"], request.match_info["id"]
    body = await _body(request)
    record = body.get("record")
    if not isinstance(record, dict):
        raise _Refused(400, "error_bad_json")
    engine, user, lang = engine_of(request), _user(request), lang_of(request)
    try:
        change = await run(service.save_record, engine, user, kind, rid, record)
    except service.Invalid as exc:
        return _invalid(lang, exc)
    info = await run(service.get_record, engine, user, kind, rid)
    return web.json_response({**info.summary(), "record": info.record, "change": change or None})


def _invalid(lang: str, exc: service.Invalid) -> web.Response:
    problems = [
        {"field": fld, "message": i18n.problem(lang, message), "english": message}
        for fld, message in exc.problems
    ]
    return web.json_response(
        {"error": "invalid", "message": i18n.text(lang, "error_invalid"), "problems": problems},
        status=422,
    )


async def record_post(request: web.Request) -> web.Response:
    kind = request.match_info["kind"]
    body = await _body(request)
    record, source = body.get("record"), body.get("source_id")
    if kind == PLACES:  # a place goes into the places, not into a source document
        source = PLACES_SOURCE
    if not isinstance(record, dict) or not isinstance(source, str):
        raise _Refused(400, "error_bad_json")
    engine, user = engine_of(request), _user(request)
    try:
        change = await run(service.create_record, engine, user, kind, source, record)
    except service.Invalid as exc:
        return _invalid(lang_of(request), exc)
    info = await run(service.get_record, engine, user, kind, record["id"])
    return web.json_response(
        {**info.summary(), "record": info.record, "change": change}, status=201
    )


async def record_delete(request: web.Request) -> web.Response:
    kind, rid = request.match_info["kind"], request.match_info["id"]
    try:
        change = await run(service.delete_record, engine_of(request), _user(request), kind, rid)
    except service.Invalid as exc:
        return _invalid(lang_of(request), exc)
    return web.json_response({"change": change})


async def record_history(request: web.Request) -> web.Response:
    kind, rid = request.match_info["kind"], request.match_info["id"]
    found = await run(service.record_history, engine_of(request), _user(request), kind, rid)
    return web.json_response({"changes": [c.as_json() for c in found]})


async def undo(request: web.Request) -> web.Response:
    change_id = int(request.match_info["change_id"])
    try:
        new = await run(service.undo, engine_of(request), _user(request), change_id)
    except history.UndoConflict as exc:
        raise _Refused(409, "undo_conflict", fields=", ".join(exc.fields)) from exc
    except service.Invalid as exc:
        raise _Refused(409, "undo_conflict", fields="record") from exc
    return web.json_response({"change": new})


async def try_it(request: web.Request) -> web.Response:
    body = await _body(request)
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        raise _Refused(400, "try_empty")
    try:
        result = await tryit.ask(request.config_dict[CONFIG_KEY].rasa_url, message[:2000])
    except tryit.BotUnavailable as exc:
        raise _Refused(503, "try_unavailable") from exc
    return web.json_response(result.as_json())


def _admin(request: web.Request) -> None:
    if not _user(request).is_admin:
        raise service.Forbidden("users")


def _all_users(engine) -> list[accounts.User]:
    with engine.connect() as conn:
        return accounts.all_users(conn)


def _add_user(engine, body: dict[str, Any]) -> accounts.User:
    orgs = body.get("orgs") or []
    language = body.get("language") or "en"
    fields = (body.get("name"), body.get("role"), body.get("password"))
    if not all(isinstance(v, str) for v in fields) or not isinstance(orgs, list):
        raise _Refused(400, "error_bad_json")
    if not all(isinstance(o, str) for o in orgs) or language not in SUPPORTED:
        raise _Refused(400, "error_bad_json")
    with engine.begin() as conn:
        return accounts.add_user(conn, *fields, orgs, language)


async def users(request: web.Request) -> web.Response:
    _admin(request)
    found = await run(_all_users, engine_of(request))
    return web.json_response({"users": [_user_json(u) for u in found]})


async def users_post(request: web.Request) -> web.Response:
    _admin(request)
    body = await _body(request)
    try:
        user = await run(_add_user, engine_of(request), body)
    except accounts.AccountError as exc:
        raise _Refused(422, exc.key, **exc.params) from exc
    return web.json_response({"user": _user_json(user)}, status=201)


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(document())


def add_routes(app: web.Application) -> None:
    kinds = "|".join(KINDS)
    record = f"{BASE}/api/records/{{kind:{kinds}}}/{{id:[a-z0-9][a-z0-9-]*}}"
    app.router.add_get(f"{BASE}/api/openapi.json", openapi)
    app.router.add_post(f"{BASE}/api/login", login)
    app.router.add_post(f"{BASE}/api/logout", logout)
    app.router.add_get(f"{BASE}/api/session", session_info)
    app.router.add_get(f"{BASE}/api/records", records)
    app.router.add_get(record, record_get)
    app.router.add_put(record, record_put)
    app.router.add_delete(record, record_delete)
    app.router.add_post(f"{BASE}/api/records/{{kind:{kinds}}}", record_post)
    app.router.add_get(record + "/history", record_history)
    app.router.add_post(BASE + "/api/changes/{change_id:[0-9]{1,12}}/undo", undo)
    app.router.add_post(f"{BASE}/api/try", try_it)
    app.router.add_get(f"{BASE}/api/users", users)
    app.router.add_post(f"{BASE}/api/users", users_post)
