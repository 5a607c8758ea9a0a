"""NLU quality on the held-out sets (tests/nlu/<language>.yml, never trained on):
intent macro-F1 per language, language identification accuracy per language, and the
most frequent intent confusions. Prints a table and saves benchmarks/results/nlu_quality.json.

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
TARGET_F1, TARGET_LANGUAGE_ID = 0.90, 0.97


def held_out_examples(language: Text) -> List[Tuple[Text, Text]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(HELD_OUT / f"{language}.yml"))
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
    examples = {language: held_out_examples(language) for language in SUPPORTED_LANGUAGES}
    texts = [text for language in SUPPORTED_LANGUAGES for text, _ in examples[language]]
    predicted = iter(asyncio.run(_predict(model, texts)))
    report: Dict[Text, Any] = {"languages": {}, "confusions": []}
    confusions: Counter = Counter()
    for language in SUPPORTED_LANGUAGES:
        truth = [intent for _, intent in examples[language]]
        guesses = [next(predicted) for _ in truth]
        texts_here = [text for text, _ in examples[language]]
        identified = [identifier.identify(text).language for text in texts_here]
        # In a conversation: stays in the user's language, and follows a change into it.
        other = "fr" if language == "en" else "en"
        kept = [identifier.conversation_language(t, language, other) for t in texts_here]
        followed = [identifier.conversation_language(t, other, other) for t in texts_here]
        misidentified = [
            (text, guess)
            for (text, _), guess in zip(examples[language], identified, strict=False)
            if guess != language
        ]
        confusions.update((t, g) for t, g in zip(truth, guesses, strict=False) if t != g)
        report["languages"][language] = {
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
            "errors": [
                (text, t, g)
                for (text, t), g in zip(examples[language], guesses, strict=False)
                if t != g
            ],
        }
    report["confusions"] = [
        {"intent": t, "predicted": g, "count": n} for (t, g), n in confusions.most_common(15)
    ]
    return report


def print_report(report: Dict[Text, Any]) -> None:
    print(
        f"{'language':<9}{'examples':>9}{'intent F1':>11}{'safety':>8}{'lang-id':>9}"
        f"{'kept':>7}{'switch':>8}"
    )
    for language, row in report["languages"].items():
        flag = "" if row["intent_macro_f1"] >= TARGET_F1 else "  < target F1"
        flag += "" if row["language_id_accuracy"] >= TARGET_LANGUAGE_ID else "  < target lang-id"
        print(
            f"{language:<9}{row['examples']:>9}{row['intent_macro_f1']:>11.3f}"
            f"{row['urgent_safety_recall']:>8.2f}"
            f"{row['language_id_accuracy']:>9.3f}{row['language_kept_in_conversation']:>7.3f}"
            f"{row['language_change_followed']:>8.3f}{flag}"
        )
    print("\nMost frequent confusions (true -> predicted):")
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
