"""``GET /calendar/<call id>.ics?lang=fr``: a call's deadline as a calendar file, in the
conversation's language (the link the bot offers for "put it in my calendar")."""

from __future__ import annotations

import asyncio
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from aiohttp import web

from knowledge.languages import SUPPORTED

if TYPE_CHECKING:
    from knowledge.query import KnowledgeBase

CALL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")


@lru_cache(maxsize=1)
def _knowledge_base() -> KnowledgeBase:
    """Opened on the first request: the page and /healthz work without a database."""
    from knowledge.query import KnowledgeBase

    return KnowledgeBase(None, migrate_schema=False)


def _build(call_id: str, lang: str) -> bytes | None:
    from actions.calendar import calendar_file

    return calendar_file(_knowledge_base(), call_id, lang)


async def calendar_file(request: web.Request) -> web.Response:
    call_id = request.match_info["call_id"]
    lang = request.query.get("lang", "en")
    if lang not in SUPPORTED:
        lang = "en"
    if not CALL_ID.match(call_id):
        raise web.HTTPNotFound(text="no such call")
    body = await asyncio.to_thread(_build, call_id, lang)
    if body is None:
        raise web.HTTPNotFound(text="no such call, or its deadline is not a known day")
    return web.Response(
        body=body,
        content_type="text/calendar",
        charset="utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{call_id}.ics"',
            "Cache-Control": "no-cache",
        },
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/calendar/{call_id}.ics", calendar_file)
