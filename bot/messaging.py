"""Messaging apps: Telegram, WhatsApp through Twilio, and Facebook Messenger.

Each channel is Rasa's own connector (rasa.core.channels.telegram, .twilio, .facebook),
configured from environment variables only, with what a conversation on a phone needs:

- every request is verified (Telegram's secret token, Twilio's and Meta's signatures) and
  refused with 403 otherwise;
- answers are cut at paragraph boundaries into messages the platform accepts;
- buttons become the platform's own where it has them (Telegram, Messenger) and numbered
  options where it has not (WhatsApp, SMS); a typed number ("2", "२", "٢") picks that
  option of the bot's last message with options;
- a sticker, voice note, photo, file or location gets a polite "please write" in the
  conversation's language; it is not passed to the bot nor stored;
- the platform's API address is configurable (a proxy, or the tests' stand-in).

A channel whose variables are not set is off: its webhook answers 404 and says which
variables switch it on. The webhooks are Rasa's: /webhooks/<telegram|twilio|facebook>/webhook.
"""

import asyncio
import hashlib
import hmac
import logging
import os
import re
from abc import ABCMeta, abstractmethod
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Mapping, Optional, Text
from urllib.parse import parse_qsl

from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from fbmessenger import MessengerClient
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, MessengerBot
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator

from bot.channels import GuardedHandler
from bot.nlg import say
from bot.ratelimit import SenderRateLimit
from knowledge.settings import SUPPORTED_LANGUAGES

logger = logging.getLogger(__name__)

# Seconds to wait for a platform's API before giving up on one outgoing message.
API_TIMEOUT = 10
# "2", "2.", "(2)", "२", "٢": a typed choice among the bot's last options.
TYPED_CHOICE = re.compile(r"^\s*\(?\s*(\d{1,2})\s*[.)]?\s*$")
SENTENCE_END = re.compile(r"(?<=[.!?।؟۔])\s+")
# Telegram's callback data holds at most 64 bytes: a longer payload travels as its digest.
TELEGRAM_CALLBACK_BYTES = 64
DIGEST_PREFIX = "#"
TEXT_ONLY_RESPONSE = "utter_channel_text_only"
CHOOSE_BY_NUMBER_RESPONSE = "utter_channel_choose_by_number"


