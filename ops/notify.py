"""Delivers notices to conversations through Rasa's external-event API.

``POST /conversations/<sender>/trigger_intent?output_channel=latest`` with the intent
``EXTERNAL_notice`` and the notice's id: Rasa runs ``action_deliver_notice``, which words the
notice in the conversation's language, and sends it on the channel the user last wrote on (the
web chat's socket.io channel keeps it for a visitor who is away: webchat/rasa_channel.py). Each
notice is claimed first (``knowledge/notices.py``), so of several schedulers exactly one sends it.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from knowledge import notices

logger = logging.getLogger(__name__)

INTENT = "EXTERNAL_notice"
RASA_URL_VARIABLE = "HUBGUIDE_RASA_URL"


def conversation_path(sender: str) -> str:
    """A conversation id as a path segment of Rasa's HTTP API. Sanic does not decode "%3A", so
    the colon of the messaging channels' ids ("telegram:42") stays as it is (RFC 3986 allows
    it in a segment); anything else that is not safe there is quoted."""
    return urllib.parse.quote(sender, safe=":@-._~")


@dataclass(frozen=True)
class RasaApi:
    """Where Rasa's HTTP API is and the token it wants."""

    url: str
    token: str

    @classmethod
    def from_env(cls) -> RasaApi:
        from ops.stack import TOKEN_VARIABLE

        port = os.environ.get("HUBGUIDE_RASA_PORT", "5005")
        url = os.environ.get(RASA_URL_VARIABLE) or f"http://127.0.0.1:{port}"
        return cls(url.rstrip("/"), os.environ.get(TOKEN_VARIABLE, ""))

    def trigger(self, sender: str, notice_id: int, timeout: float = 30.0) -> bool:
        """True when Rasa ran the notice's action for the conversation."""
        query = urllib.parse.urlencode({"output_channel": "latest", "token": self.token})
        path = conversation_path(sender)
        request = urllib.request.Request(
            f"{self.url}/conversations/{path}/trigger_intent?{query}",
            data=json.dumps({"name": INTENT, "entities": {"notice_id": str(notice_id)}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            logger.warning("notice %s not delivered to %s: %s", notice_id, sender, error)
            return False


def deliver(
    engine: Engine, api: RasaApi, worker: str, now: datetime, ids: list[int] | None = None
) -> list[int]:
    """Claim and deliver the given (else every due) notices; the ids this worker delivered."""
    done = []
    for notice_id in ids if ids is not None else notices.due(engine, now):
        notice = notices.claim(engine, notice_id, worker, now)
        if notice is None:  # another worker has it
            continue
        if api.trigger(notice.sender, notice.id):
            notices.delivered(engine, notice.id, now)
            done.append(notice.id)
        else:  # Rasa is unreachable: the rest waits for the next round too
            notices.release(engine, notice.id)
            break
    return done
