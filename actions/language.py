"""The conversation's language: decided after every user message, changed on request."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from knowledge.settings import SUPPORTED_LANGUAGES

LANGUAGE_SLOT = "language"
CHOOSE_LANGUAGE_INTENT = "choose_language"


def forced_language(tracker: Tracker) -> Optional[Text]:
    """The language a client sets with `metadata.language` (e.g. a web chat's picker)."""
    forced = ((tracker.latest_message or {}).get("metadata") or {}).get("language")
    if isinstance(forced, str) and forced.lower() in SUPPORTED_LANGUAGES:
        return forced.lower()
    return None


def named_language(tracker: Tracker) -> Optional[Text]:
    """The language a language-choice message names ("in Nepali please", a button)."""
    message = tracker.latest_message or {}
    if (message.get("intent") or {}).get("name") != CHOOSE_LANGUAGE_INTENT:
        return None
    identifier = services.language_identifier()
    # While a calculator asks for a country, "from Nepal" names a country, not a language.
    countries_too = not tracker.active_loop.get("name")
    for entity in message.get("entities") or []:
        if entity.get("entity") == LANGUAGE_SLOT:
            named = identifier.named_language(str(entity.get("value", "")), countries_too)
            if named:
                return named
    return identifier.named_language(message.get("text") or "", countries_too)


def is_button_payload(text: Text) -> bool:
    return text.startswith("/")


class ActionDetectLanguage(Action):
    """Fills the `language` slot (custom slot mapping, run by action_extract_slots)."""

    def name(self) -> Text:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        current = tracker.get_slot(LANGUAGE_SLOT)
        language = forced_language(tracker) or named_language(tracker)
        if language is None:
            text = (tracker.latest_message or {}).get("text") or ""
            if is_button_payload(text):
                return []
            language = services.language_identifier().conversation_language(
                text, current, services.settings().default_language
            )
        return [] if language == current else [SlotSet(LANGUAGE_SLOT, language)]


class ActionChooseLanguage(Action):
    """Confirms a language the user named, or shows the language buttons."""

    def name(self) -> Text:
        return "action_choose_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if named_language(tracker):
            dispatcher.utter_message(response="utter_language_changed")
        else:
            dispatcher.utter_message(response="utter_choose_language")
        return []
