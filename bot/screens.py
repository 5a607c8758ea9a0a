"""What the NLU screens share (bot/danger_screen.py, bot/detail_screen.py,
bot/said_screen.py): components after the intent classifier that decide a message's intent
from data, not from training, and put it first in the ranking."""

from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import GraphComponent
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


class IntentScreen(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [IntentClassifier]

    @staticmethod
    def relabel(message: Message, intent: Dict[Text, Any]) -> None:
        """Give the message `intent` ({"name", "confidence", and why}), first in the
        ranking; the classifier's other guesses stay below it."""
        ranking = [
            r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent["name"]
        ]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
