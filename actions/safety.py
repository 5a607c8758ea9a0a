"""The danger conversation: the safety answer first, then the assistant stays with the
person. It asks where they are, gives the contacts for that place (knowledge/contacts.yml)
and for their own country's citizens abroad, answers what follows from the knowledge base,
and never sends the same block twice. Rules (data/rules.yml) send what follows a danger
message here while the `danger` slot is set."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.contacts import (
    DANGER_SLOT,
    GIVEN_SLOT,
    LAST_ANSWER_SLOT,
    LOCATION_SLOT,
    SAFETY,
    asked_where,
    home_of,
    location_of,
    say_contacts,
    where_and_from,
)
from actions.knowledge import (
    BESIDE_SAFETY,
    answer_checked,
    any_answer,
    beyond_safety,
    changes_last_calculation,
    intent_of,
    not_danger_now,
)
from actions.language import LANGUAGE_SLOT


def mentions_place(tracker: Tracker, language: Text) -> bool:
    here, _ = where_and_from((tracker.latest_message or {}).get("text") or "", language)
    return here is not None


def new_signal(tracker: Tracker) -> bool:
    """Whether this message shows a kind of danger the conversation had not shown yet
    (wages unpaid, then "he pulled a gun"; a sister cut off, then "they lock her in")."""
    kind = ((tracker.latest_message or {}).get("intent") or {}).get("danger_signal")
    if not kind:
        return False
    users = [e for e in tracker.events if e.get("event") == "user"]
    earlier = (
        ((e.get("parse_data") or {}).get("intent") or {}).get("danger_signal") for e in users[:-1]
    )
    return kind not in earlier


def signalled(tracker: Tracker) -> bool:
    """Whether a danger signal (knowledge/danger_signals.yml), not only the intent
    classifier, put this message in danger (bot/danger_screen.py marks the intent)."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    return bool(intent.get("danger_signal")) or str(
        (tracker.latest_message or {}).get("text") or ""
    ).startswith("/")


class ActionSafety(Action):
    def name(self) -> Text:
        return "action_safety"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        language = tracker.get_slot(LANGUAGE_SLOT) or services.settings().default_language
        location, events = location_of(tracker, language)
        home = home_of(tracker, events)
        first = not tracker.get_slot(DANGER_SLOT)
        text = (tracker.latest_message or {}).get("text") or ""
        follow_up = changes_last_calculation(tracker, text, language)
        if first and follow_up and not signalled(tracker):
            # "wakha, w depuis l espagne? ma soeur est a malaga" after a transfer's cost,
            # taken for danger with no sign of it: the same calculation from there.
            from actions.followup import ActionFollowUp

            return events + ActionFollowUp().change_detail(
                dispatcher, tracker, language, text, follow_up
            )
        answered = (
            None
            if not first or signalled(tracker)
            else answer_checked(dispatcher, tracker, language, not_danger_now)
        )
        if answered is not None:
            # The classifier's guess, no sign of danger now, and a checked answer on
            # something else (no day off, a changed contract): that answer, no block.
            return events + answered
        if first:
            dispatcher.utter_message(response="utter_urgent_safety")
            events.append(SlotSet(DANGER_SLOT, True))
            # Beside it, the checked answer to what the message asks, when there is one
            # beyond what the safety answer says ("they keep all our passports, is it
            # allowed?" gets the passport rights too).
            events += (
                answer_checked(
                    dispatcher, tracker, language, beyond_safety, contacts=False, decide=False
                )
                or []
            )
        elif new_signal(tracker):
            # The danger grows: safety first again, in its short words (bot/nlg.py), and
            # the numbers for where the person is, or the question where that is; where
            # they were just given, the checked answer to what the message asks ("they
            # still have my passport, I'm afraid they report me for leaving").
            dispatcher.utter_message(response="utter_urgent_safety")
            if location and location == tracker.get_slot(GIVEN_SLOT):
                answered = answer_checked(
                    dispatcher, tracker, language, beyond_safety, contacts=False, decide=False
                )
                if answered is not None:
                    return events + answered
            if location:
                given = say_contacts(dispatcher, location, home, language)
                return events + given + [SlotSet(LAST_ANSWER_SLOT, SAFETY)]
            dispatcher.utter_message(response="utter_ask_location")
            return events + [SlotSet(LAST_ANSWER_SLOT, SAFETY)]
        said_here = any(e.get("name") == LOCATION_SLOT for e in events) or (
            location is not None and mentions_place(tracker, language)
        )
        if location and (said_here or location != tracker.get_slot(GIVEN_SLOT)):
            # Where the person says they are gets that place's numbers, even again (in
            # other words: bot/nlg.py).
            events += say_contacts(dispatcher, location, home, language)
        elif not location and (first or not asked_where(tracker)):
            dispatcher.utter_message(response="utter_ask_location")
        elif not first:
            # The contacts were given, or the question was asked twice: what comes next.
            answered = answer_checked(
                dispatcher, tracker, language, any_answer, intent_of(tracker), BESIDE_SAFETY
            )
            if answered is not None:
                return events + answered
            dispatcher.utter_message(response="utter_safety_next")
        return events + [SlotSet(LAST_ANSWER_SLOT, SAFETY)]
