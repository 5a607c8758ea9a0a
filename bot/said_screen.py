"""NLU pipeline component: an intent that deletes something is kept only when the
message has a word that mostly means it (knowledge/intent_words.py, from the training
data); otherwise the message was not understood (`nlu_fallback`). The classifier's guess
at words it does not know ("ha? di ko po gets yung sinabi mo" taken for "delete my
conversation") never deletes anyone's conversation. Buttons are not screened."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.screens import IntentScreen
from knowledge.intent_words import distinctive_words, words_in
from knowledge.settings import load_settings

FALLBACK_INTENT = "nlu_fallback"


# A word and one of the intent's words with this many first letters in common are one word
# in another form ("bórralo", "borra"; "elimines", "elimina").
SAME_STEM = 5


def said(words: FrozenSet[Text], intent_words: FrozenSet[Text]) -> bool:
    return bool(words & intent_words) or any(
        len(word) >= SAME_STEM and word[:SAME_STEM] == known[:SAME_STEM]
        for word in words
        for known in intent_words
        if len(known) >= SAME_STEM
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SaidScreen(IntentScreen):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Each intent with the share of a word's uses that must be its own: deleting a
        # conversation cannot be undone, so its words must be nearly always about it.
        # ("stop" outside a calculator only says "OK"; in one, the form checks its words.)
        return {"intents": {"delete_conversation": 0.7}, "examples_dir": None}

    def __init__(self, words: Dict[Text, FrozenSet[Text]]) -> None:
        self.words = words

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SaidScreen:
        directory: Optional[Text] = config.get("examples_dir")
        examples = Path(directory) if directory else load_settings().typed_examples_dir
        return cls(
            {
                intent: distinctive_words(examples, [intent], share=float(share))
                for intent, share in config["intents"].items()
            }
        )

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name, text = intent.get("name"), message.get(TEXT) or ""
            if name not in self.words or text.startswith("/"):
                continue
            if said(words_in(text), self.words[name]):
                continue
            self.relabel(
                message,
                {
                    "name": FALLBACK_INTENT,
                    "confidence": float(intent.get("confidence") or 0.0),
                    "said_screen": name,
                },
            )
        return messages
