"""The analytics paths of the staff API's OpenAPI document (``staff/openapi.py`` adds them), so
the Schemathesis test and the "refused without a session" test cover them like the rest."""

from __future__ import annotations

from typing import Any

from staff.analytics import PROBLEMS
from staff.analytics_views import MAX_DAYS
from staff.openapi import COMMON, CSRF, _body, _error, _json

_TEXT = {"type": "string"}
_NULLABLE = {"type": "string", "nullable": True}
COUNTS = {
    "type": "object",
    "properties": {
        "key": _NULLABLE,
        "title": _NULLABLE,
        "messages": {"type": "integer"},
        "fallback": {"type": "integer"},
        "unknown": {"type": "integer"},
        "down": {"type": "integer"},
    },
}
ITEM = {
    "type": "object",
    "properties": {
        "conversation_id": _TEXT,
        "timestamp": {"type": "number"},
        "at": _TEXT,
        "day": _TEXT,
        "text": _TEXT,
        "language": _NULLABLE,
        "record": _NULLABLE,
        "problems": {"type": "array", "items": {"type": "string", "enum": list(PROBLEMS)}},
        "answers": {"type": "array", "items": _TEXT},
        "handled": {
            "type": "object",
            "nullable": True,
            "properties": {"by": _TEXT, "at": _TEXT},
        },
    },
}
_QUERY = [
    {
        "name": "days",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS},
        "description": "the last N days (30 by default)",
    },
    *(
        {"name": name, "in": "query", "required": False, "schema": schema, "description": text}
        for name, schema, text in (
            ("language", _TEXT, "only the messages of this language (the list of items)"),
            ("day", {"type": "string", "format": "date"}, "only this day (YYYY-MM-DD)"),
            ("record", _TEXT, "only the messages about this record (`call:<id>`)"),
            ("problem", {"type": "string", "enum": list(PROBLEMS)}, "only this problem"),
        )
    ),
]


def paths() -> dict[str, Any]:
    array = {"type": "array", "items": COUNTS}
    return {
        "/analytics": {
            "get": {
                "summary": "what entrepreneurs could not get answered: counts per language, day "
                "and record, the items with the user's message, the unanswered questions "
                "grouped by similarity (an editor: their organisations' records and those "
                "naming none)",
                "parameters": _QUERY,
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "tracker": {
                                    "type": "boolean",
                                    "description": "false: no tracker store to read (no items)",
                                },
                                "days": {"type": "integer"},
                                "filters": {"type": "object"},
                                "by_language": array,
                                "by_day": array,
                                "by_record": array,
                                "groups": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "label": _TEXT,
                                            "count": {"type": "integer"},
                                            "items": {"type": "array", "items": ITEM},
                                        },
                                    },
                                },
                                "items": {"type": "array", "items": ITEM},
                                "more": {"type": "integer"},
                                "may_mark": {"type": "boolean"},
                            },
                        }
                    ),
                    **COMMON,
                },
            }
        },
        "/analytics/conversations/{conversation_id}": {
            "parameters": [
                {
                    "name": "conversation_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                }
            ],
            "get": {
                "summary": "one conversation's items (from the tracker store)",
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "conversation_id": _TEXT,
                                "items": {"type": "array", "items": ITEM},
                            },
                        }
                    ),
                    **COMMON,
                    "404": _error("no such conversation, or none of its items is the user's"),
                },
            },
        },
        "/analytics/handled": {
            "post": {
                "summary": "mark an item handled (admins; editors for the items they see; "
                "never reviewers): it leaves the groups",
                "parameters": [CSRF],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["conversation_id", "timestamp"],
                        "properties": {
                            "conversation_id": {"type": "string", "maxLength": 255},
                            "timestamp": {"type": "number"},
                        },
                    }
                ),
                "responses": {
                    "200": _json({"type": "object"}),
                    "400": _error("not a JSON object with a conversation_id and a timestamp"),
                    **COMMON,
                    "404": _error("no such item"),
                    "415": _error("not JSON"),
                },
            }
        },
    }
