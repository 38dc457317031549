"""What the hand-off section asks of the Rasa server: a conversation's transcript (the tracker,
Rasa's HTTP API with the API token) and the delivery, at once, of the notices a staff action
queued (``ops/notify.py``; the scheduler would deliver them too, a few seconds later)."""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from urllib.parse import quote

import aiohttp
from sqlalchemy.engine import Engine

from knowledge import notices
from ops.notify import RasaApi, deliver
from ops.stack import TOKEN_VARIABLE

logger = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=10)
WORKER = "staff-workspace"


@dataclass(frozen=True)
class Line:
    author: str  # "user" or "bot"
    text: str


def _api(rasa_url: str) -> RasaApi:
    return RasaApi(rasa_url.rstrip("/"), os.environ.get(TOKEN_VARIABLE, ""))


async def transcript(rasa_url: str, sender: str) -> list[Line] | None:
    """The conversation's messages as Rasa keeps them; None when Rasa cannot be reached."""
    api = _api(rasa_url)
    url = f"{api.url}/conversations/{quote(sender, safe='')}/tracker"
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.get(url, params={"token": api.token}) as response:
                if response.status != 200:
                    logger.warning("no transcript for %s: HTTP %s", sender, response.status)
                    return None
                events = (await response.json()).get("events") or []
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        logger.warning("no transcript for %s: %s", sender, error)
        return None
    lines = []
    for event in events:
        text = event.get("text")
        if event.get("event") in ("user", "bot") and text and not text.startswith("EXTERNAL"):
            lines.append(Line(event["event"], text))
    return lines


async def deliver_now(engine: Engine, rasa_url: str, sender: str, now) -> list[int]:
    """Deliver the conversation's pending notices; the ids delivered (the rest: the scheduler)."""

    def run() -> list[int]:
        ids = [notice.id for notice in notices.pending_for(engine, sender)]
        return deliver(engine, _api(rasa_url), WORKER, now, ids) if ids else []

    return await asyncio.to_thread(run)
