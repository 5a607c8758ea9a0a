"""NLU quality on two held-out sets, never trained on: tests/nlu/<language>.yml (read
while improving the training data, so its figures lean optimistic) and the blind set
tests/nlu/blind/<language>.yml (written by native speakers who saw neither the training
data nor the other sets). Per language and set: intent macro-F1, urgent-safety recall,
language identification accuracy, and the most frequent intent confusions. Prints a table
and saves benchmarks/results/nlu_quality.json ("languages": the held-out set, "blind").

    python -m benchmarks.nlu_quality [--model models/current.tar.gz]
"""

import argparse
import asyncio
import logging
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Text, Tuple

from sklearn.metrics import f1_score

from benchmarks import save_report
from knowledge.language import LanguageIdentifier
from knowledge.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES, load_settings

HELD_OUT = PROJECT_ROOT / "tests" / "nlu"
SETS = {"languages": HELD_OUT, "blind": HELD_OUT / "blind"}
TARGET_F1, TARGET_LANGUAGE_ID = 0.90, 0.97


def held_out_examples(language: Text, directory: Path = HELD_OUT) -> List[Tuple[Text, Text]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(directory / f"{language}.yml"))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


async def _predict(model: Path, texts: List[Text]) -> List[Text]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa would log every parsed message

    agent = Agent.load(str(model))
    predictions = []
    for text in texts:
        parsed = await agent.parse_message(text)
        predictions.append(parsed["intent"]["name"])
    return predictions


def evaluate(model: Path) -> Dict[Text, Any]:
    settings = load_settings({})
    identifier = LanguageIdentifier.from_directory(
        settings.language_data_dir, settings.typed_examples_dir
    )
    examples = {
        (name, language): held_out_examples(language, directory)
        for name, directory in SETS.items()
        for language in SUPPORTED_LANGUAGES
    }
    texts = [text for found in examples.values() for text, _ in found]
    predicted = iter(asyncio.run(_predict(model, texts)))
    report: Dict[Text, Any] = {name: {} for name in SETS}
    confusions: Counter = Counter()
    for (name, language), found in examples.items():
        guesses = [next(predicted) for _ in found]
        report[name][language] = _scores(identifier, language, found, guesses)
        if name == "languages":
            confusions.update((t, g) for (_, t), g in zip(found, guesses, strict=True) if t != g)
    report["confusions"] = [
        {"intent": t, "predicted": g, "count": n} for (t, g), n in confusions.most_common(15)
    ]
    return report


def _scores(
    identifier: LanguageIdentifier,
    language: Text,
    examples: List[Tuple[Text, Text]],
    guesses: List[Text],
) -> Dict[Text, Any]:
    truth = [intent for _, intent in examples]
    texts = [text for text, _ in examples]
    identified = [identifier.identify(text).language for text in texts]
    # In a conversation: stays in the user's language, and follows a change into it.
    other = "fr" if language == "en" else "en"
    kept = [identifier.conversation_language(t, language, other) for t in texts]
    followed = [identifier.conversation_language(t, other, other) for t in texts]
    misidentified = [(t, g) for t, g in zip(texts, identified, strict=True) if g != language]
    return {
        "examples": len(truth),
        "intent_macro_f1": round(
            f1_score(truth, guesses, labels=sorted(set(truth)), average="macro"), 4
        ),
        # Missing a message about danger is the costliest error: report it on its own.
        "urgent_safety_recall": round(
            sum(t == g == "urgent_safety" for t, g in zip(truth, guesses, strict=True))
            / max(1, truth.count("urgent_safety")),
            4,
        ),
        "language_id_accuracy": round(1 - len(misidentified) / len(truth), 4),
        "language_kept_in_conversation": round(kept.count(language) / len(truth), 4),
        "language_change_followed": round(followed.count(language) / len(truth), 4),
        "misidentified": misidentified,
        "errors": [(x, t, g) for (x, t), g in zip(examples, guesses, strict=True) if t != g],
    }


def print_report(report: Dict[Text, Any]) -> None:
    for name, title in (("languages", "held-out set"), ("blind", "blind set")):
        print(
            f"{title:<13}{'examples':>9}{'intent F1':>11}{'safety':>8}{'lang-id':>9}"
            f"{'kept':>7}{'switch':>8}"
        )
        for language, row in report[name].items():
            flag = "" if row["intent_macro_f1"] >= TARGET_F1 else "  < target F1"
            flag += (
                "" if row["language_id_accuracy"] >= TARGET_LANGUAGE_ID else "  < target lang-id"
            )
            print(
                f"{language:<13}{row['examples']:>9}{row['intent_macro_f1']:>11.3f}"
                f"{row['urgent_safety_recall']:>8.2f}"
                f"{row['language_id_accuracy']:>9.3f}{row['language_kept_in_conversation']:>7.3f}"
                f"{row['language_change_followed']:>8.3f}{flag}"
            )
        print()
    print("Most frequent confusions on the held-out set (true -> predicted):")
    for row in report["confusions"]:
        print(f"  {row['count']:>3}  {row['intent']} -> {row['predicted']}")


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(PROJECT_ROOT / "models" / "current.tar.gz"))
    args = parser.parse_args()
    report = evaluate(Path(args.model))
    print_report(report)
    save_report("nlu_quality", report)


if __name__ == "__main__":
    main()
