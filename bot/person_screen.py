"""NLU pipeline component: a message that asks for a real person ("can i talk to somebody
real pls? not machine", "kono manush er sathe sorasori kotha bola jabe?", "bs ngomong sm
org beneran gk?") is classified `human_handoff`, whatever else it says: someone who asks
for a person, in danger above all, gets the people who can help, not "tell me more". The
words are each language's `person:` list in knowledge/language_data/<language>.yml, all
languages at once. A sign of danger in the same message still decides
(bot/danger_screen.py runs after this screen)."""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.screens import PhraseScreen
from knowledge.intent_words import WORD
from knowledge.text import fold

HANDOFF_INTENT = "human_handoff"
# Intents that say what to do with the conversation itself: they stay.
KEPT = frozenset({HANDOFF_INTENT, "delete_conversation", "stop", "choose_language"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PersonScreen(PhraseScreen):
    phrases_key = "person"

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT) or ""
            if intent.get("name") in KEPT or text.startswith("/"):
                continue
            if self.phrases.in_words(WORD.findall(fold(text))):
                self.relabel(
                    message,
                    {
                        "name": HANDOFF_INTENT,
                        "confidence": 1.0,
                        "person_screen": intent.get("name"),
                    },
                )
        return messages
