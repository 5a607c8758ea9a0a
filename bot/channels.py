"""Channels registered in bot/credentials.yml in place of Rasa's own:

- the REST channel, guarded: a request Rasa would choke on gets a clear 4xx instead (same
  URL: POST /webhooks/rest/webhook, same request and response);
- the socket.io channel of the web chat, with Rasa 3.6's session rooms fixed.

Every channel (these and bot/messaging.py) hands messages to the bot through
`GuardedHandler`: a message the bot could not answer at all (the action server down, an
error) gets a polite "try again in a few minutes" in the conversation's language, not
silence; a conversation whose user asked to delete it is deleted."""

import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.nlg import say
from bot.privacy import FORGET_RESPONSE, forget
from bot.ratelimit import SenderRateLimit

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
TRY_AGAIN_RESPONSE = "utter_try_again"
SLOW_DOWN_RESPONSE = "utter_slow_down"
MAX_SENDER_CHARS = 200
# C0 and C1 control characters other than tab and line breaks, Unicode noncharacters, and
# lone surrogates (JSON can carry "\ud800", which no database or platform will store).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


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
    if CONTROL_CHARACTERS.search(sender):
        return problem(400, "'sender' contains control characters.")
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


class CountingOutput(OutputChannel):
    """A channel's output, counting what is sent through it."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0
        self.responses: List[Text] = []

    def name(self) -> Text:  # type: ignore[override]
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        self.responses.append(message.get("utter_action") or "")
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, attribute: Text) -> Any:
        return getattr(self.inner, attribute)


class GuardedHandler:
    """A channel's message handler that answers "try again later" when the bot said
    nothing (the action server unreachable, the lock store down, an unexpected error), and
    deletes the conversation once the bot has confirmed a user's request to delete it."""

    def __init__(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        rate_limit: Optional[SenderRateLimit] = None,
    ) -> None:
        self.on_new_message = on_new_message
        self.rate_limit = rate_limit
        self.app: Any = None

    def watch(self, blueprint: Blueprint) -> Blueprint:
        """Keeps the server app, whose agent knows the conversation's language."""

        @blueprint.listener("before_server_start")
        async def keep_app(app: Any, _loop: Any) -> None:
            self.app = app

        return blueprint

    async def __call__(self, message: UserMessage) -> None:
        if self.rate_limit and not await self.within_limit(message):
            return
        output = CountingOutput(message.output_channel)
        message.output_channel = output
        try:
            await self.on_new_message(message)
        except Exception:  # noqa: BLE001 - the user gets the apology instead
            logger.exception("A message could not be handled (channel %s)", output.name())
        if FORGET_RESPONSE in output.responses:
            await self.forget(message.sender_id)
        if output.sent:
            return
        language = await self.language(message.sender_id)
        logger.error("Nothing was said to a message (channel %s): apologised", output.name())
        await output.inner.send_response(
            message.sender_id, {"text": say(TRY_AGAIN_RESPONSE, language), "language": language}
        )

    async def within_limit(self, message: UserMessage) -> bool:
        """False for a message over the sender's limit: the first one gets "please wait",
        the next ones nothing until the minute is over."""
        count = await self.rate_limit.count(message.sender_id)
        if count <= self.rate_limit.per_minute:
            return True
        logger.warning("Rate limit: a conversation sent %d messages in a minute", count)
        if count == self.rate_limit.per_minute + 1:
            language = await self.language(message.sender_id)
            await message.output_channel.send_response(
                message.sender_id,
                {"text": say(SLOW_DOWN_RESPONSE, language), "language": language},
            )
        return False

    @property
    def tracker_store(self) -> Any:
        agent = getattr(getattr(self.app, "ctx", None), "agent", None)
        return agent.tracker_store if agent else None

    async def forget(self, sender_id: Text) -> None:
        try:
            await forget(self.tracker_store, sender_id)
            logger.info("A conversation was deleted at its user's request.")
        except Exception:  # noqa: BLE001 - logged loudly: the user was told it is gone
            logger.exception("A conversation could not be deleted at its user's request")

    async def language(self, sender_id: Text) -> Optional[Text]:
        try:
            store = self.tracker_store
            tracker = await store.retrieve(sender_id) if store else None
        except Exception as error:  # noqa: BLE001 - the default language then
            logger.error("Tracker store unreadable: %s", error.__class__.__name__)
            return None
        return tracker.get_slot("language") if tracker else None


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        safety_net = GuardedHandler(on_new_message)
        blueprint = safety_net.watch(super().blueprint(safety_net))
        rate_limit = SenderRateLimit.from_environment()

        @blueprint.middleware("request")
        async def guard(request: Request) -> Optional[HTTPResponse]:
            if request.method == "POST" and request.path.endswith("/webhook"):
                refusal = invalid_request(request)
                if refusal is None and not await rate_limit.allows(request.json["sender"]):
                    return problem(429, "Too many messages from this sender: wait a minute.")
                return refusal
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
        safety_net = GuardedHandler(on_new_message, SenderRateLimit.from_environment())
        webhook = safety_net.watch(super().blueprint(safety_net))
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
