"""The conversation's language: decided after every user message, changed on request."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.intent_words import WORD
from knowledge.settings import SUPPORTED_LANGUAGES
from knowledge.text import fold

LANGUAGE_SLOT = "language"
CHOOSE_LANGUAGE_INTENT = "choose_language"
# A language request with this many other words also asks a question, which is answered.
QUESTION_WORDS = 3
# Politeness and filler that carry no question.
FILLERS = frozenset(
    "please pls plz ok okay thanks thank you sir madam hajur po bhai bro vai kak mam".split()
)


def forced_language(tracker: Tracker) -> Optional[Text]:
    """The language a client sets with `metadata.language` (e.g. a web chat's picker)."""
    forced = ((tracker.latest_message or {}).get("metadata") or {}).get("language")
    if isinstance(forced, str) and forced.lower() in SUPPORTED_LANGUAGES:
        return forced.lower()
    return None


def named_language(tracker: Tracker) -> Optional[Text]:
    """The language a language-choice message names ("in Nepali please", a button). A
    language named in a question about something else ("nepali rupiya ma kati huncha?",
    "I am filipina…") is no request to change: the message needs a word that asks for a
    language, or nothing but the language's name."""
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    asked = services.language_identifier().asks_for_language(text)
    if (message.get("intent") or {}).get("name") != CHOOSE_LANGUAGE_INTENT and not asked:
        return None
    if not is_button_payload(text) and question_words(text) and not asked:
        return None
    identifier = services.language_identifier()
    # While a calculator asks for a country, "from Nepal" names a country, not a language.
    countries_too = not tracker.active_loop.get("name")
    if asked:
        # The name nearest the words that ask ("jawab pake english? my friend is from
        # Nepal") wins over any other language or country the model tagged.
        named = identifier.named_language(text, countries_too)
        if named:
            return named
    for entity in message.get("entities") or []:
        if entity.get("entity") == LANGUAGE_SLOT:
            named = identifier.named_language(str(entity.get("value", "")), countries_too)
            if named:
                return named
    return identifier.named_language(message.get("text") or "", countries_too)


def is_button_payload(text: Text) -> bool:
    return text.startswith("/")


def question_words(text: Text) -> List[Text]:
    """The words of a message beyond language names and the words that ask for one: what
    is left is a question to answer too ("in Arabic please, what are my rights?")."""
    identifier = services.language_identifier()
    return [
        word
        for word in WORD.findall(fold(text))
        if word not in identifier.names and word not in identifier.requests and word not in FILLERS
    ]


class ActionReadMessage(Action):
    """The custom slot mapping action_extract_slots runs after every user message: the
    conversation's `language`, and where the person says they are (`location`: "ana f
    fransa hadi 3 snin" said in a greeting is where a transfer goes from later). In danger,
    the safety action decides where the person is (a home country named there is not
    where the danger is)."""

    def name(self) -> Text:
        return "action_read_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        from actions.contacts import DANGER_SLOT, LOCATION_SLOT, said_to_be_in

        current = tracker.get_slot(LANGUAGE_SLOT)
        text = (tracker.latest_message or {}).get("text") or ""
        language = forced_language(tracker) or named_language(tracker)
        if language is None:
            if is_button_payload(text):
                return []
            language = services.language_identifier().conversation_language(
                text, current, services.settings().default_language
            )
        events = [] if language == current else [SlotSet(LANGUAGE_SLOT, language)]
        here = None if tracker.get_slot(DANGER_SLOT) else said_to_be_in(text, language)
        if here and here != tracker.get_slot(LOCATION_SLOT):
            events.append(SlotSet(LOCATION_SLOT, here))
        return events


class ActionChooseLanguage(Action):
    """Confirms a language the user named, or shows the language buttons."""

    def name(self) -> Text:
        return "action_choose_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        # Imported here: the answering action imports this module for the slot's name.
        from actions.knowledge import answer

        text = (tracker.latest_message or {}).get("text") or ""
        question = not is_button_payload(text) and len(question_words(text)) >= QUESTION_WORDS
        named = named_language(tracker)
        if named:
            dispatcher.utter_message(response="utter_language_changed")
        elif not question:
            dispatcher.utter_message(response="utter_choose_language")
        if question:
            language = tracker.get_slot(LANGUAGE_SLOT) or services.settings().default_language
            # The question beside the request ("write in bangla, what is the cheapest way
            # to send money?"), or one the classifier took for a language request ("انا
            # فلبينية… هيك مسموح؟"): matched as a question on a topic is.
            return answer(dispatcher, tracker, language, a_question=True)
        return []
