"""The messaging channels end to end: the assistant runs with Telegram, WhatsApp (Twilio)
and Messenger switched on, their APIs stood in for on loopback (tests/platforms.py). Each
test posts what the platform would post (formats from the platforms' documentation) to the
webhook and reads what the user would have received from the stand-in's record."""

import hmac
import itertools
import json
import re
import time
from typing import Any, Dict, Iterator, List, Text

import pytest
import requests
from twilio.request_validator import RequestValidator

from bot import launcher
from bot.messaging import (
    TYPED_CHOICE,
    PhoneFacebookInput,
    PhoneTelegramInput,
    PhoneTwilioInput,
    payload_digest,
    short_title,
    split_for_phone,
    utf16_length,
)
from knowledge.i18n import build_renderer
from tests.conftest import MODEL, SETTINGS, Assistant
from tests.platforms import Call, PlatformStandIn

TELEGRAM_TOKEN = "123456789:AAH-test-token-not-real_0123456789ab"
TELEGRAM_SECRET = "s3cret-Telegram_token"
TELEGRAM_PUBLIC_URL = "https://assistant.example.org/webhooks/telegram/webhook"
TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "twilio-auth-token-not-real"
TWILIO_NUMBER = "whatsapp:+14155238886"
MESSENGER_SECRET = "messenger-app-secret-not-real"
MESSENGER_VERIFY = "verify-me-please"
HELPDESK_TOKEN = "helpdesk-token-not-real"

RENDERER = build_renderer(SETTINGS)
ids = itertools.count(int(time.time()) % 100000 * 1000)


def expected(name: Text, language: Text) -> Text:
    return RENDERER.render(name, language)["text"]


@pytest.fixture(scope="module")
def platforms() -> Iterator[PlatformStandIn]:
    stand_in = PlatformStandIn().start(launcher.free_port())
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="module")
def bot(tmp_path_factory, built_knowledge_url, platforms) -> Iterator[Assistant]:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it first)")
    with launcher.assistant(
        MODEL,
        tmp_path_factory.mktemp("channel-logs"),
        ASSISTANT_DATABASE_URL=built_knowledge_url,
        ASSISTANT_HANDOFF_CONTACTS="",
        ASSISTANT_HANDOFF_WEBHOOK_URL=f"{platforms.url}/helpdesk",
        ASSISTANT_HANDOFF_WEBHOOK_TOKEN=HELPDESK_TOKEN,
        TELEGRAM_ACCESS_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_SECRET_TOKEN=TELEGRAM_SECRET,
        TELEGRAM_WEBHOOK_URL=TELEGRAM_PUBLIC_URL,
        TELEGRAM_API_URL=platforms.url,
        TWILIO_ACCOUNT_SID=TWILIO_SID,
        TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_NUMBER=TWILIO_NUMBER,
        TWILIO_API_URL=platforms.url,
        MESSENGER_PAGE_ACCESS_TOKEN="EAAB-page-token-not-real",
        MESSENGER_APP_SECRET=MESSENGER_SECRET,
        MESSENGER_VERIFY_TOKEN=MESSENGER_VERIFY,
        MESSENGER_GRAPH_URL=f"{platforms.url}/graph",
    ) as url:
        yield Assistant(url)


def user_events(bot: Assistant, sender: Text) -> List[Text]:
    return bot.user_messages(sender)


# --- Telegram (https://core.telegram.org/bots/api#update) ------------------------------


