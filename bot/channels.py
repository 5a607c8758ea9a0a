"""Channels registered in bot/credentials.yml in place of Rasa's own:

- the REST channel, guarded: a request Rasa would choke on gets a clear 4xx instead (same
  URL: POST /webhooks/rest/webhook, same request and response);
- the socket.io channel of the web chat, with Rasa 3.6's session rooms fixed."""

import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
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


class WebChatInput(SocketIOInput):
    """Rasa's socket.io channel for the web chat, with one fix: Rasa 3.6 calls
    `enter_room` without awaiting it, which python-socketio 5.10+ made a coroutine, so with
    `session_persistence` the bot's answers went to a room nobody was in. Here the session
    request joins the room properly; everything else is Rasa's own channel."""

    @classmethod
    def name(cls) -> Text:
        return "bot.channels.WebChatInput"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict[Text, Any]]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not 0 < len(session_id) <= 100:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return webhook
