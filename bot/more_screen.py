"""NLU pipeline component: a short message that asks to go on with the last answer, or says
it was not understood ("dime mas", "dis m en plus", "mesh fahem, fasserli aktar", "bujhi
nai, ektu khule bolen"), is classified `tell_more` when the classifier took it for small
talk or did not understand it (goodbye, out of scope, the menu...). The words are each
language's `more:` list in knowledge/language_data/<language>.yml, all languages at once:
the conversation's language is not known here. A longer message, or one the classifier
put on a topic, is a question of its own."""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.screens import PhraseScreen
from knowledge.intent_words import WORD
from knowledge.text import fold

MORE_INTENT = "tell_more"
# What the classifier says of such a message that is not a question of its own. A place
# or an amount read by bot/detail_screen.py stays a detail ("and for Canada?"). Taken for
# anything else ("I don't understand, help", a topic), it is marked: the menu or the
# answer, unless there is a last answer to go on with. "Explain X" asks about X: only words
# that ask for more of the last answer are listed.
SMALL_TALK = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "out_of_scope",
        "nlu_fallback",
        "bot_capabilities",
        "give_details",
    }
)
SHORT = 8
ASKS_MORE = "asks_more"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MoreScreen(PhraseScreen):
    phrases_key = "more"

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT) or ""
            if intent.get("detail_screen") or text.startswith("/"):
                continue
            words = WORD.findall(fold(text))
            if len(words) > SHORT or not self.phrases.in_words(words):
                continue
            if intent.get("name") not in SMALL_TALK:
                # "mesh fahem, sa3edni" taken for help, "يعني ايه الكلام ده؟ اشرحلي" taken
                # for a topic: marked; the dialogue knows whether there is a last answer
                # to go on with (actions/knowledge.py).
                message.set(INTENT, {**intent, ASKS_MORE: True}, add_to_output=True)
                continue
            self.relabel(
                message,
                {
                    "name": MORE_INTENT,
                    "confidence": 1.0,
                    "more_screen": intent.get("name"),
                },
            )
        return messages
