"""The REST channel, guarded: a request Rasa would choke on gets a clear 4xx instead.

Registered in bot/credentials.yml in place of Rasa's `rest` (same URL:
POST /webhooks/rest/webhook, same request and response)."""

import re
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

MAX_MESSAGE_CHARS = 4000
MAX_SENDER_CHARS = 200
# C0 and C1 control characters other than tab and line breaks, and Unicode noncharacters.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def problem(status: int, error: Text) -> HTTPResponse:
    return response.json({"error": error}, status=status)


def invalid_request(request: Request) -> Optional[HTTPResponse]:
    """A 4xx response for a request the channel cannot take, or None (and the message is
    cleaned of control characters in place)."""
    try:
        body = request.json
    except InvalidUsage:
        return problem(400, "The request body is not valid JSON.")
    if not isinstance(body, dict):
        return problem(400, 'Send a JSON object: {"sender": "...", "message": "..."}.')
    sender = body.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = body["sender"] = str(sender)
    if not isinstance(sender, str) or not sender.strip():
        return problem(400, "'sender' is required: a text that identifies the conversation.")
    if len(sender) > MAX_SENDER_CHARS:
        return problem(400, f"'sender' is too long (at most {MAX_SENDER_CHARS} characters).")
    message = body.get("message")
    if not isinstance(message, str):
        return problem(400, "'message' is required and must be text.")
    message = CONTROL_CHARACTERS.sub("", message).strip()
    if not message:
        return problem(400, "'message' is empty.")
    if len(message) > MAX_MESSAGE_CHARS:
        return problem(413, f"'message' is too long (at most {MAX_MESSAGE_CHARS} characters).")
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        return problem(400, "'metadata' must be a JSON object.")
    body["message"] = message
    return None


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def guard(request: Request) -> Optional[HTTPResponse]:
            if request.method == "POST" and request.path.endswith("/webhook"):
                return invalid_request(request)
            return None

        return blueprint
