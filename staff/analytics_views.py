"""The analytics section of the workspace (``/staff/analytics``): what entrepreneurs could not
get answered, per language, day and record, the unanswered questions grouped by similarity,
a conversation's transcript, and marking an item handled.

Plugged in with ``sections.add_section`` (same login, CSRF and role checks as every page).
Admins, editors and reviewers see it; an editor sees only the items whose record is one of
their organisations' (or that name no record); reviewers read and cannot mark handled.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from aiohttp import web
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from knowledge import feedback
from knowledge.validation import KINDS
from ops import tracker_events
from ops.retention import DAY, RetentionError
from staff import analytics, sections, service
from staff.accounts import User
from staff.app import BASE, PREFIX, engine_of, render, run

PATH = "analytics"
DEFAULT_DAYS = 30
MAX_DAYS = 3650
MAX_LISTED = 300
SECTION = sections.Section("nav_analytics", PATH, ("admin", "editor", "reviewer"))


@dataclass(frozen=True)
class Analysis:
    items: list[analytics.Item]
    titles: dict[str, str]  # record ref ("call:id") → its title


def _singular(kind: str) -> str:
    return kind[:-1] if kind.endswith("s") else kind


def _record_kind(ref: str | None) -> str | None:
    """The record kind (``calls``) of a subject ref, None when it names no record (a place)."""
    if not ref or ":" not in ref:
        return None
    kind = ref.partition(":")[0] + "s"
    return kind if kind in KINDS else None


def _titles(engine: Engine, user: User) -> dict[str, str]:
    """The records the user may read, as subject refs, with their titles."""
    return {
        f"{_singular(info.kind)}:{info.id}": info.title
        for info in service.list_records(engine, user)
    }


def visible(user: User, item: analytics.Item, titles: dict[str, str]) -> bool:
    if user.role in ("admin", "reviewer") or _record_kind(item.record) is None:
        return True
    return item.record in titles


def load(
    engine: Engine,
    user: User,
    *,
    since: float | None = None,
    sender_id: str | None = None,
    tracker: Engine | None = None,
) -> Analysis:
    """The items the user may see (of the last days, or of one conversation)."""
    tracker = tracker or tracker_events.tracker_engine()
    with engine.connect() as conn:
        votes = {(v.conversation_id, v.bot_timestamp): v.vote for v in feedback.all_votes(conn)}
        marks = feedback.handled_marks(conn)
    try:  # a tracker store that cannot be opened (no file yet, a server down): no items
        events = list(tracker_events.events(tracker, since=since, sender_id=sender_id))
    except SQLAlchemyError as exc:
        raise RetentionError(f"the tracker store cannot be read: {exc}") from exc
    found = analytics.items(events, votes, marks)
    titles = _titles(engine, user)
    return Analysis([i for i in found if visible(user, i, titles)], titles)


def _days(request: web.Request) -> int:
    try:
        days = int(request.query.get("days", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return min(max(days, 1), MAX_DAYS)


def _filters(request: web.Request) -> dict[str, str]:
    keys = ("language", "day", "record", "problem")
    return {k: request.query[k] for k in keys if request.query.get(k)}


def _matches(item: analytics.Item, filters: dict[str, str]) -> bool:
    return (
        ("language" not in filters or (item.language or "") == filters["language"])
        and ("day" not in filters or item.day.isoformat() == filters["day"])
        and ("record" not in filters or (item.record or "") == filters["record"])
        and ("problem" not in filters or filters["problem"] in item.problems)
    )


def when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


async def analytics_page(request: web.Request) -> web.Response:
    user: User = request["user"]
    days = _days(request)
    since = time.time() - days * DAY
    try:
        analysis = await run(load, engine_of(request), user, since=since)
    except RetentionError:
        return await render("analytics.html", request, {"no_tracker": True, "days": days})
    found = analysis.items
    filters = _filters(request)
    problems = [i for i in found if i.problems and _matches(i, filters)]
    problems.sort(key=lambda i: i.timestamp, reverse=True)
    groups = await run(analytics.group_similar, analytics.unanswered(found))
    context: dict[str, Any] = {
        "no_tracker": False,
        "days": days,
        "filters": filters,
        "by_language": analytics.counts_by(found, lambda i: i.language or ""),
        "by_day": analytics.counts_by(found, lambda i: i.day),
        "by_record": analytics.counts_by(found, lambda i: i.record or ""),
        "titles": analysis.titles,
        "groups": groups,
        "problems": problems[:MAX_LISTED],
        "more": max(0, len(problems) - MAX_LISTED),
        "may_mark": user.role != "reviewer",
        "when": when,
        "isoday": lambda d: d.isoformat() if isinstance(d, date) else str(d),
    }
    return await render("analytics.html", request, context)


def _conversation_id(value: str | None) -> str:
    if not value or len(value) > 255:
        raise service.NotFound(value)
    return value


async def conversation_page(request: web.Request) -> web.Response:
    """The transcript of one conversation, from the tracker store."""
    user: User = request["user"]
    sender = _conversation_id(request.query.get("id"))
    try:
        analysis = await run(load, engine_of(request), user, sender_id=sender)
    except RetentionError:
        raise service.NotFound(sender) from None
    if not analysis.items:  # no such conversation, or none of its items are the editor's
        raise service.NotFound(sender)
    try:
        at = float(request.query.get("at", "nan"))
    except ValueError:
        at = math.nan
    context = {
        "conversation_id": sender,
        "items": analysis.items,
        "titles": analysis.titles,
        "at": at,
        "when": when,
        "may_mark": user.role != "reviewer",
    }
    return await render("transcript.html", request, context)


def _mark(engine: Engine, user: User, sender: str, timestamp: float) -> None:
    analysis = load(engine, user, sender_id=sender)
    item = next((i for i in analysis.items if abs(i.timestamp - timestamp) < 1e-6), None)
    if item is None:
        raise service.NotFound(sender)
    with engine.begin() as conn:
        feedback.mark_handled(conn, sender, item.timestamp, user.name)


async def handled_post(request: web.Request) -> web.Response:
    """Mark one item handled (admins, and editors for the items they see; not reviewers)."""
    user: User = request["user"]
    if user.role == "reviewer":
        raise service.Forbidden("handled")
    form = await request.post()
    sender = _conversation_id(str(form.get("conversation_id", "")))
    try:
        timestamp = float(str(form.get("timestamp", "")))
    except ValueError:
        raise service.NotFound(sender) from None
    if not math.isfinite(timestamp):
        raise service.NotFound(sender)
    try:
        await run(_mark, engine_of(request), user, sender, timestamp)
    except RetentionError:
        raise service.NotFound(sender) from None
    back = str(form.get("back", ""))
    safe = back.startswith(f"{PREFIX}{PATH}") and "//" not in back
    raise web.HTTPSeeOther(back if safe else f"{PREFIX}{PATH}")


def add_routes(app: web.Application) -> None:
    """Register the section (staff/app.py calls this once)."""
    routes = [
        web.get(f"{BASE}/{PATH}", analytics_page),
        web.get(f"{BASE}/{PATH}/conversation", conversation_page),
        web.post(f"{BASE}/{PATH}/handled", handled_post),
    ]
    sections.add_section(app, SECTION, routes)
    add_api_routes(app)


# ---------------------------------------------------------------------- the JSON API
def _item_json(item: analytics.Item) -> dict[str, Any]:
    return {
        "conversation_id": item.conversation_id,
        "timestamp": item.timestamp,
        "at": when(item.timestamp),
        "day": item.day.isoformat(),
        "text": item.text,
        "language": item.language,
        "record": item.record,
        "problems": list(item.problems),
        "answers": [text for _, text in item.answers],
        "handled": (
            {"by": item.handled[0], "at": item.handled[1].isoformat(timespec="seconds") + "Z"}
            if item.handled
            else None
        ),
    }


def _counts_json(rows, titles: dict[str, str] | None = None) -> list[dict[str, Any]]:
    out = []
    for key, counts in rows:
        row = {"key": key.isoformat() if isinstance(key, date) else (key or None)}
        if titles is not None:
            row["title"] = titles.get(key) if key else None
        out.append({**row, **dataclasses.asdict(counts)})
    return out


async def api_analytics(request: web.Request) -> web.Response:
    """``GET /staff/api/analytics``: what the page shows, as JSON (same roles and filters)."""
    user: User = request["user"]
    days = _days(request)
    try:
        analysis = await run(load, engine_of(request), user, since=time.time() - days * DAY)
    except RetentionError:
        analysis = None
    found = analysis.items if analysis else []
    filters = _filters(request)
    problems = sorted(
        (i for i in found if i.problems and _matches(i, filters)),
        key=lambda i: i.timestamp,
        reverse=True,
    )
    groups = await run(analytics.group_similar, analytics.unanswered(found))
    titles = analysis.titles if analysis else {}
    return web.json_response(
        {
            "tracker": analysis is not None,
            "days": days,
            "filters": filters,
            "by_language": _counts_json(analytics.counts_by(found, lambda i: i.language or "")),
            "by_day": _counts_json(analytics.counts_by(found, lambda i: i.day)),
            "by_record": _counts_json(analytics.counts_by(found, lambda i: i.record or ""), titles),
            "groups": [
                {"label": g.label, "count": len(g.items), "items": [_item_json(i) for i in g.items]}
                for g in groups
            ],
            "items": [_item_json(i) for i in problems[:MAX_LISTED]],
            "more": max(0, len(problems) - MAX_LISTED),
            "may_mark": user.role != "reviewer",
        }
    )


async def api_conversation(request: web.Request) -> web.Response:
    """``GET /staff/api/analytics/conversations/{id}``: one conversation's items."""
    user: User = request["user"]
    sender = _conversation_id(request.match_info["conversation_id"])
    try:
        analysis = await run(load, engine_of(request), user, sender_id=sender)
    except RetentionError:
        raise service.NotFound(sender) from None
    if not analysis.items:
        raise service.NotFound(sender)
    return web.json_response(
        {"conversation_id": sender, "items": [_item_json(i) for i in analysis.items]}
    )