def telegram_user(chat_id: int, language_code: Text = "en") -> Dict[Text, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Sita", "language_code": language_code}


def telegram_message(chat_id: int, **content: Any) -> Dict[Text, Any]:
    return {
        "update_id": next(ids),
        "message": {
            "message_id": next(ids),
            "from": telegram_user(chat_id, content.pop("language_code", "en")),
            "chat": {
                "id": chat_id,
                "first_name": "Sita",
                "type": content.pop("chat_type", "private"),
            },
            "date": int(time.time()),
            **content,
        },
    }


def telegram_tap(chat_id: int, data: Text) -> Dict[Text, Any]:
    return {
        "update_id": next(ids),
        "callback_query": {
            "id": str(next(ids)),
            "from": telegram_user(chat_id),
            "message": {
                "message_id": next(ids),
                "chat": {"id": chat_id, "type": "private"},
                "date": int(time.time()),
                "text": "…",
            },
            "chat_instance": "-1234567890",
            "data": data,
        },
    }


def post_telegram(bot: Assistant, update: Any, secret: Text = TELEGRAM_SECRET) -> requests.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    return requests.post(
        f"{bot.rasa_url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=60
    )


def sent_to_chat(platforms: PlatformStandIn, chat_id: int) -> List[Call]:
    return platforms.find(
        lambda c: (
            c.platform == "telegram"
            and c.method == "sendMessage"
            and str(c.params.get("chat_id")) == str(chat_id)
        )
    )


def keyboard(call: Call) -> List[Dict[Text, Text]]:
    markup = json.loads(call.params.get("reply_markup") or "{}")
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def test_telegram_webhook_is_registered_with_its_secret_at_start(bot, platforms):
    [call] = platforms.wait_for(lambda c: c.platform == "telegram" and c.method == "setWebhook")
    assert call.params["url"] == TELEGRAM_PUBLIC_URL
    assert call.params["secret_token"] == TELEGRAM_SECRET


def test_telegram_answers_in_nepali_with_its_source_and_buttons(bot, platforms):
    chat = next(ids)
    reply = post_telegram(
        bot, telegram_message(chat, text="म्यानपावर एजेन्टले मसँग कति पैसा लिन पाउँछ?", language_code="ne")
    )
    assert reply.status_code == 200
    sent = sent_to_chat(platforms, chat)
    text = "\n".join(c.params["text"] for c in sent)
    assert re.search(r"[\u0900-\u097f]{3}", text), text
    assert "स्रोत:" in text, text
    buttons = [b for c in sent for b in keyboard(c)]
    assert buttons, "the answer comes with buttons"
    # Telegram refuses callback data over 64 bytes: long payloads travel as a digest.
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    assert all(utf16_length(c.params["text"]) <= 4096 for c in sent)


def test_telegram_button_tap_is_acknowledged_and_answered(bot, platforms):
    chat = next(ids)
    post_telegram(bot, telegram_message(chat, text="how much can a recruiter charge me?"))
    buttons = [b for c in sent_to_chat(platforms, chat) for b in keyboard(c)]
    digests = [b for b in buttons if b["callback_data"].startswith("#")]
    tapped = (digests or buttons)[0]
    before = len(sent_to_chat(platforms, chat))
    tap = telegram_tap(chat, tapped["callback_data"])
    assert post_telegram(bot, tap).status_code == 200
    acknowledged = platforms.find(
        lambda c: (
            c.method == "answerCallbackQuery"
            and c.params.get("callback_query_id") == tap["callback_query"]["id"]
        )
    )
    assert acknowledged
    assert len(sent_to_chat(platforms, chat)) > before
    # The bot got the button's payload, not the digest.
    last = user_events(bot, str(chat))[-1]
    assert last.startswith("/") and not last.startswith("#"), last


def test_telegram_sticker_gets_a_polite_reply_in_the_conversation_language(bot, platforms):
    chat = next(ids)
    post_telegram(bot, telegram_message(chat, text="রেমিট্যান্স পাঠাতে খরচ কত?", language_code="en"))
    seen = user_events(bot, str(chat))
    sticker = {
        "file_id": "CAACAgIAAxkBAAEBBQABZ",
        "file_unique_id": "AgADcQADr8ZRGg",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
    assert post_telegram(bot, telegram_message(chat, sticker=sticker)).status_code == 200
    assert sent_to_chat(platforms, chat)[-1].params["text"] == expected(
        "utter_channel_text_only", "bn"
    )
    assert user_events(bot, str(chat)) == seen, "the sticker is neither passed on nor stored"


def test_telegram_voice_note_as_first_message_is_answered_in_the_phone_language(bot, platforms):
    chat = next(ids)
    voice = {
        "duration": 3,
        "mime_type": "audio/ogg",
        "file_id": "AwACAgIAAxk",
        "file_unique_id": "AgAD1",
    }
    post_telegram(bot, telegram_message(chat, voice=voice, language_code="ne"))
    [call] = sent_to_chat(platforms, chat)
    assert call.params["text"] == expected("utter_channel_text_only", "ne")


@pytest.mark.parametrize("secret", ["", "wrong-secret"])
def test_telegram_refuses_an_update_without_its_secret(bot, platforms, secret):
    chat = next(ids)
    reply = post_telegram(bot, telegram_message(chat, text="hello"), secret=secret)
    assert reply.status_code == 403
    assert sent_to_chat(platforms, chat) == []


def test_telegram_ignores_groups_and_refuses_a_body_that_is_not_an_update(bot, platforms):
    chat = -next(ids)
    group = telegram_message(chat, text="hello", chat_type="group")
    assert post_telegram(bot, group).status_code == 200
    assert sent_to_chat(platforms, chat) == []
    assert post_telegram(bot, ["not", "an", "update"]).status_code == 400
    broken = requests.post(
        f"{bot.rasa_url}/webhooks/telegram/webhook",
        data=b"{not json",
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
        timeout=10,
    )
    assert broken.status_code == 400


def test_talk_to_a_person_on_telegram_hands_over_to_the_helpdesk(bot, platforms):
    chat = next(ids)
    post_telegram(bot, telegram_message(chat, text="my agent took my passport"))
    post_telegram(bot, telegram_message(chat, text="I want to talk to a real person"))
    [call] = platforms.find(
        lambda c: c.platform == "helpdesk" and c.params.get("conversation_id") == str(chat)
    )
    assert call.headers["Authorization"] == f"Bearer {HELPDESK_TOKEN}"
    assert call.params["channel"] == "telegram"
    users = [m["text"] for m in call.params["messages"] if m["from"] == "user"]
    assert users[-1] == "I want to talk to a real person"
    assert sent_to_chat(platforms, chat)[-1].params["text"] == expected(
        "utter_handoff_forwarded_anytime", "en"
    )


# --- WhatsApp through Twilio (https://www.twilio.com/docs/messaging/guides/webhook-request)


def whatsapp_form(number: Text, body: Text = "", **extra: Text) -> Dict[Text, Text]:
    message_sid = f"SM{next(ids):032d}"
    return {
        "SmsMessageSid": message_sid,
        "NumMedia": "0",
        "ProfileName": "Ram",
        "MessageType": "text",
        "SmsSid": message_sid,
        "WaId": number.lstrip("+"),
        "SmsStatus": "received",
        "Body": body,
        "To": TWILIO_NUMBER,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": message_sid,
        "AccountSid": TWILIO_SID,
        "From": f"whatsapp:{number}",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def post_whatsapp(
    bot: Assistant, form: Dict[Text, Text], token: Text = TWILIO_TOKEN
) -> requests.Response:
    url = f"{bot.rasa_url}/webhooks/twilio/webhook"
    signature = RequestValidator(token).compute_signature(url, form)
    return requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=60)


def sent_to_number(platforms: PlatformStandIn, number: Text) -> List[Text]:
    return [
        c.params["Body"]
        for c in platforms.find(
            lambda c: c.platform == "twilio" and c.params.get("To") == f"whatsapp:{number}"
        )
    ]


def new_number() -> Text:
    return f"+97798{next(ids) % 100000000:08d}"


def test_whatsapp_shows_numbered_options_and_a_typed_number_picks_one(bot, platforms):
    number = new_number()
    assert (
        post_whatsapp(bot, whatsapp_form(number, "how much can a recruiter charge me?")).status_code
        == 204
    )
    bodies = sent_to_number(platforms, number)
    assert bodies and all(len(b) <= 1600 for b in bodies)
    hint = expected("utter_channel_choose_by_number", "en")
    # The answer with its options (a plain sentence offering the fee check may follow).
    last = next(b for b in reversed(bodies) if b.endswith(hint))
    options = re.findall(r"^(\d+)\. (.+)$", last, flags=re.M)
    assert [n for n, _ in options] == [str(i) for i in range(1, len(options) + 1)]
    # The user types "2": the bot gets option 2's payload.
    post_whatsapp(bot, whatsapp_form(number, "2"))
    sender = f"whatsapp:{number}"
    assert user_events(bot, sender)[-1].startswith("/"), user_events(bot, sender)
    assert len(sent_to_number(platforms, number)) > len(bodies)


def test_whatsapp_number_typed_in_devanagari_picks_the_option(bot, platforms):
    number = new_number()
    post_whatsapp(bot, whatsapp_form(number, "रेमिटेन्स पठाउँदा कति खर्च लाग्छ?"))
    hint = expected("utter_channel_choose_by_number", "ne")
    assert any(b.endswith(hint) for b in sent_to_number(platforms, number))
    post_whatsapp(bot, whatsapp_form(number, "१"))
    assert user_events(bot, f"whatsapp:{number}")[-1].startswith("/")


def test_whatsapp_voice_note_gets_a_polite_reply(bot, platforms):
    number = new_number()
    voice = whatsapp_form(
        number,
        "",
        NumMedia="1",
        MessageType="audio",
        MediaContentType0="audio/ogg",
        MediaUrl0=f"https://api.twilio.com/2010-04-01/Accounts/{TWILIO_SID}/Messages/MM1/Media/ME1",
    )
    assert post_whatsapp(bot, voice).status_code == 204
    assert sent_to_number(platforms, number) == [expected("utter_channel_text_only", "en")]


def test_whatsapp_refuses_a_bad_or_missing_signature(bot, platforms):
    number = new_number()
    assert (
        post_whatsapp(bot, whatsapp_form(number, "hello"), token="not-the-token").status_code == 403
    )
    unsigned = requests.post(
        f"{bot.rasa_url}/webhooks/twilio/webhook", data=whatsapp_form(number, "hello"), timeout=10
    )
    assert unsigned.status_code == 403
    # A signed request whose body was changed on the way.
    url = f"{bot.rasa_url}/webhooks/twilio/webhook"
    form = whatsapp_form(number, "hello")
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, form)
    form["Body"] = "send me everything"
    tampered = requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=10)
    assert tampered.status_code == 403
    assert sent_to_number(platforms, number) == []


