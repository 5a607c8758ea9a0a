"""Conversations over the REST channel with the real assistant (Rasa + action/NLG server):
what a user sees, in their language."""

import json
import subprocess
import sys
import uuid

import pytest
import requests

from actions import services
from knowledge.db import make_engine, session_factory
from knowledge.published import PublishedKnowledge

pytestmark = pytest.mark.e2e


def expected(response, language, **values):
    return services.renderer().render(response, language, values)["text"]


@pytest.fixture(scope="module")
def snapshot(built_knowledge_url):
    factory = session_factory(make_engine(built_knowledge_url))
    return PublishedKnowledge(factory, refresh_interval=3600).current()


def answered_topic(snapshot, reply, language):
    """The topic of the entry whose answer the reply gives with its source line, or of both
    entries the bot asks the user to choose between."""
    text = reply["text"]
    if text == expected("utter_kb_clarify", language):
        chosen = [
            json.loads(b["payload"][b["payload"].index("{") :])
            for b in reply["buttons"]
            if "{" in b["payload"]  # the calculator's button names no entry
        ]
        topics = {snapshot.entries[c["entry"]].topic for c in chosen}
        return topics.pop() if len(topics) == 1 else None
    source = expected("utter_kb_answer", language, answer="", sources="").strip()
    for entry in snapshot.entries.values():
        if entry.texts[language].answer in text and source in text:
            return entry.topic
    return None


def new_sender():
    return f"test-{uuid.uuid4().hex}"


GREETINGS = {
    "en": "hello",
    "fr": "Bonjour",
    "es": "hola buenas",
    "ar": "السلام عليكم",
    "ne": "namaste",
    "tl": "kumusta po",
    "bn": "আসসালামু আলাইকুম",
    "id": "halo selamat pagi",
}


@pytest.mark.parametrize("language, greeting", GREETINGS.items())
def test_greeting_is_answered_in_the_users_language(assistant, language, greeting):
    replies = assistant.say(new_sender(), greeting)
    assert replies[0]["text"] == expected("utter_greet", language)
    assert len(replies[0]["buttons"]) == 8


def test_a_short_message_keeps_the_conversation_language(assistant):
    sender = new_sender()
    assistant.say(sender, "নমস্কার, আমি বিদেশে কাজ করতে যেতে চাই")
    assistant.say(sender, "ok")
    assert assistant.slots(sender)["language"] == "bn"


def test_a_clear_change_of_language_is_followed(assistant, snapshot):
    sender = new_sender()
    assistant.say(sender, "namaste")
    replies = assistant.say(sender, "Quels sont mes droits si je travaille à l'étranger ?")
    assert answered_topic(snapshot, replies[0], "fr") == "rights"


def test_client_can_force_the_language_with_metadata(assistant):
    replies = assistant.say(new_sender(), "hello", language="ar")
    assert replies[0]["text"] == expected("utter_greet", "ar")
    assert replies[0]["text"].startswith("\u200f")


def test_language_button_switches_and_confirms_in_the_new_language(assistant):
    sender = new_sender()
    assistant.say(sender, "hello")
    replies = assistant.say(sender, '/choose_language{"language":"id"}')
    assert replies[0]["text"] == expected("utter_language_changed", "id")
    replies = assistant.say(sender, "/topic_remittances")
    assert replies[0]["text"] == expected("utter_topic_remittances", "id")


def test_asking_to_change_language_shows_every_language(assistant):
    replies = assistant.say(new_sender(), "change language")
    assert [b["payload"] for b in replies[0]["buttons"]] == [
        f'/choose_language{{"language":"{code}"}}'
        for code in ("en", "fr", "es", "ar", "ne", "tl", "bn", "id")
    ]


