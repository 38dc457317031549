"""Sessions in encrypted cookies, CSRF tokens, and the login a request carries.

The cookie is encrypted and authenticated (Fernet, aiohttp-session), ``HttpOnly``,
``SameSite=Strict``, limited to ``/staff/`` and ``Secure`` whenever the request came over TLS
(or ``HUBGUIDE_STAFF_SECURE_COOKIES=1``, behind a proxy that ends TLS). The key comes from
``HUBGUIDE_STAFF_SECRET`` (``make run`` keeps one in var/secrets.json).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets

from aiohttp import web
from aiohttp_session import Session, get_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.fernet import Fernet

SECRET_VARIABLE = "HUBGUIDE_STAFF_SECRET"
SECURE_VARIABLE = "HUBGUIDE_STAFF_SECURE_COOKIES"
COOKIE = "hubguide_staff"
SESSION_SECONDS = 8 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

logger = logging.getLogger(__name__)


def fernet_key(secret: str) -> Fernet:
    """Any secret string → the Fernet key made of its SHA-256."""
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.encode("utf-8")).digest()))


def secret_from_env() -> str:
    secret = os.environ.get(SECRET_VARIABLE)
    if not secret:
        logger.warning("%s is not set: staff sessions end when the server stops", SECRET_VARIABLE)
        secret = secrets.token_urlsafe(32)
    return secret


class StaffCookieStorage(EncryptedCookieStorage):
    """Sets ``Secure`` per request: on whenever the request came over TLS."""

    def __init__(self, secret: str) -> None:
        super().__init__(
            fernet_key(secret),
            cookie_name=COOKIE,
            max_age=SESSION_SECONDS,
            path="/staff/",
            httponly=True,
            samesite="Strict",
        )

    async def save_session(
        self, request: web.Request, response: web.StreamResponse, session: Session
    ) -> None:
        forced = os.environ.get(SECURE_VARIABLE) == "1"
        self._cookie_params["secure"] = True if forced or request.secure else None
        await super().save_session(request, response, session)


async def csrf_token(request: web.Request) -> str:
    """The session's CSRF token (made on first use)."""
    session = await get_session(request)
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


async def csrf_ok(request: web.Request) -> bool:
    """A state-changing request carries the session's token (form field or header)."""
    session = await get_session(request)
    expected = session.get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        given = (await request.post()).get(CSRF_FIELD)
    return bool(expected and isinstance(given, str) and hmac.compare_digest(expected, given))


async def start(request: web.Request, name: str) -> None:
    """After a good login: a fresh session (no fixation), a new CSRF token."""
    session = await get_session(request)
    lang = session.get("lang")
    session.invalidate()
    session = await get_session(request)
    session["user"] = name
    session["csrf"] = secrets.token_urlsafe(32)
    if lang:
        session["lang"] = lang
