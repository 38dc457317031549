"""Rasa's socket.io input channel, with session persistence that works on python-socketio 5.9+
and safe to expose to browsers.

Rasa 3.6's `socketio` channel calls `AsyncServer.enter_room()` without `await` in its
`session_request` handler (RasaHQ/rasa#13027). Since python-socketio 5.9 that method is a
coroutine, so the socket never joins the room named after the session id, and with
`session_persistence: true` every reply (sent to that room) is lost. This subclass keeps the
channel's protocol and name and only replaces that handler. Use it in credentials.yml as::

    webchat.rasa_channel.SocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import json
import logging
import os
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint
from sqlalchemy.engine import Engine

from bot.channels.limits import (
    MAX_MESSAGE_CHARACTERS,
    PER_ADDRESS_PER_MINUTE,
    PER_SENDER_PER_MINUTE,
    RateLimiter,
    SessionSigner,
    client_address,
    refusal,
)
from bot.channels.messaging import greeting_payload

logger = logging.getLogger(__name__)


CUSTOM_DATA_KEY = "customData"
DEFAULT_ORIGINS = ("http://localhost:8080", "http://127.0.0.1:8080")
#: the timestamp of the BotUttered event being sent: each payload carries it as `metadata.ts`, the
#: answer's id in the tracker store, which a thumbs vote names (webchat/feedback.py)
_BOT_TIMESTAMP: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "hubguide_bot_timestamp", default=None
)
ORIGINS_VARIABLE = "HUBGUIDE_ALLOWED_ORIGINS"


def allowed_origins() -> list[str]:
    """Browser origins that may open a socket (the web chat's own by default)."""
    configured = os.environ.get(ORIGINS_VARIABLE, "")
    origins = [o.strip() for o in configured.split(",") if o.strip()]
    return origins or list(DEFAULT_ORIGINS)


@lru_cache(maxsize=1)
def _engine() -> Engine:
    """The knowledge base's database (kept messages live there), opened on first use."""
    from knowledge.db import make_engine

    return make_engine()


class KeepingOutput(rasa_socketio.SocketIOOutput):
    """Rasa's socket.io output, except that a message for a session with no socket open (the
    visitor left, a reminder fires at night) is kept in the database (``knowledge/outbox.py``)
    and sent when the session reconnects, instead of being emitted to an empty room."""

    def __init__(self, sio: Any, bot_message_evt: str, namespace: str | None = None) -> None:
        super().__init__(sio, bot_message_evt)
        self.namespace = namespace or "/"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        stamp = message.get("timestamp")
        token = _BOT_TIMESTAMP.set(stamp if isinstance(stamp, (int, float)) else None)
        try:
            await super().send_response(recipient_id, message)
        finally:
            _BOT_TIMESTAMP.reset(token)

    def _connected(self, room: str) -> bool:
        try:
            return any(True for _ in self.sio.manager.get_participants(self.namespace, room))
        except (KeyError, AttributeError):
            return False

    async def _send_message(self, socket_id: str, response: Any) -> None:
        stamp = _BOT_TIMESTAMP.get()
        if stamp is not None and isinstance(response, dict):
            # in `metadata`: rasa-webchat shows a text message only when `text` is its one
            # other key, and drops `metadata` before it looks
            response = {**response, "metadata": {**(response.get("metadata") or {}), "ts": stamp}}
        if self._connected(socket_id):
            await self.sio.emit(self.bot_message_evt, response, room=socket_id)
            return
        from knowledge import outbox

        try:
            await asyncio.to_thread(outbox.keep, _engine(), socket_id, response)
        except Exception:  # noqa: BLE001 - the database is down: the message is lost, say so
            logger.exception("Could not keep a message for away session %s.", socket_id)


async def send_kept(sio: Any, event: str, namespace: str | None, session_id: str) -> int:
    """Emit the messages kept for a session that just (re)joined; how many."""
    from knowledge import outbox

    try:
        kept = await asyncio.to_thread(outbox.take, _engine(), session_id)
    except Exception:  # noqa: BLE001 - no database: nothing kept to send
        logger.exception("Could not read the messages kept for session %s.", session_id)
        return 0
    for payload in kept:
        await sio.emit(event, payload, room=session_id, namespace=namespace)
    return len(kept)


class SocketIOInput(rasa_socketio.SocketIOInput):
    """The stock channel, with the session room actually joined, and safe to expose: only the
    allowed origins connect, a client gets a signed conversation id and may only send to the
    conversation it holds, and message size and rate are limited (`bot/channels/limits.py`)."""

    def get_output_channel(self) -> KeepingOutput | None:
        """The channel Rasa's external events (reminders, staff replies) are sent on."""
        if self.sio is None:
            return None
        return KeepingOutput(self.sio, self.bot_message_evt, self.namespace)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Builds the stock blueprint, then re-registers its handlers (last one wins)."""
        webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by the stock blueprint()
        # Rasa creates the server with engine.io's CORS handling off: the Rasa server's own
        # CORS (`--cors`, the same allowed origins) writes the headers, and engine.io must not
        # add a second Access-Control-Allow-Origin (browsers refuse a doubled header). The
        # origin itself is checked when a socket connects.
        origins = set(allowed_origins())
        signer = SessionSigner()
        sessions: dict[str, str] = {}  # socket id -> the conversation it was given
        per_session = RateLimiter(PER_SENDER_PER_MINUTE)
        per_address = RateLimiter(PER_ADDRESS_PER_MINUTE)
        addresses: dict[str, str | None] = {}

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: Any = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if origin and origin not in origins:  # a page of another site
                logger.warning("Refused a socket from %s (not an allowed origin).", origin)
                return False
            forwarded = environ.get("HTTP_X_FORWARDED_FOR")
            addresses[sid] = client_address(environ.get("REMOTE_ADDR"), forwarded)
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            sessions.pop(sid, None)
            addresses.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not signer.valid(session_id):  # a new visitor, or an id this server never gave
                session_id = signer.new()
            sessions[sid] = session_id
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            logger.debug("Socket %s joined session %s.", sid, session_id)
            if self.session_persistence:  # what the bot said while the visitor was away
                await send_kept(sio, self.bot_message_evt, self.namespace, session_id)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: dict | None) -> None:
            data = data if isinstance(data, dict) else {}
            output = KeepingOutput(sio, self.bot_message_evt, self.namespace)
            sender = sessions.get(sid) if self.session_persistence else sid
            if sender is None or (self.session_persistence and data.get("session_id") != sender):
                logger.warning("Socket %s sent a message for a conversation it does not hold.", sid)
                return
            text = data.get("message")
            text = text if isinstance(text, str) else ""
            # rasa-webchat (npm) sends its `customData` ({"language": "fr"}) beside the message.
            metadata = data.get(self.metadata_key) or data.get(CUSTOM_DATA_KEY) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            metadata = metadata if isinstance(metadata, dict) else {}
            hints = (metadata.get("locale"), metadata.get("language"))
            hint = next((value for value in hints if isinstance(value, str)), None)
            wait = max(per_address.wait(addresses.get(sid)), per_session.wait(sender))
            if wait:
                reply = refusal("too_fast", text, hint, seconds=int(wait + 0.999))
                await output.send_text_message(sender, reply)
                return
            if len(text) > MAX_MESSAGE_CHARACTERS:
                reply = refusal("too_long", text, hint, limit=MAX_MESSAGE_CHARACTERS)
                await output.send_text_message(sender, reply)
                return
            # rasa-webchat opens a conversation with its init payload ("/get_started"): a hello.
            text = greeting_payload(text) or text
            message = UserMessage(
                text, output, sender, input_channel=self.name(), metadata=metadata
            )
            await on_new_message(message)

        return webhook
