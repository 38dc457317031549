"""The hand-off paths of the staff API's OpenAPI document (``staff/openapi.py`` adds them), so
the Schemathesis test and the "refused without a session" test cover them like the rest."""

from __future__ import annotations

from typing import Any

from knowledge.handoff import STATES
from staff.handoff import ACTIONS
from staff.openapi import COMMON, CSRF, _body, _error, _json

_TEXT = {"type": "string"}
_WHEN = {"type": "string", "nullable": True}
CASE_ID = {
    "name": "case_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 0, "maximum": 999999999999},
    "example": 1,  # the fuzzer tries an existing case too, not only unknown ids
}
SUMMARY = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "state": {"type": "string", "enum": list(STATES)},
        "hub_id": {"type": "string", "nullable": True},
        "subject_id": {"type": "string", "nullable": True},
        "language": _TEXT,
        "question": {"type": "string", "nullable": True},
        "staff_name": {"type": "string", "nullable": True},
        "created_at": _TEXT,
        "timed_out": {"type": "boolean"},
        "can_act": {"type": "boolean"},
    },
}
DETAIL = {
    "allOf": [
        SUMMARY,
        {
            "type": "object",
            "properties": {
                "profile": {"type": "object"},
                "transcript_url": {"type": "string", "nullable": True},
                "taken_at": _WHEN,
                "closed_at": _WHEN,
                "messages": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "author": {"type": "string", "enum": ["user", "staff"]},
                            "staff": {"type": "string", "nullable": True},
                            "text": _TEXT,
                            "at": _TEXT,
                        },
                    },
                },
                "actions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "at": _TEXT,
                            "user": _TEXT,
                            "action": {"type": "string", "enum": list(ACTIONS)},
                            "message_id": {"type": "integer", "nullable": True},
                            "detail": {"type": "string", "nullable": True},
                        },
                    },
                },
                "transcript": {
                    "type": "array",
                    "nullable": True,
                    "description": "null when the bot cannot be reached",
                    "items": {
                        "type": "object",
                        "properties": {"author": _TEXT, "text": _TEXT},
                    },
                },
            },
        },
    ]
}
_SUMMARIES = {
    "take": "take a waiting case: the bot falls silent in the conversation",
    "reply": "send the user a message (takes the case if it was waiting)",
    "close": "close the case as resolved: the conversation goes back to the bot",
    "give_back": "give the conversation back to the bot without resolving it",
    "assign": "put an open case in another hub's queue (admins)",
}
#: the actions with a JSON body: its one required string field
_BODIES = {"reply": ("text", 4000), "assign": ("hub_id", 120)}


def _action(action: str) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": _SUMMARIES[action],
        "parameters": [CSRF],
        "responses": {
            "200": _json(DETAIL),
            **COMMON,
            "404": _error("no such case"),
            "409": _error("the case's state does not allow it (taken by someone else, closed)"),
        },
    }
    if action in _BODIES:
        name, longest = _BODIES[action]
        operation["requestBody"] = _body(
            {
                "type": "object",
                "required": [name],
                "properties": {name: {"type": "string", "maxLength": longest}},
            }
        )
        operation["responses"]["400"] = _error(f"not a JSON object with a {name}")
        operation["responses"]["422"] = _error("an empty or too long reply; an unknown hub")
    return {"post": operation}


def paths() -> dict[str, Any]:
    return {
        "/handoff/cases": {
            "get": {
                "summary": "the hand-off cases the user may see (an editor: their hubs')",
                "parameters": [
                    {
                        "name": "state",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": list(STATES)},
                    }
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {"cases": {"type": "array", "items": SUMMARY}},
                        }
                    ),
                    "400": _error("unknown state"),
                    **COMMON,
                },
            }
        },
        "/handoff/cases/{case_id}": {
            "parameters": [CASE_ID],
            "get": {
                "summary": "one case: question, profile, messages, what staff did, transcript",
                "responses": {"200": _json(DETAIL), **COMMON, "404": _error("no such case")},
            },
        },
        **{
            f"/handoff/cases/{{case_id}}/{action}": {"parameters": [CASE_ID], **_action(action)}
            for action in ACTIONS
        },
    }