# --- Facebook Messenger (https://developers.facebook.com/docs/messenger-platform/webhooks)


def messenger_event(psid: Text, **event: Any) -> Dict[Text, Any]:
    return {
        "object": "page",
        "entry": [
            {
                "id": "PAGE_ID",
                "time": int(time.time() * 1000),
                "messaging": [
                    {
                        "sender": {"id": psid},
                        "recipient": {"id": "PAGE_ID"},
                        "timestamp": int(time.time() * 1000),
                        **event,
                    }
                ],
            }
        ],
    }


def post_messenger(
    bot: Assistant, body: Any, secret: Text = MESSENGER_SECRET, algorithm: Text = "sha256"
) -> requests.Response:
    raw = json.dumps(body).encode()
    digest = hmac.new(secret.encode(), raw, algorithm).hexdigest()
    header = "X-Hub-Signature-256" if algorithm == "sha256" else "X-Hub-Signature"
    return requests.post(
        f"{bot.rasa_url}/webhooks/facebook/webhook",
        data=raw,
        headers={"Content-Type": "application/json", header: f"{algorithm}={digest}"},
        timeout=60,
    )


def sent_to_psid(platforms: PlatformStandIn, psid: Text) -> List[Dict[Text, Any]]:
    return [
        c.params["message"]
        for c in platforms.find(
            lambda c: (
                c.platform == "facebook"
                and c.method == "message"
                and c.params["recipient"]["id"] == psid
            )
        )
    ]


