"""Wording of the deadline and hand-off journeys: their own catalogue
(``actions/journey_messages/<lang>.yml``, same format as ``actions/messages``), lead times in
the largest whole unit ("1 week", "3 jours", "يومين") and the links the chat offers.

Shared by the actions and the web server's calendar files, so an ``.ics`` reads like the chat.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from actions.catalogue import Catalogue

MESSAGES_DIR = Path(__file__).with_name("journey_messages")
PUBLIC_URL_VARIABLE = "HUBGUIDE_PUBLIC_URL"


CATALOGUE = Catalogue(MESSAGES_DIR)
messages = CATALOGUE.messages
say = CATALOGUE.say


def lead(delta: timedelta | int, lang: str) -> str:
    """A lead time in the largest whole unit: "1 week", "10 days", "48 hours"."""
    minutes = delta if isinstance(delta, int) else int(delta.total_seconds() // 60)
    for unit, size in (("week", 7 * 24 * 60), ("day", 24 * 60), ("hour", 60)):
        if minutes >= size and minutes % size == 0:
            return say(lang, f"lead_{unit}", minutes // size)
    return say(lang, "lead_minute", minutes)


def public_url() -> str:
    """The web server's address as users reach it (links to calendar files)."""
    configured = os.environ.get(PUBLIC_URL_VARIABLE, "").strip().rstrip("/")
    if configured:
        return configured
    return f"http://127.0.0.1:{os.environ.get('HUBGUIDE_WEB_PORT', '8080')}"


def calendar_url(call_id: str, lang: str) -> str:
    return f"{public_url()}/calendar/{call_id}.ics?lang={lang}"
