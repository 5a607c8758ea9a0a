"""Custom actions, run as Rasa runs them (tracker in, events and messages out)."""

import json

import pytest
from rasa_sdk.events import SlotSet

from actions import services
from actions.handoff import ActionHumanHandoff
from actions.language import ActionChooseLanguage, ActionReadMessage
from knowledge.settings import load_settings


async def run(action, dispatcher, tracker):
    return await action.run(dispatcher, tracker, {})


async def test_first_message_sets_the_language_it_is_written_in(make_tracker, dispatcher):
    tracker = make_tracker(text="namaste, malai kaam garna bidesh jana cha", intent="greet")
    assert await run(ActionReadMessage(), dispatcher, tracker) == [SlotSet("language", "ne")]


async def test_a_short_ambiguous_message_keeps_the_conversation_language(make_tracker, dispatcher):
    tracker = make_tracker(text="ok", intent="thank", language="bn")
    assert await run(ActionReadMessage(), dispatcher, tracker) == []


async def test_a_clear_change_of_language_switches(make_tracker, dispatcher):
    tracker = make_tracker(
        text="¿Cuánto me puede cobrar la agencia por un trabajo en Qatar?",
        intent="topic_recruitment_fees",
        language="en",
    )
    assert SlotSet("language", "es") in await run(ActionReadMessage(), dispatcher, tracker)


async def test_where_the_person_says_they_are_is_kept_from_any_message(make_tracker, dispatcher):
    tracker = make_tracker(text="salam khouya ana f fransa hadi 3 snin", language="ar")
    assert SlotSet("location", "FRA") in await run(ActionReadMessage(), dispatcher, tracker)
    # In danger the safety action decides it: a home country named is not where she is.
    tracker.slots["danger"] = True
    events = await run(ActionReadMessage(), dispatcher, tracker)
    assert not [e for e in events if e.get("name") == "location"]


async def test_client_metadata_forces_the_language(make_tracker, dispatcher):
    tracker = make_tracker(text="hello", language="en", metadata={"language": "ar"})
    assert await run(ActionReadMessage(), dispatcher, tracker) == [SlotSet("language", "ar")]


async def test_unknown_metadata_language_is_ignored(make_tracker, dispatcher):
    tracker = make_tracker(text="hello", language="fr", metadata={"language": "klingon"})
    assert await run(ActionReadMessage(), dispatcher, tracker) == []


async def test_a_button_payload_does_not_change_the_language(make_tracker, dispatcher):
    tracker = make_tracker(text="/topic_rights", intent="topic_rights", language="tl")
    assert await run(ActionReadMessage(), dispatcher, tracker) == []


async def test_naming_a_language_switches_to_it(make_tracker, dispatcher):
    tracker = make_tracker(
        text="can you answer in nepali",
        intent="choose_language",
        language="en",
        entities=[{"entity": "language", "value": "nepali"}],
    )
    assert await run(ActionReadMessage(), dispatcher, tracker) == [SlotSet("language", "ne")]
    await run(ActionChooseLanguage(), dispatcher, tracker)
    assert dispatcher.messages[0]["response"] == "utter_language_changed"


async def test_language_button_payload_switches(make_tracker, dispatcher):
    tracker = make_tracker(
        text='/choose_language{"language":"bn"}',
        intent="choose_language",
        language="en",
        entities=[{"entity": "language", "value": "bn"}],
    )
    assert await run(ActionReadMessage(), dispatcher, tracker) == [SlotSet("language", "bn")]


async def test_asking_for_another_language_without_naming_one_shows_the_choice(
    make_tracker, dispatcher
):
    tracker = make_tracker(text="change language", intent="choose_language", language="en")
    await run(ActionChooseLanguage(), dispatcher, tracker)
    assert dispatcher.messages[0]["response"] == "utter_choose_language"


@pytest.fixture
def handoff_settings(monkeypatch):
    def configure(**environ):
        monkeypatch.setattr(services, "settings", lambda: load_settings(environ))

    return configure


