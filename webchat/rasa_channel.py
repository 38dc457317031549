"""Rasa's socket.io input channel with session persistence that works on python-socketio 5.9+.

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

import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint

logger = logging.getLogger(__name__)


class SocketIOInput(rasa_socketio.SocketIOInput):
    """The stock channel, with the session room actually joined."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Builds the stock blueprint, then re-registers `session_request` (last one wins)."""
        webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by the stock blueprint()

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not 0 < len(session_id) <= 128:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            logger.debug("Socket %s joined session %s.", sid, session_id)

        return webhook