def utf16_length(text: Text) -> int:
    """Length as the platforms count it (UTF-16 code units: an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _cut_long(text: Text, limit: int) -> List[Text]:
    """A text longer than the limit, cut at line, then sentence, then word boundaries."""
    for separator in ("\n", SENTENCE_END, " "):
        pieces = (
            separator.split(text) if isinstance(separator, re.Pattern) else text.split(separator)
        )
        if len(pieces) > 1:
            joiner = separator if isinstance(separator, str) else " "
            return pack(pieces, limit, joiner)
    # One unbroken word longer than a message: cut it.
    cut, part = [], ""
    for character in text:
        if utf16_length(part + character) > limit:
            cut.append(part)
            part = ""
        part += character
    return cut + [part] if part else cut


def pack(pieces: Iterable[Text], limit: int, joiner: Text) -> List[Text]:
    """Join pieces into as few texts as possible, each within the limit."""
    parts: List[Text] = []
    current = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        for fitting in [piece] if utf16_length(piece) <= limit else _cut_long(piece, limit):
            candidate = f"{current}{joiner}{fitting}" if current else fitting
            if utf16_length(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = fitting
    return parts + [current] if current else parts


def split_for_phone(text: Text, limit: int) -> List[Text]:
    """The messages a text is sent as: whole paragraphs together up to the channel's limit,
    a longer paragraph cut at its lines, sentences or words."""
    return pack(re.split(r"\n\s*\n", text or ""), limit, "\n\n")


def numbered(buttons: List[Dict[Text, Any]]) -> Text:
    return "\n".join(f"{n}. {b['title']}" for n, b in enumerate(buttons, 1))


def payload_digest(payload: Text) -> Text:
    return DIGEST_PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:24]


def usable_buttons(message: Mapping[Text, Any]) -> List[Dict[Text, Any]]:
    return [
        b
        for b in message.get("buttons") or []
        if isinstance(b, dict) and b.get("title") and b.get("payload")
    ]


class PhoneOutput(OutputChannel, metaclass=ABCMeta):
    """How a bot message becomes phone messages: the channel says its limit and how it
    sends a text with or without options; the cutting and numbering are shared."""

    limit = 4096
    # True where the platform shows buttons; otherwise options are numbered with a hint.
    native_buttons = True

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        language = message.get("language")
        buttons = usable_buttons(message)
        text = (message.get("text") or "").strip()
        if buttons and not self.native_buttons:
            choices = numbered(buttons) + "\n" + say(CHOOSE_BY_NUMBER_RESPONSE, language)
            text = f"{text}\n\n{choices}" if text else choices
        parts = split_for_phone(text, self.limit)
        if not parts and buttons:
            parts = [numbered(buttons)]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            try:
                if last and buttons:
                    await self.send_part_with_buttons(recipient_id, part, buttons)
                else:
                    await self.send_part(recipient_id, part)
            except Exception as error:  # noqa: BLE001 - one failed send must not stop the rest
                # The platform refused or did not answer: say which, never the text.
                logger.error(
                    "%s: a message to a user could not be sent (%s: %s)",
                    self.name(),
                    error.__class__.__name__,
                    str(error)[:200],
                )

    @abstractmethod
    async def send_part(self, recipient_id: Text, text: Text) -> None:
        """Send one text of at most `limit` characters."""

    async def send_part_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]]
    ) -> None:
        await self.send_part(recipient_id, text)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text, **kwargs})

    async def before_answer(self, recipient_id: Text) -> None:
        """Called when a message goes to the bot (Messenger shows "typing…")."""


async def stored_tracker(request: Request, sender_id: Text) -> Any:
    agent = getattr(request.app.ctx, "agent", None)
    if agent is None or agent.tracker_store is None:
        return None
    try:
        return await agent.tracker_store.retrieve(sender_id)
    except Exception as error:  # noqa: BLE001 - the store down: the text goes on unresolved
        logger.error("Tracker store unreadable for a channel lookup: %s", error.__class__.__name__)
        return None


def last_options(tracker: Any) -> List[Dict[Text, Any]]:
    """The options of the bot's last message with options, since the user's last message."""
    for event in reversed(tracker.events if tracker else []):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered) and usable_buttons(event.data):
            return usable_buttons(event.data)
    return []


def digest_payload(tracker: Any, digest: Text) -> Optional[Text]:
    """The payload a Telegram button's digest stands for, from any earlier bot message."""
    for event in reversed(tracker.events if tracker else []):
        if isinstance(event, BotUttered):
            for button in usable_buttons(event.data):
                if payload_digest(str(button["payload"])) == digest:
                    return str(button["payload"])
    return None


async def resolve_choice(request: Request, sender_id: Text, text: Text) -> Text:
    """The payload a typed number or a button digest stands for; otherwise the text."""
    typed = TYPED_CHOICE.match(text)
    if not typed and not text.startswith(DIGEST_PREFIX):
        return text
    tracker = await stored_tracker(request, sender_id)
    if typed:
        options = last_options(tracker)
        number = int(typed.group(1))
        return str(options[number - 1]["payload"]) if 0 < number <= len(options) else text
    return digest_payload(tracker, text) or text


async def conversation_language(
    request: Request, sender_id: Text, hint: Optional[Text] = None
) -> Optional[Text]:
    """The language the conversation is in; else the phone's, when the platform says it."""
    tracker = await stored_tracker(request, sender_id)
    language = tracker.get_slot("language") if tracker else None
    if language in SUPPORTED_LANGUAGES:
        return language
    hint = (hint or "").split("-")[0].lower()
    hint = "tl" if hint == "fil" else hint
    return hint if hint in SUPPORTED_LANGUAGES else None


def not_configured(channel: Text, variables: Iterable[Text]) -> Blueprint:
    """The webhook of a channel that is off: 404 with the variables that switch it on."""
    blueprint = Blueprint(f"{channel}_webhook", __name__)
    needed = ", ".join(variables)

    @blueprint.route("/", methods=["GET"])
    @blueprint.route("/webhook", methods=["GET", "POST"])
    async def off(_: Request) -> HTTPResponse:
        return response.json(
            {"error": f"The {channel} channel is not configured: set {needed}."}, status=404
        )

    return blueprint