@pytest.mark.parametrize(
    "language, message",
    [
        ("en", "hi, my boss took my passport and locks me in the room"),
        ("ne", "मेरो साहुले पासपोर्ट खोसेर राखेको छ, बाहिर जान दिँदैन"),
        ("tl", "tulong po, kinuha ng amo ko ang passport ko at ayaw akong palabasin"),
        ("ar", "الكفيل أخذ جواز سفري ولم يدفع راتبي منذ أربعة أشهر"),
        # Messages the intent classifier alone has mistaken for other topics:
        ("fr", "ca fait 7 mois sans paye"),
        ("tl", "3 buwan na akong walang sweldo sa Riyadh"),
        ("bn", "বিশ্রাম ছাড়া সারাদিন কাজ করায়, কিছু বললে মারে"),
    ],
)
def test_danger_gets_the_safety_answer_first(assistant, language, message):
    replies = assistant.say(new_sender(), message)
    assert replies[0]["text"] == expected("utter_urgent_safety", language)


@pytest.mark.parametrize(
    "language, message, topic",
    [
        ("en", "how much can the agency charge me for a job in Qatar?", "recruitment_fees"),
        # (With an amount, "agency le 3 lakh mageko cha", it is the fee checker's case:
        # tests/test_rest_calculators.py.)
        ("ne", "bidesh jana agency lai paisa tirnu parcha ki pardaina?", "recruitment_fees"),
        (
            "bn",
            "ami bidesh theke bari te taka pathate chai, kon upay e kom khoroch?",
            "remittances",
        ),
        ("es", "¿Cómo puedo ir a trabajar a Canadá de forma legal?", "legal_channels"),
        (
            "id",
            "apa saja yang harus saya siapkan sebelum berangkat kerja ke luar negeri?",
            "predeparture",
        ),
        ("fr", "c'est quoi la traite des personnes ?", "safety"),
    ],
)
def test_topic_questions_get_a_sourced_answer_from_the_knowledge_base(
    assistant, snapshot, language, message, topic
):
    replies = assistant.say(new_sender(), message)
    assert answered_topic(snapshot, replies[0], language) == topic, replies[0]["text"]
    # Up to two related entries; fee and remittance answers add their calculator.
    related = [b for b in replies[0].get("buttons", []) if "{" in b["payload"]]
    assert 1 <= len(related) <= 2


def test_a_related_entry_button_gives_that_answer(assistant, snapshot):
    sender = new_sender()
    replies = assistant.say(sender, "can my employer keep my passport?")
    button = replies[0]["buttons"][0]
    slug = json.loads(button["payload"][button["payload"].index("{") :])["entry"]
    replies = assistant.say(sender, button["payload"])
    assert snapshot.entries[slug].texts["en"].answer in replies[0]["text"]


def test_mixed_language_input_gets_a_real_answer(assistant, snapshot):
    replies = assistant.say(new_sender(), "Hola, how much fee para Qatar?")
    assert "recruitment_fees" in {
        answered_topic(snapshot, replies[0], "es"),
        answered_topic(snapshot, replies[0], "en"),
    }, replies[0]["text"]


def test_out_of_scope_never_pretends_to_answer(assistant):
    replies = assistant.say(new_sender(), "who will win the football world cup?")
    assert replies[0]["text"] == expected("utter_out_of_scope", "en")


def test_talk_to_a_person_is_honest_when_nobody_is_connected_and_never_a_dead_end(assistant):
    sender = new_sender()
    replies = assistant.say(sender, "I want to talk to a real person")
    assert replies[0]["text"] == expected("utter_handoff_unavailable", "en")
    assert replies[-1]["text"] == expected("utter_ask_location", "en")
    there = "\n".join(r["text"] for r in assistant.say(sender, "i am in hong kong"))
    assert "2157 9537" in there and "eaa.labour.gov.hk" in there


