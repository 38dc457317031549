"""The staff workspace as an aiohttp sub-application, mounted at ``/staff/`` by the web chat
server (``webchat/server.py`` calls ``mount``).

Every request passes three middlewares, in this order: errors (a role or lookup failure
becomes 403/404 in the user's language, HTML or JSON), login (``request["user"]``; pages
redirect to the login page, the API answers 401) and CSRF (every POST/PUT/DELETE carries the
session's token, else 403 and nothing changes).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp_session import get_session, session_middleware
from sqlalchemy.engine import Engine

from knowledge import migrate
from knowledge.db import make_engine
from knowledge.languages import SUPPORTED
from staff import accounts, i18n, sections, security
from staff.service import Forbidden, NotFound

PACKAGE = Path(__file__).resolve().parent
PREFIX = "/staff/"
BASE = PREFIX.rstrip("/")
#: paths (below /staff/) served without a login
PUBLIC = ("login", "static/", "api/login", "api/openapi.json")
#: state-changing paths that check something else than the session's CSRF token: the API
#: login accepts JSON only, which a page of another site cannot send without CORS
CSRF_EXEMPT = ("api/login",)

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class StaffConfig:
    rasa_url: str
    database_url: str | None = None
    _engine: Engine | None = None

    _schema_current: bool = False

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.database_url)
        return self._engine

    def schema_current(self) -> bool:
        """Checked until it is current once (the schema is only ever upgraded)."""
        if not self._schema_current:
            self._schema_current = migrate.is_current(self.engine())
        return self._schema_current


CONFIG_KEY = web.AppKey("staff_config", StaffConfig)


class SchemaNotCurrent(RuntimeError):
    pass


async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Blocking database work (SQLAlchemy, argon2) off the event loop."""
    return await asyncio.to_thread(functools.partial(fn, *args, **kwargs))


def engine_of(request: web.Request) -> Engine:
    return request.config_dict[CONFIG_KEY].engine()


def relative(request: web.Request) -> str:
    path = request.path
    return path[len(PREFIX) :] if path.startswith(PREFIX) else path.lstrip("/")


def is_api(request: web.Request) -> bool:
    return relative(request).startswith("api/")


def lang_of(request: web.Request) -> str:
    return request.get("lang") or i18n.DEFAULT


def _best_language(request: web.Request) -> str:
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in ("nn", "no"):
            code = "nb"
        if code in SUPPORTED:
            return code
    return i18n.DEFAULT


async def render(
    template: str, request: web.Request, context: dict[str, Any], status: int = 200
) -> web.Response:
    """A page: the template with what every page sees (``_context``) and ``context``."""
    merged = {**await _context(request), **context}
    return aiohttp_jinja2.render_template(template, request, merged, status=status)


async def error_response(
    request: web.Request, status: int, key: str, **params: Any
) -> web.Response:
    """An error in the user's language: JSON for the API, a page otherwise."""
    message = i18n.text(lang_of(request), key, **params)
    if is_api(request):
        return web.json_response({"error": key, "message": message}, status=status)
    return await render("error.html", request, {"message": message, "status": status}, status)


@web.middleware
async def errors(request: web.Request, handler):  # type: ignore[no-untyped-def]
    try:
        return await handler(request)
    except Forbidden:
        return await error_response(request, 403, "error_forbidden")
    except NotFound:
        return await error_response(request, 404, "error_not_found")
    except SchemaNotCurrent:
        return await error_response(request, 503, "error_schema")
    except web.HTTPException as exc:
        if exc.status == 404:
            return await error_response(request, 404, "error_not_found")
        if exc.status == 405:
            return await error_response(request, 405, "error_method")
        raise


def _public(request: web.Request) -> bool:
    path = relative(request)
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in PUBLIC)


