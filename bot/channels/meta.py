"""What Messenger and WhatsApp (Meta's Cloud API) share: the Graph API's address, the
``X-Hub-Signature-256`` check and the webhook subscription handshake."""

from __future__ import annotations

import hashlib
import hmac

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

SIGNATURE_HEADER = "X-Hub-Signature-256"
DEFAULT_GRAPH_URL = "https://graph.facebook.com"
DEFAULT_GRAPH_VERSION = "v21.0"
GRAPH_VERSION_VARIABLE = "HUBGUIDE_GRAPH_API_VERSION"


def graph_base(settings: dict[str, str]) -> str:
    url = (settings.get("graph_url") or DEFAULT_GRAPH_URL).rstrip("/")
    return f"{url}/{settings.get('graph_version') or DEFAULT_GRAPH_VERSION}"


def signature(app_secret: str, body: bytes) -> str:
    """The header value Meta sends: ``sha256=`` and the HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def refuse_unsigned(request: Request, app_secret: str) -> HTTPResponse | None:
    """401 without a signature, 403 with a wrong one, None when the body is Meta's."""
    given = request.headers.get(SIGNATURE_HEADER)
    if not given:
        return response.json({"error": f"{SIGNATURE_HEADER} is missing."}, status=401)
    if not hmac.compare_digest(given.encode(), signature(app_secret, request.body or b"").encode()):
        return response.json({"error": f"{SIGNATURE_HEADER} is wrong."}, status=403)
    return None


def add_verification(webhook: Blueprint, verify_token: str, enabled: bool) -> None:
    """``GET /webhook?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…``: Meta's check
    when the webhook is registered; the challenge is echoed only for the right token."""

    @webhook.route("/webhook", methods=["GET"])
    async def verify(request: Request) -> HTTPResponse:
        given = request.args.get("hub.verify_token") or ""
        if (
            enabled
            and verify_token
            and request.args.get("hub.mode") == "subscribe"
            and hmac.compare_digest(given.encode(), verify_token.encode())
        ):
            return response.text(request.args.get("hub.challenge") or "")
        return response.text("Verification failed.", status=403)
