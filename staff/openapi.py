"""The OpenAPI 3.0 description of /staff/api/ (served at /staff/api/openapi.json)."""

from __future__ import annotations

from typing import Any

from knowledge.editing import EDITABLE as KINDS

SERVER = "/staff/api"


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


COMMON = {
    "401": _error("no session (log in first)"),
    "403": _error("outside the user's role, or the CSRF token is missing"),
}
KIND = {
    "name": "kind",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": list(KINDS)},
}
RECORD_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "maxLength": 120},
}
CSRF = {
    "name": "X-CSRF-Token",
    "in": "header",
    "required": True,
    "schema": {"type": "string"},
    "description": "the session's CSRF token (GET /session)",
}
RECORD_REF = {"$ref": "#/components/schemas/RecordDetail"}


def document() -> dict[str, Any]:
    record_paths = {
        "/records/{kind}/{id}": {
            "parameters": [KIND, RECORD_ID],
            "get": {
                "summary": "one record in the content format (knowledge/FORMAT.md); kind "
                "`sources`: a document's `source:` section (id: the source id); kind `places`: "
                "a place as `knowledge/places.yaml` holds it (id: its id there)",
                "responses": {"200": _json(RECORD_REF), **COMMON, "404": _error("no such record")},
            },
            "put": {
                "summary": "save a record: the checks of `hubguide kb import`",
                "parameters": [CSRF],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["record"],
                        "properties": {"record": {"type": "object"}},
                    }
                ),
                "responses": {
                    "200": _json(RECORD_REF),
                    "400": _error("not a JSON object with a record"),
                    **COMMON,
                    "404": _error("no such record"),
                    "415": _error("not JSON"),
                    "422": _json({"$ref": "#/components/schemas/Invalid"}, "refused by the checks"),
                },
            },
            "delete": {
                "summary": "remove a record (refused while other records refer to it)",
                "parameters": [CSRF],
                "responses": {
                    "200": _json({"type": "object", "properties": {"change": {"type": "integer"}}}),
                    **COMMON,
                    "404": _error("no such record"),
                    "422": _json({"$ref": "#/components/schemas/Invalid"}, "refused by the checks"),
                },
            },
        },
        "/records/{kind}": {
            "parameters": [KIND],
            "post": {
                "summary": "add a record to an existing source document (`source_id`), or a "
                "place (kind `places`, no `source_id`); a source document is added as a file",
                "parameters": [CSRF],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["record"],
                        "properties": {
                            "source_id": {"type": "string"},
                            "record": {"type": "object"},
                        },
                    }
                ),
                "responses": {
                    "201": _json(RECORD_REF),
                    "400": _error("not a JSON object with a source_id and a record"),
                    **COMMON,
                    "404": _error("no such source"),
                    "415": _error("not JSON"),
                    "422": _json({"$ref": "#/components/schemas/Invalid"}, "refused by the checks"),
                },
            },
        },
        "/records/{kind}/{id}/history": {
            "parameters": [KIND, RECORD_ID],
            "get": {
                "summary": "the record's changes, newest first",
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "changes": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Change"},
                                }
                            },
                        }
                    ),
                    **COMMON,
                    "404": _error("no such record"),
                },
            },
        },
    }
    paths: dict[str, Any] = {
        "/login": {
            "post": {
                "summary": "log in (the only path served without a session)",
                "security": [],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["name", "password"],
                        "properties": {"name": {"type": "string"}, "password": {"type": "string"}},
                    }
                ),
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/Session"}),
                    "400": _error("not a JSON object with name and password"),
                    "401": _error("wrong name or password"),
                    "415": _error("not JSON"),
                    "429": _error("too many failed logins: the account is locked for a while"),
                },
            }
        },
        "/logout": {
            "post": {
                "summary": "end the session",
                "parameters": [CSRF],
                "responses": {"200": _json({"type": "object"}), **COMMON},
            }
        },
        "/session": {
            "get": {
                "summary": "who is logged in, and the CSRF token",
                "responses": {"200": _json({"$ref": "#/components/schemas/Session"}), **COMMON},
            }
        },
        "/records": {
            "get": {
                "summary": "the records the user may open",
                "parameters": [
                    {
                        "name": "kind",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": list(KINDS)},
                    }
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "records": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/RecordSummary"},
                                }
                            },
                        }
                    ),
                    "400": _error("unknown kind"),
                    **COMMON,
                },
            }
        },
        **record_paths,
        "/changes/{change_id}/undo": {
            "post": {
                "summary": "undo one change (only its fields, only on its record)",
                "parameters": [
                    {
                        "name": "change_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 0, "maximum": 999999999999},
                    },
                    CSRF,
                ],
                "responses": {
                    "200": _json({"type": "object", "properties": {"change": {"type": "integer"}}}),
                    **COMMON,
                    "404": _error("no such change"),
                    "409": _error("the change's fields were changed again since"),
                },
            }
        },
        "/try": {
            "post": {
                "summary": "ask the bot and see what it chose",
                "parameters": [CSRF],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["message"],
                        "properties": {"message": {"type": "string"}},
                    }
                ),
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/TryResult"}),
                    "400": _error("no question"),
                    **COMMON,
                    "415": _error("not JSON"),
                    "503": _error("the bot is not reachable"),
                },
            }
        },
        "/users": {
            "get": {
                "summary": "accounts (admin)",
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "users": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/User"},
                                }
                            },
                        }
                    ),
                    **COMMON,
                },
            },
            "post": {
                "summary": "add an account (admin)",
                "parameters": [CSRF],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["name", "role", "password"],
                        "properties": {
                            "name": {"type": "string"},
                            "role": {"type": "string", "enum": ["admin", "editor", "reviewer"]},
                            "password": {"type": "string"},
                            "orgs": {"type": "array", "items": {"type": "string"}},
                            "language": {"type": "string"},
                        },
                    }
                ),
                "responses": {
                    "201": _json({"type": "object"}),
                    "400": _error("not a JSON object of the right shape"),
                    **COMMON,
                    "415": _error("not JSON"),
                    "422": _error("the account cannot be made (name taken, short password, …)"),
                },
            },
        },
    }
    from staff.handoff_openapi import paths as handoff_paths  # the hand-off section

    paths.update(handoff_paths())
    from staff.analytics_openapi import paths as analytics_paths  # the analytics section

    paths.update(analytics_paths())
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "HubGuide staff workspace API",
            "version": "1",
            "description": "Same rules as the workspace pages. Log in with POST /login; the "
            "session is a cookie; every POST/PUT carries the CSRF token in X-CSRF-Token.",
        },
        "servers": [{"url": SERVER}],
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "hubguide_staff"}
            },
            "schemas": SCHEMAS,
        },
        "security": [{"session": []}],
        "paths": paths,
    }


