"""The REST channel, with its input checked: a malformed request gets a 400 that says why, an
oversized message a polite reply, a flood 429.

Rasa's own REST channel answers a body that is not a JSON object, a missing sender or a
non-text message with an internal server error. This subclass keeps its URL
(`/webhooks/rest/webhook`) and behaviour, and checks the request first: the sender id's length
and characters (`bot/channels/limits.py`), the message's size, and how fast one sender and one
address send.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot.channels.limits import (
    MAX_MESSAGE_CHARACTERS,
    PER_ADDRESS_PER_MINUTE,
    PER_SENDER_PER_MINUTE,
    SESSION_ID,
    RateLimiter,
    client_address,
    refusal,
)


def _body(request: Request) -> dict[str, Any]:
    try:
        body = request.json
    except Exception as error:  # Sanic raises on a body that is not JSON
        raise InvalidUsage('The body must be JSON: {"sender": "...", "message": "..."}.') from error
    if not isinstance(body, dict):
        raise InvalidUsage('The body must be a JSON object with "sender" and "message".')
    return body


class CheckedRestInput(RestInput):
    """`rest` channel that validates the request before Rasa reads it."""

    def __init__(self) -> None:
        self.per_sender = RateLimiter(PER_SENDER_PER_MINUTE)
        self.per_address = RateLimiter(PER_ADDRESS_PER_MINUTE)

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str | None:
        sender = _body(req).get("sender")
        if not isinstance(sender, str) or not SESSION_ID.match(sender):
            raise InvalidUsage(
                '"sender" is required: 1 to 64 letters, digits or _ . : @ - naming the '
                "conversation."
            )
        return sender

    def _extract_message(self, req: Request) -> str | None:
        message = _body(req).get("message")
        if not isinstance(message, str):
            raise InvalidUsage('"message" is required and must be a string.')
        return message

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage('"metadata" must be a JSON object.')
        return metadata

    def blueprint(self, on_new_message) -> Blueprint:
        """Rasa's REST blueprint behind the size and rate checks."""

        async def checked(message: UserMessage) -> None:
            await on_new_message(message)

        webhook = super().blueprint(checked)

        @webhook.on_request
        async def limits(request: Request):
            if not request.path.endswith("/webhook") or request.method != "POST":
                return None
            sender = await self._extract_sender(request)
            text = self._extract_message(request)
            hint = (self.get_metadata(request) or {}).get("locale")
            address = client_address(request.ip, request.headers.get("x-forwarded-for"))
            wait = max(self.per_address.wait(address), self.per_sender.wait(sender))
            if wait:
                seconds = int(wait + 0.999)
                reply = refusal(
                    "too_fast", text, hint if isinstance(hint, str) else None, seconds=seconds
                )
                return response.json(
                    [{"recipient_id": sender, "text": reply}],
                    status=429,
                    headers={"Retry-After": str(seconds)},
                )
            if len(text) > MAX_MESSAGE_CHARACTERS:
                reply = refusal(
                    "too_long",
                    text,
                    hint if isinstance(hint, str) else None,
                    limit=MAX_MESSAGE_CHARACTERS,
                )
                return response.json([{"recipient_id": sender, "text": reply}])
            return None

        return webhook
