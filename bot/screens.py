"""What the NLU screens share (bot/danger_screen.py, bot/detail_screen.py,
bot/said_screen.py, bot/more_screen.py, bot/person_screen.py): components after the intent
classifier that decide a message's intent from data, not from training, and put it first
in the ranking."""

from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Text, Tuple, Type

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from knowledge.intent_words import WORD
from knowledge.settings import SUPPORTED_LANGUAGES, load_settings
from knowledge.text import fold


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


class PhraseScreen(IntentScreen):
    """A screen that decides from one list of phrases of every language (`phrases_key`)."""

    phrases_key: Text = ""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"language_data_dir": None}

    def __init__(self, phrases: "Phrases") -> None:
        self.phrases = phrases

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "PhraseScreen":
        directory: Optional[Text] = config.get("language_data_dir")
        language_data = Path(directory) if directory else load_settings().language_data_dir
        return cls(Phrases.read(language_data, cls.phrases_key))


class Phrases:
    """One list of phrases of every language (`<key>:` in
    knowledge/language_data/<language>.yml), found in a message's folded words: the
    conversation's language is not known in the NLU pipeline."""

    def __init__(self, phrases: FrozenSet[Tuple[Text, ...]]) -> None:
        self.phrases = phrases
        self.longest = max((len(p) for p in phrases), default=0)

    @classmethod
    def read(cls, directory: Path, key: Text) -> "Phrases":
        phrases = set()
        for language in SUPPORTED_LANGUAGES:
            path = directory / f"{language}.yml"
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for phrase in data.get(key) or ():
                words = tuple(WORD.findall(fold(str(phrase))))
                if words:
                    phrases.add(words)
        return cls(frozenset(phrases))

    def in_words(self, words: Sequence[Text]) -> bool:
        return any(
            tuple(words[start : start + size]) in self.phrases
            for size in range(1, self.longest + 1)
            for start in range(len(words) - size + 1)
        )