_TEXT = {"type": "string"}
SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {"error": _TEXT, "message": _TEXT},
    },
    "User": {
        "type": "object",
        "properties": {
            "name": _TEXT,
            "role": _TEXT,
            "orgs": {"type": "array", "items": _TEXT},
            "language": _TEXT,
        },
    },
    "Session": {
        "type": "object",
        "properties": {"user": {"$ref": "#/components/schemas/User"}, "csrf_token": _TEXT},
    },
    "RecordSummary": {
        "type": "object",
        "properties": {
            "kind": _TEXT,
            "id": _TEXT,
            "title": _TEXT,
            "source_id": _TEXT,
            "owner": {"type": "string", "nullable": True},
            "editable": {"type": "boolean"},
        },
    },
    "RecordDetail": {
        "allOf": [
            {"$ref": "#/components/schemas/RecordSummary"},
            {"type": "object", "properties": {"record": {"type": "object"}}},
        ]
    },
    "Invalid": {
        "type": "object",
        "properties": {
            "error": _TEXT,
            "message": _TEXT,
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": {"type": "string", "nullable": True},
                        "message": _TEXT,
                        "english": _TEXT,
                    },
                },
            },
        },
    },
    "Change": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "at": _TEXT,
            "user": _TEXT,
            "kind": _TEXT,
            "record_id": _TEXT,
            "fields": {"type": "array", "items": _TEXT},
            "diff": _TEXT,
            "before": {"type": "object", "nullable": True},
            "after": {"type": "object", "nullable": True},
            "undo_of": {"type": "integer", "nullable": True},
            "undone_by": {"type": "integer", "nullable": True},
        },
    },
    "TryResult": {
        "type": "object",
        "properties": {
            "question": _TEXT,
            "answers": {"type": "array", "items": _TEXT},
            "language": {"type": "string", "nullable": True},
            "intent": {"type": "string", "nullable": True},
            "confidence": {"type": "number", "nullable": True},
            "subject_id": {"type": "string", "nullable": True},
            "subject_kind": {"type": "string", "nullable": True},
            "actions": {"type": "array", "items": _TEXT},
        },
    },
}
