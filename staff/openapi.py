"""The OpenAPI 3 document of the staff API, served at /api/openapi.json. A test checks
that every route of the API is documented and every documented path exists."""

from typing import Any, Dict

ERROR = {"$ref": "#/components/responses/Error"}
VERSIONED = {
    "type": "object",
    "required": ["version"],
    "properties": {"version": {"type": "integer", "description": "the entry's version you read"}},
}
TEXT = {
    "type": "object",
    "required": ["title", "questions", "answer"],
    "properties": {
        "title": {"type": "string", "maxLength": 120},
        "questions": {
            "type": "array",
            "items": {"type": "string", "maxLength": 300},
            "maxItems": 60,
        },
        "answer": {"type": "string", "maxLength": 1200},
    },
}


def _json(schema: Dict[str, Any]) -> Dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _ok(description: str) -> Dict[str, Any]:
    return {
        "200": {
            "description": description,
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        "400": ERROR,
        "401": ERROR,
        "403": ERROR,
        "404": ERROR,
        "409": ERROR,
    }


SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
LANGUAGE = {"name": "language", "in": "path", "required": True, "schema": {"type": "string"}}


def _file(media: str) -> Dict[str, Any]:
    return {
        "required": True,
        "content": {media: {"schema": {"type": "string", "format": "binary"}}},
    }


NUMBER = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}