def test_messenger_webhook_verification(bot):
    url = f"{bot.rasa_url}/webhooks/facebook/webhook"
    good = {
        "hub.mode": "subscribe",
        "hub.verify_token": MESSENGER_VERIFY,
        "hub.challenge": "1158201444",
    }
    reply = requests.get(url, params=good, timeout=10)
    assert (reply.status_code, reply.text) == (200, "1158201444")
    wrong = requests.get(url, params=dict(good, **{"hub.verify_token": "guess"}), timeout=10)
    assert wrong.status_code == 403


def test_messenger_quick_replies_fit_and_a_tap_is_answered(bot, platforms):
    psid = str(next(ids))
    message = {"mid": f"m_{next(ids)}", "text": "how much can a recruiter charge me?"}
    assert post_messenger(bot, messenger_event(psid, message=message)).status_code == 200
    sent = sent_to_psid(platforms, psid)
    with_replies = [m for m in sent if m.get("quick_replies")]
    assert with_replies
    replies = with_replies[-1]["quick_replies"]
    assert all(len(r["title"]) <= 20 for r in replies), replies
    assert [r["title"].split(".")[0] for r in replies] == [
        str(i) for i in range(1, len(replies) + 1)
    ]
    assert all(len(m["text"]) <= 2000 for m in sent)
    typing = platforms.find(
        lambda c: c.method == "sender_action" and c.params["recipient"]["id"] == psid
    )
    assert typing and typing[0].params["sender_action"] == "typing_on"
    # The user taps the first quick reply.
    tap = {
        "mid": f"m_{next(ids)}",
        "text": replies[0]["title"],
        "quick_reply": {"payload": replies[0]["payload"]},
    }
    post_messenger(bot, messenger_event(psid, message=tap))
    assert user_events(bot, psid)[-1] == replies[0]["payload"]
    assert len(sent_to_psid(platforms, psid)) > len(sent)