async def api_handled(request: web.Request) -> web.Response:
    """``POST /staff/api/analytics/handled {"conversation_id", "timestamp"}`` (not reviewers)."""
    from staff.api import _body, _Refused

    user: User = request["user"]
    if user.role == "reviewer":
        raise service.Forbidden("handled")
    body = await _body(request)
    sender, timestamp = body.get("conversation_id"), body.get("timestamp")
    if not isinstance(sender, str) or isinstance(timestamp, bool):
        raise _Refused(400, "error_bad_json")
    if not isinstance(timestamp, (int, float)) or not math.isfinite(timestamp):
        raise _Refused(400, "error_bad_json")
    sender = _conversation_id(sender)
    try:
        await run(_mark, engine_of(request), user, sender, float(timestamp))
    except RetentionError:
        raise service.NotFound(sender) from None
    return web.json_response({"handled": True, "conversation_id": sender, "timestamp": timestamp})


def add_api_routes(app: web.Application) -> None:
    """The section's paths under /staff/api/ (``staff/analytics_openapi.py`` describes them)."""
    app.router.add_get(f"{BASE}/api/{PATH}", api_analytics)
    app.router.add_get(BASE + "/api/" + PATH + "/conversations/{conversation_id}", api_conversation)
    app.router.add_post(f"{BASE}/api/{PATH}/handled", api_handled)
