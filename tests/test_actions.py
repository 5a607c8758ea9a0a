"""Custom actions, run as Rasa runs them (tracker in, events and messages out)."""

import pytest
from rasa_sdk.events import SlotSet

from actions import services
from actions.handoff import ActionHumanHandoff
from actions.language import ActionChooseLanguage, ActionDetectLanguage
from knowledge.settings import load_settings


async def run(action, dispatcher, tracker):
    return await action.run(dispatcher, tracker, {})


async def test_first_message_sets_the_language_it_is_written_in(make_tracker, dispatcher):
    tracker = make_tracker(text="namaste, malai kaam garna bidesh jana cha", intent="greet")
    assert await run(ActionDetectLanguage(), dispatcher, tracker) == [SlotSet("language", "ne")]


async def test_a_short_ambiguous_message_keeps_the_conversation_language(make_tracker, dispatcher):
    tracker = make_tracker(text="ok", intent="thank", language="bn")
    assert await run(ActionDetectLanguage(), dispatcher, tracker) == []


async def test_a_clear_change_of_language_switches(make_tracker, dispatcher):
    tracker = make_tracker(
        text="¿Cuánto me puede cobrar la agencia por un trabajo en Qatar?",
        intent="topic_recruitment_fees",
        language="en",
    )
    assert await run(ActionDetectLanguage(), dispatcher, tracker) == [SlotSet("language", "es")]


async def test_client_metadata_forces_the_language(make_tracker, dispatcher):
    tracker = make_tracker(text="hello", language="en", metadata={"language": "ar"})
    assert await run(ActionDetectLanguage(), dispatcher, tracker) == [SlotSet("language", "ar")]


async def test_unknown_metadata_language_is_ignored(make_tracker, dispatcher):
    tracker = make_tracker(text="hello", language="fr", metadata={"language": "klingon"})
    assert await run(ActionDetectLanguage(), dispatcher, tracker) == []


async def test_a_button_payload_does_not_change_the_language(make_tracker, dispatcher):
    tracker = make_tracker(text="/topic_rights", intent="topic_rights", language="tl")
    assert await run(ActionDetectLanguage(), dispatcher, tracker) == []


async def test_naming_a_language_switches_to_it(make_tracker, dispatcher):
    tracker = make_tracker(
        text="can you answer in nepali",
        intent="choose_language",
        language="en",
        entities=[{"entity": "language", "value": "nepali"}],
    )
    assert await run(ActionDetectLanguage(), dispatcher, tracker) == [SlotSet("language", "ne")]
    await run(ActionChooseLanguage(), dispatcher, tracker)
    assert dispatcher.messages[0]["response"] == "utter_language_changed"


async def test_language_button_payload_switches(make_tracker, dispatcher):
    tracker = make_tracker(
        text='/choose_language{"language":"bn"}',
        intent="choose_language",
        language="en",
        entities=[{"entity": "language", "value": "bn"}],
    )
    assert await run(ActionDetectLanguage(), dispatcher, tracker) == [SlotSet("language", "bn")]


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
