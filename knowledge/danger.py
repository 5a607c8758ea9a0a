"""Signs that a message is about someone in danger now (passport taken, locked in,
violence, wages withheld for months, sold or escaped), from knowledge/danger_signals.yml.

A net under the intent classifier: a message showing one gets the safety answer first."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Pattern, Text

import yaml

from knowledge.text import fold


@dataclass(frozen=True)
class DangerSignal:
    kind: Text
    pattern: Pattern[Text]
    also: Optional[Pattern[Text]] = None

    def shown_by(self, text: Text) -> bool:
        return bool(self.pattern.search(text)) and (
            self.also is None or bool(self.also.search(text))
        )


class DangerSignals:
    def __init__(self, signals: List[DangerSignal]) -> None:
        self.signals = signals

    @classmethod
    def from_file(cls, path: Path) -> "DangerSignals":
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        signals = []
        for kind, entries in raw.items():
            for entry in entries:
                if isinstance(entry, str):
                    signals.append(DangerSignal(kind, re.compile(entry)))
                else:
                    signals.append(
                        DangerSignal(kind, re.compile(entry["pattern"]), re.compile(entry["with"]))
                    )
        return cls(signals)

    def shown_by(self, text: Text) -> Optional[Text]:
        """The kind of danger the message shows, or None."""
        normalised = fold(text or "")
        for signal in self.signals:
            if signal.shown_by(normalised):
                return signal.kind
        return None
