"""A request to talk to a person: the contacts the deploying organisation configured."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services


class ActionHumanHandoff(Action):
    def name(self) -> Text:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        config = services.settings()
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
        return []
