"""The workspace's pages (server-rendered, no script): login, records, a record's form and
history, undo, the "try it" pane, accounts."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp_session import get_session

from knowledge.editing import EDITABLE as KINDS
from knowledge.editing import PLACES, SOURCES
from knowledge.languages import SUPPORTED
from knowledge.origins import PLACES_SOURCE
from staff import accounts, history, i18n, security, service, tryit
from staff.app import BASE, CONFIG_KEY, PREFIX, engine_of, lang_of, render, run
from staff.forms import FIELDS, FIXED, TEXTS, FormProblem, from_form, text_box, to_yaml


def _user(request: web.Request) -> accounts.User:
    return request["user"]


async def login_page(request: web.Request) -> web.Response:
    if "lang" in request.query and request.query["lang"] in SUPPORTED:
        (await get_session(request))["lang"] = request["lang"] = request.query["lang"]
    return await render("login.html", request, {"error": None})


async def login_post(request: web.Request) -> web.Response:
    form = await request.post()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    try:
        user = await run(accounts.login, engine_of(request), name, password)
    except accounts.AccountError as exc:
        error = i18n.text(lang_of(request), exc.key, **exc.params)
        status = 429 if exc.key == "login_locked" else 401
        return await render("login.html", request, {"error": error, "name": name}, status=status)
    await security.start(request, user.name)
    raise web.HTTPSeeOther(PREFIX)


async def logout(request: web.Request) -> web.Response:
    (await get_session(request)).invalidate()
    raise web.HTTPSeeOther(f"{PREFIX}login")


async def set_language(request: web.Request) -> web.Response:
    form = await request.post()
    lang = str(form.get("lang", ""))
    if lang in SUPPORTED:
        (await get_session(request))["lang"] = lang
        await run(_store_language, engine_of(request), _user(request).name, lang)
    back = str(form.get("back", PREFIX))
    raise web.HTTPSeeOther(back if back.startswith(PREFIX) and "//" not in back else PREFIX)


def _store_language(engine, name: str, lang: str) -> None:
    with engine.begin() as conn:
        accounts.set_language(conn, name, lang)


async def records(request: web.Request) -> web.Response:
    kind = request.query.get("kind")
    kind = kind if kind in KINDS else None
    found = await run(service.list_records, engine_of(request), _user(request), kind)
    return await render("records.html", request, {"records": found, "kinds": KINDS, "kind": kind})


def _label(kind: str, fld: str) -> str:
    """The catalogue key of a box's label: ``field_<kind>_<field>`` where the field means
    something else for that kind (a place's ``kind``), else ``field_<field>``."""
    key = f"field_{kind}_{fld}"
    return key if key in i18n.catalogue(i18n.DEFAULT) else f"field_{fld}"


def _form_context(info: service.RecordInfo, values: dict | None = None) -> dict[str, Any]:
    """The boxes of a record's form, from the stored record or what was posted."""
    record = values if values is not None else info.record
    fields = []
    for fld in FIELDS[info.kind]:
        box: dict[str, Any] = {"name": fld, "label": _label(info.kind, fld)}
        if fld in TEXTS[info.kind]:
            box["text"] = text_box(record.get(fld), info.source_language)
        else:
            box["yaml"] = to_yaml(record.get(fld))
            box["fixed"] = fld in FIXED.get(info.kind, ())
        fields.append(box)
    return {"info": info, "fields": fields, "supported": SUPPORTED}


async def record_page(request: web.Request) -> web.Response:
    kind, rid = request.match_info["kind"], request.match_info["id"]
    info = await run(service.get_record, engine_of(request), _user(request), kind, rid)
    context = _form_context(info)
    context.update(problems={}, general=[], saved=request.query.get("saved"))
    return await render("record.html", request, context)


async def record_save(request: web.Request) -> web.Response:
    kind, rid = request.match_info["kind"], request.match_info["id"]
    engine, user, lang = engine_of(request), _user(request), lang_of(request)
    info = await run(service.get_record, engine, user, kind, rid)
    if not info.editable:
        raise service.Forbidden(rid)
    form = {k: str(v) for k, v in (await request.post()).items()}
    problems: dict[str, list[str]] = {}
    general: list[str] = []
    try:
        record = from_form(kind, rid, form, info.record, info.source_language)
        change = await run(service.save_record, engine, user, kind, rid, record)
    except FormProblem as exc:
        for fld, key, params in exc.problems:
            problems.setdefault(fld, []).append(i18n.text(lang, key, **params))
        return await _refused(request, info, form, problems, general)
    except service.Invalid as exc:
        for fld, message in exc.problems:
            target = problems.setdefault(fld, []) if fld else general
            target.append(i18n.problem(lang, message))
        return await _refused(request, info, form, problems, general, record)
    raise web.HTTPSeeOther(f"{PREFIX}records/{kind}/{rid}?saved={change}")


async def _refused(
    request: web.Request,
    info: service.RecordInfo,
    form: dict[str, str],
    problems: dict[str, list[str]],
    general: list[str],
    record: dict | None = None,
) -> web.Response:
    """The form again with what was typed, each problem beside its field (422)."""
    context = _form_context(info, record)
    if record is None:  # keep the boxes as typed
        for field in context["fields"]:
            if "yaml" in field:
                field["yaml"] = form.get(f"f.{field['name']}", "")
    context.update(problems=problems, general=general, saved=None)
    return await render("record.html", request, context, status=422)


def _sources(engine) -> dict[str, str]:
    """Source id → its language, for the new-record form."""
    from sqlalchemy import select

    from knowledge.models import Source

    with engine.connect() as conn:
        return dict(conn.execute(select(Source.id, Source.language).order_by(Source.id)).all())


def _blank(kind: str, source_id: str, language: str, user: accounts.User) -> service.RecordInfo:
    return service.RecordInfo(kind, "", "", source_id, language, None, {}, user.role != "reviewer")


async def new_page(request: web.Request) -> web.Response:
    kind = request.match_info["kind"]
    user = _user(request)
    if user.role == "reviewer" or kind == SOURCES or (kind == PLACES and not user.is_admin):
        raise service.Forbidden(kind)  # a source is a content file; admins add places
    sources = await run(_sources, engine_of(request))
    source = request.query.get("source")
    source = source if source in sources else next(iter(sources), "")
    context = _form_context(_blank(kind, source, sources.get(source, "en"), user))
    context.update(problems={}, general=[], saved=None, sources=sources, new=True)
    return await render("record.html", request, context)


async def new_post(request: web.Request) -> web.Response:
    kind = request.match_info["kind"]
    engine, user, lang = engine_of(request), _user(request), lang_of(request)
    if user.role == "reviewer" or kind == SOURCES or (kind == PLACES and not user.is_admin):
        raise service.Forbidden(kind)
    form = {k: str(v) for k, v in (await request.post()).items()}
    sources = await run(_sources, engine)
    if kind == PLACES:
        sources = {PLACES_SOURCE: "en"}
        form["source"] = PLACES_SOURCE
    source = form.get("source", "")
    if source not in sources:
        raise service.NotFound(source)
    rid = form.get("new_id", "").strip()
    info = _blank(kind, source, sources[source], user)
    problems: dict[str, list[str]] = {}
    general: list[str] = []
    record = None
    try:
        record = from_form(kind, rid, form, None, sources[source])
        await run(service.create_record, engine, user, kind, source, record)
    except FormProblem as exc:
        for fld, key, params in exc.problems:
            problems.setdefault(fld, []).append(i18n.text(lang, key, **params))
    except service.Invalid as exc:
        for fld, message in exc.problems:
            (problems.setdefault(fld, []) if fld else general).append(i18n.problem(lang, message))
    else:
        raise web.HTTPSeeOther(f"{PREFIX}records/{kind}/{rid}?saved=1")
    context = _form_context(info, record)
    if record is None:
        for field in context["fields"]:
            if "yaml" in field:
                field["yaml"] = form.get(f"f.{field['name']}", "")
    context.update(
        problems=problems, general=general, saved=None, sources=sources, new=True, new_id=rid
    )
    return await render("record.html", request, context, status=422)


async def record_delete(request: web.Request) -> web.Response:
    kind, rid = request.match_info["kind"], request.match_info["id"]
    engine, user, lang = engine_of(request), _user(request), lang_of(request)
    try:
        await run(service.delete_record, engine, user, kind, rid)
    except service.Invalid as exc:
        info = await run(service.get_record, engine, user, kind, rid)
        context = _form_context(info)
        general = [i18n.problem(lang, message) for _, message in exc.problems]
        context.update(problems={}, general=general, saved=None)
        return await render("record.html", request, context, status=422)
    raise web.HTTPSeeOther(f"{PREFIX}?kind={kind}")


async def record_history(request: web.Request) -> web.Response:
    kind, rid = request.match_info["kind"], request.match_info["id"]
    engine, user = engine_of(request), _user(request)
    info = await run(service.get_record, engine, user, kind, rid)
    found = await run(service.record_history, engine, user, kind, rid)
    return await render(
        "history.html",
        request,
        {"info": info, "changes": found, "conflict": request.query.get("conflict")},
    )


def _recent(engine, user: accounts.User) -> list[history.Change]:
    readable = {(r.kind, r.id) for r in service.list_records(engine, user)}
    with engine.connect() as conn:
        return [c for c in history.recent(conn) if (c.kind, c.record_id) in readable]


async def changes_page(request: web.Request) -> web.Response:
    found = await run(_recent, engine_of(request), _user(request))
    return await render("changes.html", request, {"changes": found})


def _get_change(engine, change_id: int) -> history.Change | None:
    with engine.connect() as conn:
        return history.get(conn, change_id)


async def undo(request: web.Request) -> web.Response:
    change_id = int(request.match_info["change_id"])
    engine, user = engine_of(request), _user(request)
    change = await run(_get_change, engine, change_id)
    if change is None:
        raise service.NotFound(str(change_id))
    back = f"{PREFIX}records/{change.kind}/{change.record_id}/history"
    try:
        await run(service.undo, engine, user, change_id)
    except history.UndoConflict as exc:
        raise web.HTTPSeeOther(f"{back}?conflict={','.join(exc.fields)}") from exc
    except service.Invalid as exc:
        raise web.HTTPSeeOther(f"{back}?conflict=record") from exc
    raise web.HTTPSeeOther(back)


async def try_page(request: web.Request) -> web.Response:
    return await render("try.html", request, {"result": None, "error": None})


async def try_post(request: web.Request) -> web.Response:
    form = await request.post()
    question = str(form.get("message", "")).strip()[:2000]
    result, error = None, None
    if not question:
        error = i18n.text(lang_of(request), "try_empty")
    else:
        try:
            result = await tryit.ask(request.config_dict[CONFIG_KEY].rasa_url, question)
        except tryit.BotUnavailable:
            error = i18n.text(lang_of(request), "try_unavailable")
    return await render(
        "try.html", request, {"result": result, "error": error, "question": question}
    )


def _admin(request: web.Request) -> accounts.User:
    user = _user(request)
    if not user.is_admin:
        raise service.Forbidden("users")
    return user


def _all_users(engine) -> list[accounts.User]:
    with engine.connect() as conn:
        return accounts.all_users(conn)


def _add_user(engine, name, role, password, orgs, language) -> None:
    with engine.begin() as conn:
        accounts.add_user(conn, name, role, password, orgs, language)


def _remove_user(engine, name: str) -> None:
    with engine.begin() as conn:
        accounts.remove(conn, name)


async def users_page(request: web.Request, error: str | None = None) -> web.Response:
    _admin(request)
    found = await run(_all_users, engine_of(request))
    return await render(
        "users.html",
        request,
        {"users": found, "error": error, "roles": accounts.ROLES},
        status=422 if error else 200,
    )


async def users_post(request: web.Request) -> web.Response:
    _admin(request)
    form = await request.post()
    orgs = [o.strip() for o in str(form.get("orgs", "")).replace(",", " ").split() if o.strip()]
    try:
        await run(
            _add_user,
            engine_of(request),
            str(form.get("name", "")).strip(),
            str(form.get("role", "")),
            str(form.get("password", "")),
            orgs,
            str(form.get("language", "en")),
        )
    except accounts.AccountError as exc:
        return await users_page(request, i18n.text(lang_of(request), exc.key, **exc.params))
    raise web.HTTPSeeOther(f"{PREFIX}users")


async def user_remove(request: web.Request) -> web.Response:
    user = _admin(request)
    name = request.match_info["name"]
    if name == user.name:
        return await users_page(request, i18n.text(lang_of(request), "account_not_self"))
    await run(_remove_user, engine_of(request), name)
    raise web.HTTPSeeOther(f"{PREFIX}users")


def add_routes(app: web.Application) -> None:
    kinds = "|".join(KINDS)
    record = f"{BASE}/records/{{kind:{kinds}}}/{{id:[a-z0-9][a-z0-9-]*}}"
    app.router.add_get(f"{BASE}/login", login_page)
    app.router.add_post(f"{BASE}/login", login_post)
    app.router.add_post(f"{BASE}/logout", logout)
    app.router.add_post(f"{BASE}/language", set_language)
    app.router.add_get(PREFIX, records)
    app.router.add_get(record, record_page)
    app.router.add_post(record, record_save)
    app.router.add_get(record + "/history", record_history)
    app.router.add_post(record + "/delete", record_delete)
    app.router.add_get(f"{BASE}/new/{{kind:{kinds}}}", new_page)
    app.router.add_post(f"{BASE}/new/{{kind:{kinds}}}", new_post)
    app.router.add_get(f"{BASE}/changes", changes_page)
    app.router.add_post(BASE + "/changes/{change_id:[0-9]{1,12}}/undo", undo)
    app.router.add_get(f"{BASE}/try", try_page)
    app.router.add_post(f"{BASE}/try", try_post)
    app.router.add_get(f"{BASE}/users", users_page)
    app.router.add_post(f"{BASE}/users", users_post)
    app.router.add_post(BASE + "/users/{name:[A-Za-z0-9_-]{1,80}}/remove", user_remove)