@web.middleware
async def login(request: web.Request, handler):  # type: ignore[no-untyped-def]
    session = await get_session(request)
    request["lang"] = session.get("lang") or _best_language(request)
    name = session.get("user")
    user = None
    needs_database = name or not relative(request).startswith(("static/", "api/openapi.json"))
    if needs_database and not await run(request.config_dict[CONFIG_KEY].schema_current):
        raise SchemaNotCurrent()
    if name:
        user = await run(_get_user, engine_of(request), name)
        if user is None:  # the account was removed: the session ends
            session.invalidate()
    request["user"] = user
    if user is not None:
        request["lang"] = session.get("lang") or user.language
    elif not _public(request):
        if is_api(request):
            return await error_response(request, 401, "error_login_required")
        raise web.HTTPSeeOther(f"{PREFIX}login")
    return await handler(request)


def _get_user(engine: Engine, name: str) -> accounts.User | None:
    with engine.connect() as conn:
        return accounts.get(conn, name)


@web.middleware
async def csrf(request: web.Request, handler):  # type: ignore[no-untyped-def]
    if request.method in ("GET", "HEAD", "OPTIONS") or relative(request) in CSRF_EXEMPT:
        return await handler(request)
    if not await security.csrf_ok(request):
        return await error_response(request, 403, "error_csrf")
    return await handler(request)


@web.middleware
async def headers(request: web.Request, handler):  # type: ignore[no-untyped-def]
    response = await handler(request)
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


async def _context(request: web.Request) -> dict[str, Any]:
    """What every template sees: the wording, the user, the CSRF token, the navigation."""
    lang = lang_of(request)
    user = request.get("user")
    return {
        "request": request,
        "t": functools.partial(i18n.text, lang),
        "lang": lang,
        "dir": "rtl" if lang in i18n.RTL else "ltr",
        "user": user,
        "csrf": await security.csrf_token(request),
        "nav": sections.visible(request.config_dict, user.role) if user else [],
        "languages": i18n.language_names(),
        "prefix": PREFIX,
        "path": request.path,
    }


def only_staff(middleware):  # type: ignore[no-untyped-def]
    """A middleware that acts on /staff/ requests only (the web chat's pass straight on)."""

    @web.middleware
    async def wrapped(request: web.Request, handler):  # type: ignore[no-untyped-def]
        if not request.path.startswith(PREFIX):
            return await handler(request)
        return await middleware(request, handler)

    return wrapped


def install(
    app: web.Application,
    rasa_url: str,
    *,
    database_url: str | None = None,
    secret: str | None = None,
) -> web.Application:
    """Add the workspace's routes (all below /staff/) and middlewares to ``app``.

    Not an aiohttp sub-application on purpose: resolving a sub-application's prefix reads
    ``request.url``, which aiohttp 3.9 cannot build with the yarl pinned here when the Host
    header has a port (every request to :8080).
    """
    from staff import analytics_views, api, handoff_views, views

    app[CONFIG_KEY] = StaffConfig(rasa_url=rasa_url.rstrip("/"), database_url=database_url)
    app[sections.SECTIONS_KEY] = list(sections.BUILT_IN)
    storage = security.StaffCookieStorage(secret or security.secret_from_env())
    for middleware in (headers, errors, session_middleware(storage), login, csrf, api.refusals):
        app.middlewares.append(only_staff(middleware))
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(str(PACKAGE / "templates")),
        autoescape=jinja2.select_autoescape(default=True),
    )
    app.router.add_static(f"{PREFIX}static", PACKAGE / "static", follow_symlinks=False)
    views.add_routes(app)
    api.add_routes(app)
    analytics_views.add_routes(app)  # /staff/analytics (staff/analytics_views.py)
    handoff_views.register(app)
    return app


def create_app(
    rasa_url: str, *, database_url: str | None = None, secret: str | None = None
) -> web.Application:
    """The workspace alone (tests); the web chat server adds it to its own app (``mount``)."""
    return install(web.Application(), rasa_url, database_url=database_url, secret=secret)


def mount(parent: web.Application, rasa_url: str) -> web.Application:
    """Add the workspace at /staff/ to the web chat's app (database: HUBGUIDE_DATABASE_URL)."""
    return install(parent, rasa_url)
