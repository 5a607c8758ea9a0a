"""The danger conversation: the safety answer first, then the assistant stays with the
person. It asks where they are, gives the contacts for that place (knowledge/contacts.yml)
and for their own country's citizens abroad, answers what follows from the knowledge base,
and never sends the same block twice. Rules (data/rules.yml) send what follows a danger
message here while the `danger` slot is set."""

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.knowledge import answer_in_context
from actions.language import LANGUAGE_SLOT, is_button_payload
from knowledge.details import AT, FROM, HOME, country_name, vocabulary

DANGER_SLOT, LOCATION_SLOT, GIVEN_SLOT = "danger", "location", "contacts_given"
LAST_ANSWER_SLOT = "last_answer"
HOME_COUNTRY, WORK_COUNTRY = "home_country", "work_country"
SAFETY = {"kind": "safety"}


def where_and_from(text: Text, language: Text) -> Tuple[Optional[Text], Optional[Text]]:
    """The country a message says the person is in, and the one they come from."""
    if not text or is_button_payload(text):
        return None, None
    here: Optional[Text] = None
    home: Optional[Text] = None
    for mention in vocabulary(language).country_mentions(text):
        if mention.role in (FROM, HOME):
            home = home or mention.code
        elif mention.role in (AT, None) or here is None:
            here = here or mention.code
    return here, home


def location_of(tracker: Tracker, language: Text) -> Tuple[Optional[Text], List[Dict[Text, Any]]]:
    """Where the person is: said in this message, said before, or the country they work in."""
    text = (tracker.latest_message or {}).get("text") or ""
    here, home = where_and_from(text, language)
    events: List[Dict[Text, Any]] = []
    if here and here != tracker.get_slot(LOCATION_SLOT):
        events.append(SlotSet(LOCATION_SLOT, here))
    if home and not tracker.get_slot(HOME_COUNTRY):
        events.append(SlotSet(HOME_COUNTRY, home))
    return here or tracker.get_slot(LOCATION_SLOT) or tracker.get_slot(WORK_COUNTRY), events


def say_contacts(
    dispatcher: CollectingDispatcher, location: Text, home: Optional[Text], language: Text
) -> None:
    """The contacts where the person is, then their own country's line for citizens abroad."""
    directory = services.contacts()
    here = directory.for_country(location)
    name = country_name(location, language)
    if here:
        dispatcher.utter_message(
            response="utter_local_contacts",
            country=name,
            contacts="\n".join(contact.line() for contact in here),
        )
    else:
        dispatcher.utter_message(response="utter_no_local_contacts", country=name)
    own = [c for c in directory.for_country(home, limit=2) if c.kind != "emergency"]
    if home and home != location and own:
        dispatcher.utter_message(
            response="utter_home_contacts",
            home_country=country_name(home, language),
            contacts="\n".join(contact.line() for contact in own),
        )


class ActionSafety(Action):
    def name(self) -> Text:
        return "action_safety"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        language = tracker.get_slot(LANGUAGE_SLOT) or services.settings().default_language
        location, events = location_of(tracker, language)
        home = next(
            (e["value"] for e in events if e.get("name") == HOME_COUNTRY),
            tracker.get_slot(HOME_COUNTRY),
        )
        first = not tracker.get_slot(DANGER_SLOT)
        if first:
            dispatcher.utter_message(response="utter_urgent_safety")
            events.append(SlotSet(DANGER_SLOT, True))
        if location and location != tracker.get_slot(GIVEN_SLOT):
            say_contacts(dispatcher, location, home, language)
            events.append(SlotSet(GIVEN_SLOT, location))
        elif not location and (first or not self._asked_location_last(tracker)):
            dispatcher.utter_message(response="utter_ask_location")
        elif not first:
            # The contacts were given, or the question was asked twice: what comes next.
            if not answer_in_context(dispatcher, tracker, language):
                dispatcher.utter_message(response="utter_safety_next")
        return events + [SlotSet(LAST_ANSWER_SLOT, SAFETY)]

    @staticmethod
    def _asked_location_last(tracker: Tracker) -> bool:
        """Whether the bot's last message asked where the person is (not asked twice)."""
        for event in reversed(tracker.events):
            if event.get("event") == "bot":
                return (event.get("metadata") or {}).get("utter_action") == "utter_ask_location"
        return False