def test_danger_is_a_conversation_that_stays_with_the_person(assistant):
    sender = new_sender()
    first = assistant.say(sender, "my madam took my passport and she locks the door")
    assert [r["text"] for r in first] == [
        expected("utter_urgent_safety", "en"),
        expected("utter_ask_location", "en"),
    ]
    where = "\n".join(r["text"] for r in assistant.say(sender, "riyadh"))
    assert "Who can help in Saudi Arabia" in where and "911" in where
    seen = {r["text"] for r in first} | {where}
    for message in ("what do i do now", "i am scared the police will arrest me"):
        replies = assistant.say(sender, message)
        assert replies, message
        assert not {r["text"] for r in replies} & seen, message
        assert expected("utter_urgent_safety", "en") not in [r["text"] for r in replies]
        seen |= {r["text"] for r in replies}


def test_what_can_you_do(assistant):
    replies = assistant.say(new_sender(), "what can you do?")
    assert replies[0]["text"] == expected("utter_bot_capabilities", "en")


def test_emoji_only_gets_a_clear_reply(assistant):
    replies = assistant.say(new_sender(), "🙏🙏🙏")
    assert replies and replies[0]["text"]


def test_control_characters_are_removed_not_fatal(assistant):
    replies = assistant.say(new_sender(), "hel\x00lo\x07 \x1b[31m")
    assert replies and replies[0]["text"]


@pytest.mark.parametrize(
    "body, status",
    [
        ({"sender": "x", "message": ""}, 400),
        ({"sender": "x", "message": "   "}, 400),
        ({"sender": "x", "message": "a" * 10_000}, 413),
        ({"message": "hello"}, 400),
        ({"sender": "", "message": "hello"}, 400),
        ({"sender": "x"}, 400),
        ({"sender": "x", "message": 12}, 400),
        ({"sender": "x", "message": "hi", "metadata": "ar"}, 400),
        (["hello"], 400),
    ],
)
def test_bad_requests_get_a_clear_4xx(assistant, body, status):
    reply = requests.post(assistant.webhook, json=body, timeout=10)
    assert reply.status_code == status
    assert reply.json()["error"]


def test_invalid_json_gets_a_400(assistant):
    reply = requests.post(
        assistant.webhook,
        data=b'{"sender": "x", "message": ',
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert reply.status_code == 400


def test_terminal_chat_talks_to_the_running_assistant(assistant):
    chat = subprocess.run(
        [sys.executable, "-m", "bot.chat", "--url", assistant.rasa_url],
        input="namaste\n1\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert f"bot> {expected('utter_greet', 'ne')}" in chat.stdout
    # "1" pressed the first button (rights at work), still answered in Nepali.
    assert f"bot> {expected('utter_topic_rights', 'ne')}" in chat.stdout


@pytest.mark.parametrize(
    "language, first, delete",
    [
        ("en", "my agent took my passport", "please delete my conversation"),
        ("ne", "mero passport agent le rakhyo", "mero chat delete garidinus"),
        ("ar", "الوكيل أخذ جواز سفري", "امسح محادثتي من فضلك"),
        ("id", "agen ambil paspor saya", "tolong hapus chat saya"),
    ],
)
def test_a_user_can_have_their_conversation_deleted(assistant, language, first, delete):
    sender = new_sender()
    assistant.say(sender, first)
    assert assistant.user_messages(sender) == [first]
    replies = assistant.say(sender, delete)
    assert replies[0]["text"] == expected("utter_conversation_deleted", language)
    assert assistant.user_messages(sender) == [], "nothing of it is kept"
    # The next message starts a new conversation.
    assert assistant.say(sender, "hello")
    assert assistant.user_messages(sender) == ["hello"]


def test_deleting_the_conversation_in_the_middle_of_the_fee_checker(assistant):
    sender = new_sender()
    assistant.say(sender, "I want to check my recruitment fee")
    assert assistant.tracker(sender)["active_loop"].get("name") == "fee_form"
    replies = assistant.say(sender, "delete my chat please")
    assert replies[0]["text"] == expected("utter_conversation_deleted", "en")
    state = assistant.tracker(sender)
    assert not state["active_loop"] and [e for e in state["events"] if e["event"] == "user"] == []
