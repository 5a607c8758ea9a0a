"""Where the person is and whom they can call there: read from their message or the
conversation's slots, and said with the contacts of knowledge/contacts.yml (emergency
numbers first, then helplines; their own country's line for citizens abroad)."""

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.language import is_button_payload
from knowledge.details import AT, FROM, HOME, country_name, vocabulary

DANGER_SLOT, LOCATION_SLOT, GIVEN_SLOT = "danger", "location", "contacts_given"
LAST_ANSWER_SLOT = "last_answer"
HOME_COUNTRY, WORK_COUNTRY = "home_country", "work_country"
SAFETY = {"kind": "safety"}
# An answer to "where are you?" is a few words ("i am in riyadh, near batha"); a longer
# message asks something of its own.
PLACE_WORDS = 8


def where_and_from(
    text: Text, language: Text, abroad: Optional[Text] = None
) -> Tuple[Optional[Text], Optional[Text]]:
    """The country a message says the person is in, and the one they come from. `abroad`:
    where a danger conversation already put the person in danger; a message that names
    only a country people come from keeps it ("ami to bangladesh e, embassy r number jani
    na": the sister is still in Oman, and Bangladesh is home)."""
    if not text or is_button_payload(text):
        return None, None
    here: Optional[Text] = None
    home: Optional[Text] = None
    places: List[Text] = []
    for mention in vocabulary(language).country_mentions(text):
        if mention.role in (FROM, HOME):
            home = home or mention.code
        elif mention.role in (AT, None) or here is None:
            here = here or mention.code
            places.append(mention.code)
    if len(places) == 2:
        # "moi je suis a thies, elle c a koweit city": of two places, the one people go
        # to work in (it only sends money in the price data) is where help is needed,
        # the other is home.
        senders, _ = services.corridor_roles()
        away = [p for p in places if p in senders]
        if len(away) == 1:
            here, home = away[0], home or next(p for p in places if p not in senders)
    elif abroad and len(places) == 1 and here != abroad:
        senders, _ = services.corridor_roles()
        if abroad in senders and here not in senders:
            here, home = abroad, home or here
    return here, home


def in_danger_at(tracker: Tracker) -> Optional[Text]:
    """Where the person in danger is, as far as the conversation knows."""
    return tracker.get_slot(LOCATION_SLOT) if tracker.get_slot(DANGER_SLOT) else None


def home_of(tracker: Tracker, events: List[Dict[Text, Any]]) -> Optional[Text]:
    """The person's own country: said in this message (`events` of location_of), or before."""
    said = (e["value"] for e in events if e.get("name") == HOME_COUNTRY)
    return next(said, tracker.get_slot(HOME_COUNTRY))


def said_to_be_in(text: Text, language: Text) -> Optional[Text]:
    """The country a message puts the person in with a word for "in" ("ma kuwait ma kaam
    garchu", "dito sa Doha"), not one it only names. "Jobs in Kuwait?" reads the same: the
    place is a guess at where help would be needed, and the contacts name it."""
    if not text or is_button_payload(text):
        return None
    return next((m.code for m in vocabulary(language).country_mentions(text) if m.role == AT), None)


def location_of(tracker: Tracker, language: Text) -> Tuple[Optional[Text], List[Dict[Text, Any]]]:
    """Where the person is: said in this message, said before, or the country they work in."""
    text = (tracker.latest_message or {}).get("text") or ""
    here, home = where_and_from(text, language, in_danger_at(tracker))
    events: List[Dict[Text, Any]] = []
    if here and here != tracker.get_slot(LOCATION_SLOT):
        events.append(SlotSet(LOCATION_SLOT, here))
    if home and not tracker.get_slot(HOME_COUNTRY):
        events.append(SlotSet(HOME_COUNTRY, home))
    return here or tracker.get_slot(LOCATION_SLOT) or tracker.get_slot(WORK_COUNTRY), events


def say_contacts(
    dispatcher: CollectingDispatcher,
    location: Text,
    home: Optional[Text],
    language: Text,
) -> List[Dict[Text, Any]]:
    """The contacts where the person is, then their own country's line for citizens abroad;
    returns the event that remembers they were given. Said a third time for one place, they
    are the first number and where the others are (bot/nlg.py)."""
    directory = services.contacts()
    here = directory.for_country(location)
    name = country_name(location, language)
    if here:
        dispatcher.utter_message(
            response="utter_local_contacts",
            country=name,
            contacts="\n".join(contact.line() for contact in here),
            first=here[0].line(),
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
    return [SlotSet(GIVEN_SLOT, location)]


def answers_where(
    dispatcher: CollectingDispatcher, tracker: Tracker, language: Text
) -> Optional[List[Dict[Text, Any]]]:
    """The bot asked where the person is, or someone in danger has no contacts yet, and
    this short message names a place: that place's contacts, and the events; None
    otherwise."""
    text = (tracker.latest_message or {}).get("text") or ""
    waiting = asked_where(tracker) or (
        tracker.get_slot(DANGER_SLOT) and not tracker.get_slot(GIVEN_SLOT)
    )
    if not waiting or len(text.split()) > PLACE_WORDS:
        return None
    here, home = where_and_from(text, language, in_danger_at(tracker))
    if here is None:
        return None
    given = say_contacts(dispatcher, here, home or tracker.get_slot(HOME_COUNTRY), language)
    return [SlotSet(LOCATION_SLOT, here)] + given


def asked_where(tracker: Tracker) -> bool:
    """Whether the bot's last message asked where the person is."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action") == "utter_ask_location"
    return False