def refused(reason: Text) -> HTTPResponse:
    logger.warning("Webhook request refused: %s", reason)
    return response.json({"error": reason}, status=403)


@dataclass(frozen=True)
class ChannelSettings:
    values: Dict[Text, Text]
    required: List[Text]

    @property
    def missing(self) -> List[Text]:
        return [name for name in self.required if not self.values.get(name)]

    def get(self, name: Text, default: Text = "") -> Text:
        return self.values.get(name) or default


def channel_settings(
    required: List[Text], optional: List[Text], environ: Mapping[Text, Text]
) -> ChannelSettings:
    names = required + optional
    return ChannelSettings({n: environ.get(n, "").strip() for n in names}, required)


async def deliver(
    request: Request,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    output: "PhoneOutput",
    channel: Text,
    sender_id: Text,
    text: Any,
    language_hint: Optional[Text] = None,
) -> None:
    """A user's message to the bot, a typed number as the option it picks. A message with
    no text (a sticker, voice note, photo, file or location) gets the polite reply instead
    and goes no further. `on_new_message` is a GuardedHandler: it does not raise
    (the platform would send the same message again and again) and apologises instead."""
    if not isinstance(text, str) or not text.strip():
        language = await conversation_language(request, sender_id, language_hint)
        await output.send_response(
            sender_id, {"text": say(TEXT_ONLY_RESPONSE, language), "language": language}
        )
        return
    text = await resolve_choice(request, sender_id, text.strip())
    await output.before_answer(sender_id)
    await on_new_message(UserMessage(text, output, sender_id, input_channel=channel))


def json_body(request: Request) -> Any:
    """The request's JSON, or None when the body is not JSON."""
    try:
        return request.json
    except Exception:  # noqa: BLE001 - Sanic raises its own on a bad body
        return None


# --- Telegram --------------------------------------------------------------------------


class PhoneTelegramOutput(PhoneOutput, TelegramOutput):
    limit = 4096

    def __init__(self, access_token: Text, api_url: Text) -> None:
        TelegramOutput.__init__(self, access_token)
        # aiogram's Bot takes the API server at construction only.
        self.server = TelegramAPIServer.from_base(api_url)
        self.timeout = API_TIMEOUT

    async def send_part(self, recipient_id: Text, text: Text) -> None:
        await self.send_message(recipient_id, text)

    async def send_part_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]]
    ) -> None:
        keyboard = InlineKeyboardMarkup()
        for button in buttons:
            payload = str(button["payload"])
            if len(payload.encode()) > TELEGRAM_CALLBACK_BYTES:
                payload = payload_digest(payload)
            keyboard.row(InlineKeyboardButton(button["title"], callback_data=payload))
        await self.send_message(recipient_id, text, reply_markup=keyboard)


