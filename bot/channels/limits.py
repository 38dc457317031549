"""What a public chat channel accepts: session ids, message size, message rate.

Every channel that faces the internet checks a message here before the bot sees it. A refused
message gets a polite reply in the language it is written in (or 429 over HTTP), never an
error page; other conversations are not slowed down.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.language.codes import FALLBACK, SUPPORTED, normalise

#: a conversation id a client may send: letters, digits and _ . : @ - ; at most 64 characters
SESSION_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,64}$")
MAX_MESSAGE_CHARACTERS = int(os.environ.get("HUBGUIDE_MAX_MESSAGE_CHARACTERS", "2000"))
#: messages per minute one conversation, and one client address, may send
PER_SENDER_PER_MINUTE = int(os.environ.get("HUBGUIDE_RATE_PER_SENDER", "20"))
PER_ADDRESS_PER_MINUTE = int(os.environ.get("HUBGUIDE_RATE_PER_ADDRESS", "120"))
SECRET_VARIABLE = "HUBGUIDE_SESSION_SECRET"
_MESSAGES = Path(__file__).with_name("messages.yml")


@cache
def _catalogue() -> dict:
    return yaml.safe_load(_MESSAGES.read_text(encoding="utf-8"))


def refusal(key: str, text: str, hint: str | None = None, **params: object) -> str:
    """The polite refusal ``key`` in the language of ``text`` (else the hint's, else English)."""
    from bot.language.detector import detect

    lang = normalise(hint) if hint else FALLBACK
    detection = detect(text[:MAX_MESSAGE_CHARACTERS])
    if detection.code in SUPPORTED and detection.reliable:
        lang = detection.code
    entry = _catalogue()[key]
    return str(entry.get(lang if lang in SUPPORTED else FALLBACK)).format(**params)


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def client_address(peer: str | None, forwarded_for: str | None) -> str | None:
    """The address a message comes from, for the per-address limit: behind a proxy on this
    machine (nginx) the first X-Forwarded-For address; a client on this machine itself (the
    project's tools and tests) is not limited by address (None)."""
    if peer in LOOPBACK or not peer:
        first = (forwarded_for or "").split(",")[0].strip()
        return first or None
    return peer


@dataclass
class _Window:
    started: float
    count: int


class RateLimiter:
    """At most ``limit`` messages per key in each minute (fixed windows; bounded memory)."""

    def __init__(self, limit: int, *, window: float = 60.0, keys: int = 100_000) -> None:
        self.limit, self.window, self.max_keys = limit, window, keys
        self._windows: OrderedDict[str, _Window] = OrderedDict()

    def wait(self, key: str | None, now: float | None = None) -> float:
        """0 when the message may pass (and it is counted), else the seconds to wait; a None
        key is never limited."""
        if key is None:
            return 0.0
        now = time.monotonic() if now is None else now
        window = self._windows.get(key)
        if window is None or now - window.started >= self.window:
            window = self._windows[key] = _Window(now, 0)
        self._windows.move_to_end(key)
        while len(self._windows) > self.max_keys:
            self._windows.popitem(last=False)
        if window.count >= self.limit:
            return max(1.0, self.window - (now - window.started))
        window.count += 1
        return 0.0


class SessionSigner:
    """Conversation ids the server hands out, signed so that a client can only come back to a
    conversation it was given, never pick another one's id."""

    def __init__(self, secret: str | None = None) -> None:
        key = secret or os.environ.get(SECRET_VARIABLE) or secrets.token_hex(32)
        self._key = key.encode()

    def new(self) -> str:
        token = secrets.token_hex(12)
        return f"{token}.{self._mac(token)}"

    def valid(self, session_id: object) -> bool:
        if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
            return False
        token, _, mac = session_id.partition(".")
        return bool(token) and hmac.compare_digest(mac, self._mac(token))

    def _mac(self, token: str) -> str:
        return hmac.new(self._key, token.encode(), hashlib.sha256).hexdigest()[:20]