def document() -> Dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Migrant worker assistant: staff API",
            "version": "1",
            "description": (
                "Keep the assistant's answers right: entries, drafts, review, history, the "
                "unanswered-questions inbox, accounts. Authenticate with the session cookie "
                "from POST /api/v1/session (send X-CSRF-Token on changes) or with "
                "`Authorization: Bearer <token>`. Roles: editor < reviewer < admin."
            ),
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "staff_session"},
                "token": {"type": "http", "scheme": "bearer"},
            },
            "responses": {
                "Error": {
                    "description": "refused; nothing was changed",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["error"],
                                "properties": {"error": {"type": "string"}},
                            }
                        }
                    },
                }
            },
        },
        "security": [{"session": []}, {"token": []}],
        "paths": {
            "/api/v1/session": {
                "post": {
                    "summary": "Sign in",
                    "security": [],
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["username", "password"],
                            "properties": {
                                "username": {"type": "string"},
                                "password": {"type": "string"},
                            },
                        }
                    ),
                    "responses": _ok("signed in: the user and the session's CSRF token"),
                },
                "delete": {"summary": "Sign out", "responses": _ok("signed out")},
            },
            "/api/v1/me": {"get": {"summary": "Who is signed in", "responses": _ok("the user")}},
            "/api/v1/entries": {
                "post": {
                    "summary": "A new entry as a draft in one language (e.g. from the inbox)",
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["slug", "topic", "language", "texts", "references"],
                            "properties": {
                                "slug": {"type": "string"},
                                "topic": {"type": "string"},
                                "language": {"type": "string"},
                                "texts": TEXT,
                                "references": {"type": "array", "items": {"type": "string"}},
                                "close_ids": {"type": "array", "items": {"type": "integer"}},
                            },
                        }
                    ),
                    "responses": {**_ok("created"), "201": {"description": "the draft"}},
                },
                "get": {
                    "summary": "Browse and search entries",
                    "parameters": [
                        {
                            "name": name,
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                        }
                        for name in (
                            "topic",
                            "language",
                            "country",
                            "review_status",
                            "missing",
                            "q",
                        )
                    ],
                    "responses": _ok("the entries that match"),
                },
            },
            "/api/v1/entries/{slug}": {
                "get": {
                    "summary": "One entry: live version, open draft and its differences, citations",
                    "parameters": [SLUG],
                    "responses": _ok("the entry"),
                }
            },
            "/api/v1/entries/{slug}/draft": {
                "put": {
                    "summary": "Save texts in the entry's draft",
                    "description": "Refused with 409 if the entry changed since `version`.",
                    "parameters": [SLUG],
                    "requestBody": _json(
                        {
                            **VERSIONED,
                            "required": ["version", "texts"],
                            "properties": {
                                **VERSIONED["properties"],
                                "texts": {"type": "object", "additionalProperties": TEXT},
                            },
                        }
                    ),
                    "responses": _ok("the draft's number and the entry's new version"),
                }
            },
            "/api/v1/entries/{slug}/phrasings": {
                "post": {
                    "summary": "Add a way of asking (e.g. from the unanswered inbox) to the draft",
                    "parameters": [SLUG],
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["language", "question"],
                            "properties": {
                                "version": {"type": "integer"},
                                "language": {"type": "string"},
                                "question": {"type": "string"},
                                "close_ids": {
                                    "type": "array",
                                    "items": {"type": "integer"},
                                    "description": "unanswered questions to mark done",
                                },
                            },
                        }
                    ),
                    "responses": _ok("the draft's number and the entry's new version"),
                }
            },
            "/api/v1/drafts": {
                "get": {"summary": "Drafts waiting for review", "responses": _ok("the drafts")}
            },
            "/api/v1/entries/{slug}/drafts/{number}/publish": {
                "post": {
                    "summary": "Publish a draft (reviewer, not its author)",
                    "description": "The bot answers with it within seconds.",
                    "parameters": [SLUG, NUMBER],
                    "requestBody": _json(VERSIONED),
                    "responses": _ok("published"),
                }
            },
            "/api/v1/entries/{slug}/drafts/{number}/return": {
                "post": {
                    "summary": "Send a draft back with a comment (reviewer)",
                    "parameters": [SLUG, NUMBER],
                    "requestBody": _json(
                        {
                            **VERSIONED,
                            "required": ["version", "comment"],
                            "properties": {
                                **VERSIONED["properties"],
                                "comment": {"type": "string"},
                            },
                        }
                    ),
                    "responses": _ok("sent back"),
                }
            },
            "/api/v1/entries/{slug}/history": {
                "get": {
                    "summary": "Every version, newest first, with differences",
                    "parameters": [SLUG],
                    "responses": _ok("the history"),
                }
            },
            "/api/v1/entries/{slug}/rollback": {
                "post": {
                    "summary": "Publish again an earlier version (reviewer)",
                    "parameters": [SLUG],
                    "requestBody": _json(
                        {
                            **VERSIONED,
                            "required": ["version", "number"],
                            "properties": {
                                **VERSIONED["properties"],
                                "number": {"type": "integer"},
                            },
                        }
                    ),
                    "responses": _ok("published"),
                }
            },
            "/api/v1/unanswered": {
                "get": {
                    "summary": "Questions the bot could not answer, grouped, most asked first",
                    "parameters": [
                        {
                            "name": "status",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": _ok("the questions"),
                }
            },
            "/api/v1/unanswered/close": {
                "post": {
                    "summary": "Mark questions done or dismissed",
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["ids", "status"],
                            "properties": {
                                "ids": {"type": "array", "items": {"type": "integer"}},
                                "status": {"type": "string", "enum": ["done", "dismissed"]},
                            },
                        }
                    ),
                    "responses": _ok("how many were closed"),
                }
            },
            "/api/v1/export/knowledge-base.zip": {
                "get": {
                    "summary": "The whole knowledge base as the repository's source files (zip)",
                    "responses": {"200": {"description": "a zip archive"}, "401": ERROR},
                }
            },
            "/api/v1/import/knowledge-base": {
                "post": {
                    "summary": "Load an edited archive (reviewer): all entries or none",
                    "requestBody": _file("application/zip"),
                    "responses": _ok("what was created and changed"),
                }
            },
            "/api/v1/export/po/{language}": {
                "get": {
                    "summary": "One language's titles and answers as a .po file",
                    "parameters": [LANGUAGE],
                    "responses": {"200": {"description": "a .po file"}, "400": ERROR},
                }
            },
            "/api/v1/import/po/{language}": {
                "post": {
                    "summary": "Translations back from a .po file, as drafts (all or none)",
                    "parameters": [LANGUAGE],
                    "requestBody": _file("text/x-gettext-translation"),
                    "responses": _ok("the entries that got a draft"),
                }
            },
            "/api/v1/fee-rules": {
                "get": {"summary": "The fee checker's rules", "responses": _ok("the rules")}
            },
            "/api/v1/fee-rules/{key}": {
                "put": {
                    "summary": "Change a fee rule (reviewer); 409 if it changed since `version`",
                    "parameters": [
                        {
                            "name": "key",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["version", "changes"],
                            "properties": {
                                "version": {"type": "integer"},
                                "changes": {"type": "object"},
                            },
                        }
                    ),
                    "responses": _ok("the rule's new version"),
                }
            },
            "/api/v1/remittances/datasets": {
                "get": {"summary": "Remittance price datasets", "responses": _ok("the datasets")}
            },
            "/api/v1/remittances/preview": {
                "post": {
                    "summary": "Check a World Bank RPW CSV file and show what it would change",
                    "requestBody": _file("text/csv"),
                    "responses": _ok("the report and the largest changes"),
                }
            },
            "/api/v1/remittances/import": {
                "post": {
                    "summary": "Load a World Bank RPW CSV file (reviewer), swapped in at once",
                    "requestBody": _file("text/csv"),
                    "responses": _ok("the new dataset"),
                }
            },
            "/api/v1/accounts": {
                "get": {"summary": "The accounts (admin)", "responses": _ok("the accounts")},
                "post": {
                    "summary": "Create an account (admin)",
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["username", "password", "role"],
                            "properties": {
                                "username": {"type": "string"},
                                "password": {"type": "string", "minLength": 12},
                                "role": {"type": "string", "enum": ["editor", "reviewer", "admin"]},
                                "display_name": {"type": "string"},
                            },
                        }
                    ),
                    "responses": {**_ok("created"), "201": {"description": "created"}},
                },
            },
            "/api/v1/accounts/{account_id}/tokens": {
                "post": {
                    "summary": "Create an API token for an account (admin); shown once",
                    "parameters": [
                        {
                            "name": "account_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["name"],
                            "properties": {"name": {"type": "string"}},
                        }
                    ),
                    "responses": {**_ok("created"), "201": {"description": "the token"}},
                }
            },
        },
    }
