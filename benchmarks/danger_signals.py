"""How precise the danger signals are (knowledge/danger_signals.yml): per language, the
share of urgent_safety messages they catch and of other messages they wrongly flag, on the
training messages and on the held-out sets. Prints a table; saves
benchmarks/results/danger_signals.json.

    python -m benchmarks.danger_signals [-v]
"""

import sys
from pathlib import Path
from typing import Dict, List, Text, Tuple

import yaml

from benchmarks import save_report
from knowledge.danger import DangerSignals
from knowledge.language import ENTITY_ANNOTATION
from knowledge.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES, load_settings

URGENT = "urgent_safety"


def labelled(directory: Path) -> Dict[Text, List[Tuple[Text, Text]]]:
    """(message, intent) pairs per language from Rasa NLU files named <language>.yml."""
    out: Dict[Text, List[Tuple[Text, Text]]] = {}
    for language in SUPPORTED_LANGUAGES:
        blocks = yaml.safe_load((directory / f"{language}.yml").read_text(encoding="utf-8"))
        out[language] = [
            (ENTITY_ANNOTATION.sub(r"\1", line.strip()[2:]), block["intent"])
            for block in blocks["nlu"]
            for line in str(block.get("examples", "")).splitlines()
            if line.strip().startswith("- ")
        ]
    return out


def measure(signals: DangerSignals, examples: List[Tuple[Text, Text]], verbose: bool) -> Dict:
    urgent = [t for t, i in examples if i == URGENT]
    other = [(t, i) for t, i in examples if i != URGENT]
    caught = [t for t in urgent if signals.shown_by(t)]
    false_alarms = [(t, i) for t, i in other if signals.shown_by(t)]
    if verbose:
        for text, intent in false_alarms:
            print(f"    false alarm ({intent}): {text}")
    return {
        "urgent_messages": len(urgent),
        "recall": round(len(caught) / max(1, len(urgent)), 3),
        "false_alarm_rate": round(len(false_alarms) / max(1, len(other)), 4),
        "false_alarms": false_alarms,
    }


def main() -> None:
    verbose = "-v" in sys.argv
    settings = load_settings({})
    signals = DangerSignals.from_file(settings.danger_signals_file)
    report = {}
    print(f"{'language':<9}{'set':<10}{'recall':>8}{'false alarms':>14}")
    for name, directory in (
        ("training", settings.typed_examples_dir),
        ("held-out", PROJECT_ROOT / "tests" / "nlu"),
    ):
        for language, examples in labelled(directory).items():
            row = measure(signals, examples, verbose)
            report[f"{language}/{name}"] = row
            print(f"{language:<9}{name:<10}{row['recall']:>8.2f}{row['false_alarm_rate']:>14.3f}")
    save_report("danger_signals", report)


if __name__ == "__main__":
    main()
