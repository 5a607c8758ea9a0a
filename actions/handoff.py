"""A request to talk to a person. Where a helpdesk webhook is configured, the conversation
is handed over to it (a Chatwoot-style inbox picks it up and answers on the same channel)
and the user is told honestly what happens next and when; otherwise the bot gives the
contacts the deploying organisation configured. Either way it also gives the helplines
where the person is (or asks where that is): never a dead end."""

import asyncio
import datetime
import logging
from typing import Any, Dict, List, Optional, Text

import requests
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.contacts import home_of, location_of, say_contacts
from actions.language import LANGUAGE_SLOT

logger = logging.getLogger(__name__)

RECENT_MESSAGES = 10
TIMEOUT = (3, 5)


def handoff_payload(tracker: Tracker, language: Text) -> Dict[Text, Any]:
    """What the helpdesk needs to pick the conversation up: who (the channel's own id, to
    answer on the same channel), which channel and language, and the user's last messages."""
    messages = [
        {"from": "user" if e["event"] == "user" else "bot", "text": e.get("text") or ""}
        for e in tracker.events
        if e.get("event") in ("user", "bot") and (e.get("text") or "").strip()
    ][-RECENT_MESSAGES:]
    return {
        "conversation_id": tracker.sender_id,
        "channel": tracker.get_latest_input_channel(),
        "language": language,
        "requested_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "messages": messages,
    }


def post_handoff(url: Text, token: Optional[Text], payload: Dict[Text, Any]) -> bool:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        reply = requests.post(url, json=payload, headers=headers, timeout=TIMEOUT)
    except requests.RequestException as error:
        logger.error("Handoff webhook unreachable: %s", error.__class__.__name__)
        return False
    if not 200 <= reply.status_code < 300:
        logger.error("Handoff webhook answered %s", reply.status_code)
        return False
    return True


class ActionHumanHandoff(Action):
    def name(self) -> Text:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        config = services.settings()
        language = tracker.get_slot(LANGUAGE_SLOT) or config.default_language
        if config.handoff_webhook_url:
            payload = handoff_payload(tracker, language)
            handed_over = await asyncio.get_running_loop().run_in_executor(
                None,
                post_handoff,
                config.handoff_webhook_url,
                config.handoff_webhook_token,
                payload,
            )
            if handed_over:
                if config.handoff_hours:
                    dispatcher.utter_message(
                        response="utter_handoff_forwarded", hours=config.handoff_hours
                    )
                else:
                    dispatcher.utter_message(response="utter_handoff_forwarded_anytime")
                return []
        if not config.handoff_contacts:
            dispatcher.utter_message(response="utter_handoff_unavailable")
        elif config.handoff_hours:
            dispatcher.utter_message(
                response="utter_handoff_available",
                contacts=list(config.handoff_contacts),
                hours=config.handoff_hours,
            )
        else:
            dispatcher.utter_message(
                response="utter_handoff_available_anytime",
                contacts=list(config.handoff_contacts),
            )
        return self.local_help(dispatcher, tracker, language)

    @staticmethod
    def local_help(
        dispatcher: CollectingDispatcher, tracker: Tracker, language: Text
    ) -> List[Dict[Text, Any]]:
        """The helplines where the person is, or the question where that is."""
        location, events = location_of(tracker, language)
        if location:
            home = home_of(tracker, events)
            return events + say_contacts(dispatcher, location, home, language)
        dispatcher.utter_message(response="utter_ask_location")
        return events