class PhoneTelegramInput(TelegramInput):
    """Rasa's Telegram connector. Variables: TELEGRAM_ACCESS_TOKEN (from @BotFather),
    TELEGRAM_SECRET_TOKEN (any 1-256 of A-Z a-z 0-9 _ -; Telegram sends it back with every
    update), TELEGRAM_WEBHOOK_URL (the public https URL of /webhooks/telegram/webhook; when
    set, it is registered with Telegram at start), TELEGRAM_API_URL (default Telegram's)."""

    REQUIRED = ["TELEGRAM_ACCESS_TOKEN", "TELEGRAM_SECRET_TOKEN"]
    OPTIONAL = ["TELEGRAM_WEBHOOK_URL", "TELEGRAM_API_URL"]

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(channel_settings(cls.REQUIRED, cls.OPTIONAL, os.environ))

    def __init__(self, config: ChannelSettings) -> None:
        super().__init__(
            config.get("TELEGRAM_ACCESS_TOKEN"), None, config.get("TELEGRAM_WEBHOOK_URL"), False
        )
        self.config = config
        self.secret = config.get("TELEGRAM_SECRET_TOKEN")
        self.api_url = config.get("TELEGRAM_API_URL", "https://api.telegram.org")

    def get_output_channel(self) -> PhoneTelegramOutput:
        # Rasa's registers the webhook here, on every call; ours does it once at start.
        return PhoneTelegramOutput(self.access_token, self.api_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if self.config.missing:
            logger.info("Telegram channel off (set %s).", ", ".join(self.config.missing))
            return not_configured("telegram", self.REQUIRED)
        blueprint = Blueprint("telegram_webhook", __name__)
        on_new_message = GuardedHandler(on_new_message, SenderRateLimit.from_environment())
        output = self.get_output_channel()

        @blueprint.listener("after_server_start")
        async def register_webhook(*_: Any) -> None:
            if not self.webhook_url:
                return
            try:
                await output.request(
                    "setWebhook",
                    {
                        "url": self.webhook_url,
                        "secret_token": self.secret,
                        "allowed_updates": '["message", "edited_message", "callback_query"]',
                    },
                )
                logger.info("Telegram webhook registered.")
            except Exception as error:  # noqa: BLE001 - the other channels keep working
                logger.error("Telegram webhook not registered: %s", error)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            sent = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(sent.encode(), self.secret.encode()):
                return refused("wrong or missing Telegram secret token")
            update = json_body(request)
            if not isinstance(update, dict):
                return response.json({"error": "The body is not a Telegram update."}, status=400)
            await self.handle_update(request, update, output, on_new_message)
            # Anything else (a group, a channel post, a status update) is acknowledged so
            # Telegram does not send it again.
            return response.text("success")

        return on_new_message.watch(blueprint)

    async def handle_update(
        self,
        request: Request,
        update: Dict[Text, Any],
        output: PhoneTelegramOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        callback = update.get("callback_query")
        message = (
            (callback or {}).get("message") or update.get("message") or update.get("edited_message")
        )
        if not isinstance(message, dict) or not isinstance(message.get("chat"), dict):
            return
        chat = message["chat"]
        # Answers are about one person's situation: only private chats get them.
        if chat.get("type") != "private" or chat.get("id") is None:
            return
        sender_id = str(chat["id"])
        if isinstance(callback, dict):
            try:
                await output.answer_callback_query(str(callback.get("id", "")))
            except Exception as error:  # noqa: BLE001 - only the tap's spinner is left
                logger.warning("Telegram callback not acknowledged: %s", error)
            text = callback.get("data")
        else:
            text = message.get("text")
        hint = (message.get("from") or {}).get("language_code")
        await deliver(request, on_new_message, output, self.name(), sender_id, text, hint)


# --- WhatsApp and SMS through Twilio ---------------------------------------------------


class RebasedTwilioHttpClient(TwilioHttpClient):
    """Twilio's HTTP client sending to a configured API address instead of Twilio's."""

    TWILIO_API = "https://api.twilio.com"

    def __init__(self, api_url: Text) -> None:
        super().__init__(timeout=API_TIMEOUT)
        self.api_url = api_url.rstrip("/")

    def request(self, method: Text, url: Text, *args: Any, **kwargs: Any) -> Any:
        if url.startswith(self.TWILIO_API):
            url = self.api_url + url[len(self.TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


class PhoneTwilioOutput(PhoneOutput, TwilioOutput):
    # WhatsApp takes 1600 characters per message through Twilio; SMS is cut by Twilio.
    limit = 1600
    native_buttons = False

    def __init__(self, config: ChannelSettings) -> None:
        api_url = config.get("TWILIO_API_URL")
        TwilioOutput.__init__(
            self,
            config.get("TWILIO_ACCOUNT_SID"),
            config.get("TWILIO_AUTH_TOKEN"),
            config.get("TWILIO_NUMBER"),
        )
        self.http_client = (
            RebasedTwilioHttpClient(api_url) if api_url else TwilioHttpClient(timeout=API_TIMEOUT)
        )

    async def send_part(self, recipient_id: Text, text: Text) -> None:
        # Twilio's client blocks: in a thread, so other conversations go on meanwhile.
        await asyncio.get_running_loop().run_in_executor(
            None,
            lambda: self.messages.create(to=recipient_id, from_=self.twilio_number, body=text),
        )


class PhoneTwilioInput(TwilioInput):
    """Rasa's Twilio connector, for WhatsApp and SMS. Variables: TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN, TWILIO_NUMBER (e.g. whatsapp:+14155238886), TWILIO_WEBHOOK_URL (the
    public URL set in Twilio's console, needed to check signatures behind a proxy),
    TWILIO_API_URL (default Twilio's)."""

    REQUIRED = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER"]
    OPTIONAL = ["TWILIO_WEBHOOK_URL", "TWILIO_API_URL"]

    @classmethod
    def name(cls) -> Text:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(channel_settings(cls.REQUIRED, cls.OPTIONAL, os.environ))

    def __init__(self, config: ChannelSettings) -> None:
        super().__init__(
            config.get("TWILIO_ACCOUNT_SID"),
            config.get("TWILIO_AUTH_TOKEN"),
            config.get("TWILIO_NUMBER"),
            False,
        )
        self.config = config

    def get_output_channel(self) -> PhoneTwilioOutput:
        return PhoneTwilioOutput(self.config)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if self.config.missing:
            logger.info("Twilio channel off (set %s).", ", ".join(self.config.missing))
            return not_configured("twilio", self.REQUIRED)
        blueprint = Blueprint("twilio_webhook", __name__)
        on_new_message = GuardedHandler(on_new_message, SenderRateLimit.from_environment())
        validator = RequestValidator(self.auth_token)
        output = self.get_output_channel()

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            # Twilio signs every field, empty ones too (a voice note's Body is ""), which
            # Sanic's form parsing drops.
            try:
                form = dict(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
            except UnicodeDecodeError:
                return response.json({"error": "The form is not UTF-8."}, status=400)
            url = self.config.get("TWILIO_WEBHOOK_URL") or request.url
            signature = request.headers.get("X-Twilio-Signature", "")
            if not signature or not validator.validate(url, form, signature):
                return refused("wrong or missing Twilio signature")
            sender_id = form.get("From")
            if not sender_id:
                return response.json({"error": "The request has no 'From'."}, status=400)
            # A voice note, photo, sticker or location comes with an empty Body.
            text = form.get("Body")
            await deliver(request, on_new_message, output, self.name(), sender_id, text)
            return response.text("", status=204)

        return on_new_message.watch(blueprint)


# --- Facebook Messenger ----------------------------------------------------------------

MESSENGER_QUICK_REPLIES = 13
MESSENGER_TITLE_CHARACTERS = 20


def short_title(number: int, title: Text) -> Text:
    label = f"{number}. {title}"
    if len(label) <= MESSENGER_TITLE_CHARACTERS:
        return label
    return label[: MESSENGER_TITLE_CHARACTERS - 1].rstrip() + "…"


class PhoneMessengerOutput(PhoneOutput, MessengerBot):
    limit = 2000

    def __init__(self, client: MessengerClient) -> None:
        MessengerBot.__init__(self, client)

    async def _send(self, payload: Dict[Text, Any], recipient_id: Text) -> None:
        reply = await asyncio.get_running_loop().run_in_executor(
            None,
            lambda: self.messenger_client.send(
                payload, recipient_id, "RESPONSE", timeout=API_TIMEOUT
            ),
        )
        if isinstance(reply, dict) and reply.get("error"):
            raise RuntimeError(f"Messenger refused the message: {reply['error'].get('message')}")

    async def send_part(self, recipient_id: Text, text: Text) -> None:
        await self._send({"text": text}, recipient_id)

    async def send_part_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]]
    ) -> None:
        # Quick replies hold 20 characters: the options are numbered in the text as well,
        # and the replies carry the numbers with the start of each title.
        shown = buttons[:MESSENGER_QUICK_REPLIES]
        payload = {
            "text": f"{text}\n\n{numbered(shown)}" if text != numbered(shown) else text,
            "quick_replies": [
                {
                    "content_type": "text",
                    "title": short_title(n, str(b["title"]).strip("\u200f")),
                    "payload": str(b["payload"]),
                }
                for n, b in enumerate(shown, 1)
            ],
        }
        if utf16_length(payload["text"]) > self.limit:
            await self.send_part(recipient_id, text)
            payload["text"] = numbered(shown)
        await self._send(payload, recipient_id)

    async def before_answer(self, recipient_id: Text) -> None:
        await self.send_action(recipient_id, "typing_on")

    async def send_action(self, recipient_id: Text, sender_action: Text) -> None:
        try:
            await asyncio.get_running_loop().run_in_executor(
                None,
                lambda: self.messenger_client.send_action(
                    sender_action, recipient_id, timeout=API_TIMEOUT
                ),
            )
        except Exception as error:  # noqa: BLE001 - "typing…" is a courtesy
            logger.warning("Messenger sender action not sent: %s", error.__class__.__name__)


class PhoneFacebookInput(FacebookInput):
    """Rasa's Facebook Messenger connector. Variables: MESSENGER_PAGE_ACCESS_TOKEN,
    MESSENGER_APP_SECRET (signs every request), MESSENGER_VERIFY_TOKEN (your choice, typed
    again in Meta's webhook settings), MESSENGER_GRAPH_URL (default the library's Graph API
    version at graph.facebook.com)."""

    REQUIRED = ["MESSENGER_PAGE_ACCESS_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN"]
    OPTIONAL = ["MESSENGER_GRAPH_URL"]

    @classmethod
    def name(cls) -> Text:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(channel_settings(cls.REQUIRED, cls.OPTIONAL, os.environ))

    def __init__(self, config: ChannelSettings) -> None:
        super().__init__(
            config.get("MESSENGER_VERIFY_TOKEN"),
            config.get("MESSENGER_APP_SECRET"),
            config.get("MESSENGER_PAGE_ACCESS_TOKEN"),
        )
        self.config = config

    def get_output_channel(self) -> PhoneMessengerOutput:
        client = MessengerClient(self.fb_access_token)
        if self.config.get("MESSENGER_GRAPH_URL"):
            client.graph_url = self.config.get("MESSENGER_GRAPH_URL").rstrip("/")
        return PhoneMessengerOutput(client)

    def signature_valid(self, request: Request) -> bool:
        """Meta signs the body with the app secret: sha256 (and the older sha1)."""
        for header, algorithm in (("X-Hub-Signature-256", "sha256"), ("X-Hub-Signature", "sha1")):
            sent = request.headers.get(header)
            if sent:
                expected = hmac.new(self.fb_secret.encode(), request.body, algorithm).hexdigest()
                return hmac.compare_digest(sent.encode(), f"{algorithm}={expected}".encode())
        return False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if self.config.missing:
            logger.info("Messenger channel off (set %s).", ", ".join(self.config.missing))
            return not_configured("facebook", self.REQUIRED)
        blueprint = Blueprint("fb_webhook", __name__)
        on_new_message = GuardedHandler(on_new_message, SenderRateLimit.from_environment())
        output = self.get_output_channel()

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["GET"])
        async def verification(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token.encode(), self.fb_verify.encode()
            ):
                return response.text(request.args.get("hub.challenge") or "")
            return refused("wrong Messenger verify token")

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.signature_valid(request):
                return refused("wrong or missing Messenger signature")
            body = json_body(request)
            if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
                return response.json({"error": "The body is not a Messenger event."}, status=400)
            # Meta may batch several events in one request: each is handled, in order.
            for entry in body["entry"]:
                for event in (
                    (entry or {}).get("messaging") or [] if isinstance(entry, dict) else []
                ):
                    if isinstance(event, dict):
                        await self.handle_event(request, event, output, on_new_message)
            return response.text("success")

        return on_new_message.watch(blueprint)

    async def handle_event(
        self,
        request: Request,
        event: Dict[Text, Any],
        output: PhoneMessengerOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        sender_id = str((event.get("sender") or {}).get("id") or "")
        message = event.get("message")
        postback = event.get("postback")
        if not sender_id or not isinstance(message or postback, dict):
            return  # deliveries, reads, reactions
        if isinstance(postback, dict):
            text = postback.get("payload")
        elif message.get("is_echo"):
            return  # our own message, echoed back
        elif isinstance(message.get("quick_reply"), dict):
            text = message["quick_reply"].get("payload")
        else:
            text = message.get("text")
        # A sticker, voice note, photo, file or location has no text, only an address.
        await deliver(request, on_new_message, output, self.name(), sender_id, text)