async def test_handoff_without_contacts_says_nobody_is_connected(
    make_tracker, dispatcher, handoff_settings
):
    handoff_settings()
    await run(ActionHumanHandoff(), dispatcher, make_tracker(intent="human_handoff"))
    assert dispatcher.messages[0]["response"] == "utter_handoff_unavailable"


async def test_handoff_gives_the_configured_contacts_and_hours(
    make_tracker, dispatcher, handoff_settings
):
    handoff_settings(
        ASSISTANT_HANDOFF_CONTACTS="WhatsApp +000 000; help@centre.example",
        ASSISTANT_HANDOFF_HOURS="Mon-Fri 9:00-17:00",
    )
    await run(ActionHumanHandoff(), dispatcher, make_tracker(intent="human_handoff"))
    message = dispatcher.messages[0]
    assert message["response"] == "utter_handoff_available"
    assert message["contacts"] == ["WhatsApp +000 000", "help@centre.example"]
    assert message["hours"] == "Mon-Fri 9:00-17:00"


async def test_handoff_without_hours_does_not_mention_hours(
    make_tracker, dispatcher, handoff_settings
):
    handoff_settings(ASSISTANT_HANDOFF_CONTACTS="help@centre.example")
    await run(ActionHumanHandoff(), dispatcher, make_tracker(intent="human_handoff"))
    assert dispatcher.messages[0]["response"] == "utter_handoff_available_anytime"


class Helpdesk:
    """A stand-in helpdesk on loopback that records what it receives."""

    def __init__(self, status=201):
        import http.server
        import threading

        self.received = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.received.append((dict(self.headers), json.loads(body)))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/handoff"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def handoff_tracker(make_tracker):
    tracker = make_tracker(text="I want to talk to a person", intent="human_handoff", language="ne")
    tracker.events = [
        {"event": "user", "text": "agency took my money", "input_channel": "telegram"},
        {"event": "bot", "text": "…"},
        {"event": "user", "text": "I want to talk to a person", "input_channel": "telegram"},
    ]
    return tracker


async def test_handoff_to_a_helpdesk_webhook(make_tracker, dispatcher, handoff_settings):
    helpdesk = Helpdesk()
    try:
        handoff_settings(
            ASSISTANT_HANDOFF_WEBHOOK_URL=helpdesk.url,
            ASSISTANT_HANDOFF_WEBHOOK_TOKEN="s3cret",
            ASSISTANT_HANDOFF_HOURS="Sun-Fri 10:00-17:00",
        )
        await run(ActionHumanHandoff(), dispatcher, handoff_tracker(make_tracker))
    finally:
        helpdesk.close()
    [(headers, payload)] = helpdesk.received
    assert headers["Authorization"] == "Bearer s3cret"
    assert payload["language"] == "ne" and payload["channel"] == "telegram"
    assert [m["text"] for m in payload["messages"] if m["from"] == "user"] == [
        "agency took my money",
        "I want to talk to a person",
    ]
    message = dispatcher.messages[0]
    assert message["response"] == "utter_handoff_forwarded"
    assert message["hours"] == "Sun-Fri 10:00-17:00"


@pytest.mark.parametrize("status", [500, None])
async def test_a_failed_handoff_falls_back_to_the_contacts(
    make_tracker, dispatcher, handoff_settings, status
):
    helpdesk = Helpdesk(status=status or 200)
    url = helpdesk.url
    if status is None:
        helpdesk.close()  # nothing listens there any more
    try:
        handoff_settings(
            ASSISTANT_HANDOFF_WEBHOOK_URL=url, ASSISTANT_HANDOFF_CONTACTS="help@centre.example"
        )
        await run(ActionHumanHandoff(), dispatcher, handoff_tracker(make_tracker))
    finally:
        if status is not None:
            helpdesk.close()
    assert dispatcher.messages[0]["response"] == "utter_handoff_available_anytime"