@pytest.mark.parametrize(
    "attachment",
    [
        {"type": "audio", "payload": {"url": "https://cdn.fbsbx.com/v/t59/voice.mp4"}},
        {
            "type": "image",
            "payload": {
                "url": "https://scontent.xx.fbcdn.net/sticker.png",
                "sticker_id": 369239263222822,
            },
        },
        {"type": "location", "payload": {"coordinates": {"lat": 25.28, "long": 51.52}}},
    ],
)
def test_messenger_voice_sticker_and_location_get_a_polite_reply(bot, platforms, attachment):
    psid = str(next(ids))
    message = {"mid": f"m_{next(ids)}", "attachments": [attachment]}
    assert post_messenger(bot, messenger_event(psid, message=message)).status_code == 200
    assert sent_to_psid(platforms, psid) == [{"text": expected("utter_channel_text_only", "en")}]
    assert user_events(bot, psid) == []


def test_messenger_accepts_the_older_sha1_signature_and_ignores_echoes(bot, platforms):
    psid = str(next(ids))
    hello = messenger_event(psid, message={"mid": f"m_{next(ids)}", "text": "hello"})
    assert post_messenger(bot, hello, algorithm="sha1").status_code == 200
    count = len(sent_to_psid(platforms, psid))
    assert count >= 1
    echo = messenger_event(
        psid, message={"mid": f"m_{next(ids)}", "text": "hello", "is_echo": True}
    )
    assert post_messenger(bot, echo).status_code == 200
    assert len(sent_to_psid(platforms, psid)) == count


def test_messenger_refuses_a_bad_signature(bot, platforms):
    psid = str(next(ids))
    body = messenger_event(psid, message={"mid": f"m_{next(ids)}", "text": "hello"})
    assert post_messenger(bot, body, secret="not-the-secret").status_code == 403
    unsigned = requests.post(f"{bot.rasa_url}/webhooks/facebook/webhook", json=body, timeout=10)
    assert unsigned.status_code == 403
    assert sent_to_psid(platforms, psid) == []


# --- the shared parts, without a server --------------------------------------------------


def test_split_keeps_paragraphs_together_and_loses_nothing():
    paragraphs = [f"Paragraph {n}. " + "word " * 30 for n in range(12)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    parts = split_for_phone(text, 400)
    assert all(utf16_length(p) <= 400 for p in parts)
    assert len(parts) < len(paragraphs)
    assert " ".join(parts).split() == text.split()


def test_split_cuts_an_overlong_paragraph_at_sentences_then_words():
    sentences = " ".join(f"Sentence number {n} is here." for n in range(60))
    parts = split_for_phone(sentences, 200)
    assert all(utf16_length(p) <= 200 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts).split() == sentences.split()
    word = "x" * 450
    assert [len(p) for p in split_for_phone(word, 200)] == [200, 200, 50]


def test_split_counts_emoji_as_the_platforms_do():
    text = "⚠️🙂" * 300  # 300 × 4 UTF-16 units
    parts = split_for_phone(text, 1000)
    assert all(utf16_length(p) <= 1000 for p in parts)
    assert "".join(parts) == text


@pytest.mark.parametrize(
    "typed, number", [("2", 2), (" 3. ", 3), ("(1)", 1), ("२", 2), ("৩", 3), ("٢", 2), ("10", 10)]
)
def test_typed_choices_in_any_digits(typed, number):
    assert int(TYPED_CHOICE.match(typed).group(1)) == number


@pytest.mark.parametrize("typed", ["2500", "2 lakh", "option two", "", "1,5"])
def test_other_text_is_not_a_choice(typed):
    assert TYPED_CHOICE.match(typed) is None


def test_long_payloads_travel_as_a_short_digest():
    payload = '/topic_recruitment_fees{"entry": "recruitment-costs-who-pays-what-x"}'
    assert len(payload.encode()) > 64
    assert len(payload_digest(payload).encode()) <= 64
    assert payload_digest(payload) == payload_digest(payload)


def test_messenger_titles_are_cut_to_twenty_characters():
    assert short_title(1, "Passport") == "1. Passport"
    title = short_title(
        12,
        "ما هي حقوقي في العمل",
    )
    assert len(title) <= 20 and title.endswith("…") and title.startswith("12. ما")


@pytest.mark.parametrize("channel", [PhoneTelegramInput, PhoneTwilioInput, PhoneFacebookInput])
def test_a_channel_without_its_variables_is_off(channel, monkeypatch):
    for name in channel.REQUIRED + channel.OPTIONAL:
        monkeypatch.delenv(name, raising=False)
    assert channel.from_credentials(None).config.missing == channel.REQUIRED
