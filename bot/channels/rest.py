"""The REST channel, with its input checked: a malformed request gets a 400 that says why.

Rasa's own REST channel answers a body that is not a JSON object, a missing sender or a
non-text message with an internal server error. This subclass keeps its URL
(`/webhooks/rest/webhook`) and behaviour, and refuses such requests first.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

MAX_MESSAGE_CHARACTERS = 20_000


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

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str | None:
        sender = _body(req).get("sender")
        if not isinstance(sender, str) or not sender.strip():
            raise InvalidUsage('"sender" is required: a non-empty string naming the conversation.')
        return sender

    def _extract_message(self, req: Request) -> str | None:
        message = _body(req).get("message")
        if not isinstance(message, str):
            raise InvalidUsage('"message" is required and must be a string.')
        return message[:MAX_MESSAGE_CHARACTERS]

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage('"metadata" must be a JSON object.')
        return metadata
