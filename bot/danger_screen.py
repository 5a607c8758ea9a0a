"""NLU pipeline component: a message that shows a sign of danger now (knowledge/danger.py)
is classified `urgent_safety`, whatever the intent classifier predicted, so that the safety
answer comes first. Its patterns are read when the model loads: editing
knowledge/danger_signals.yml needs a restart, not retraining."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.screens import IntentScreen
from knowledge.danger import DangerSignals
from knowledge.settings import load_settings

URGENT_INTENT = "urgent_safety"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DangerScreen(IntentScreen):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"signals_file": None}

    def __init__(self, signals: DangerSignals) -> None:
        self.signals = signals

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerScreen:
        path = config.get("signals_file") or load_settings().danger_signals_file
        return cls(DangerSignals.from_file(Path(path)))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            kind = self.signals.shown_by(message.get(TEXT) or "")
            if kind is None:
                continue
            self.relabel(message, {"name": URGENT_INTENT, "confidence": 1.0, "danger_signal": kind})
        return messages
