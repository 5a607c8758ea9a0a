"""Knowledge-base retrieval: top-1 accuracy per language on held-out paraphrases
(tests/knowledge/heldout, never in the entries), what the bot would do with them (answer,
ask which, say it does not know), and search latency at the real size and at 10,000
synthetic entries. Each figure is compared with a plain TF-IDF baseline (word unigrams,
no normalisation, no topic hint) in the same run. Prints a table; saves
benchmarks/results/retrieval.json.

    python -m benchmarks.retrieval [-v]
"""

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Text, Tuple

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from benchmarks import save_report
from knowledge.answering import ANSWER, CLARIFY, answer_question
from knowledge.db import make_engine, session_factory, upgrade
from knowledge.published import PublishedKnowledge
from knowledge.retrieval import EntryIndex, EntryText, PublishedEntry
from knowledge.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES, load_settings
from knowledge.store import ingest_documents, load_entries

HELDOUT_DIR = PROJECT_ROOT / "tests" / "knowledge" / "heldout"
MODEL = PROJECT_ROOT / "models" / "current.tar.gz"
SYNTHETIC_SIZE = 10_000
LATENCY_QUERIES = 300


class TfidfBaseline:
    """The baseline: scikit-learn's default TF-IDF over the same phrasings, best row wins."""

    def __init__(self, entries: Sequence[PublishedEntry], language: Text) -> None:
        rows, self.owners = [], []
        for entry in entries:
            text = entry.texts[language]
            for phrasing in (text.title, *text.questions):
                rows.append(phrasing)
                self.owners.append(entry.slug)
        self.vectors = TfidfVectorizer()
        self.matrix = self.vectors.fit_transform(rows)

    def top(self, question: Text) -> Text:
        scores = (self.matrix @ self.vectors.transform([question]).T).toarray().ravel()
        return self.owners[int(np.argmax(scores))] if scores.max() > 0 else ""


def heldout() -> Dict[Text, List[Tuple[Text, Text]]]:
    by_language: Dict[Text, List[Tuple[Text, Text]]] = {lang: [] for lang in SUPPORTED_LANGUAGES}
    for path in sorted(HELDOUT_DIR.glob("*.yml")):
        for slug, languages in yaml.safe_load(path.read_text("utf-8")).items():
            for language, questions in languages.items():
                by_language[language].extend((slug, q) for q in questions)
    return by_language


def timed(function: Callable[[Text], object], queries: Sequence[Text]) -> Dict[Text, float]:
    for query in queries[:20]:
        function(query)  # warm up
    laps = []
    for query in queries:
        start = time.perf_counter()
        function(query)
        laps.append((time.perf_counter() - start) * 1000)
    laps.sort()
    return {
        "p50_ms": round(statistics.median(laps), 3),
        "p95_ms": round(laps[int(0.95 * (len(laps) - 1))], 3),
    }


def rasa_intents(questions: Sequence[Text]) -> Dict[Text, Tuple[Text, float]]:
    """Rasa's intent for each question, from the trained model (empty without one)."""
    if not MODEL.exists():
        print(f"No trained model at {MODEL}: the topic-hint column is left out.")
        return {}
    import asyncio

    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))

    async def parse_all() -> Dict[Text, Tuple[Text, float]]:
        parsed = {}
        for question in questions:
            intent = (await agent.parse_message(question))["intent"]
            parsed[question] = (intent["name"], float(intent["confidence"]))
        return parsed

    return asyncio.run(parse_all())


def synthetic_entries(
    entries: Sequence[PublishedEntry], language: Text, size: int
) -> List[PublishedEntry]:
    """Entries made of the real phrasings' words, reshuffled: the same vocabulary and
    lengths as real content, at `size` entries."""
    rng = random.Random(7)
    words = [w for e in entries for q in e.texts[language].questions for w in q.split()]
    topics = sorted({e.topic for e in entries})
    made = []
    for number in range(size):
        phrasings = tuple(
            " ".join(rng.choice(words) for _ in range(rng.randint(4, 9)))
            for _ in range(rng.randint(4, 6))
        )
        made.append(
            PublishedEntry(
                slug=f"synthetic-{number}",
                topic=rng.choice(topics),
                countries=("all",),
                review_status="reviewed",
                related=(),
                texts={language: EntryText(phrasings[0][:40], phrasings, "answer")},
                sources=(),
            )
        )
    return made


def main() -> None:
    verbose = "-v" in sys.argv
    settings = load_settings({})
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'knowledge.db'}")
        upgrade(engine)
        factory = session_factory(engine)
        ingest_documents(factory, settings.documents_dir)
        load_entries(factory, settings.entries_dir, settings.references_file)
        snapshot = PublishedKnowledge(factory, 3600).current()
        engine.dispose()
    entries = list(snapshot.entries.values())
    questions = heldout()
    intents = rasa_intents([q for pairs in questions.values() for _, q in pairs])
    report: Dict[Text, Dict] = {"entries": len(entries), "languages": {}}
    print(
        f"{len(entries)} published entries; held-out paraphrases per language: "
        f"{len(questions['en'])}"
    )
    print(
        f"{'lang':<6}{'+intent':>8}{'text':>7}{'tfidf':>7}{'answered':>10}{'right|ans':>10}"
        f"{'clarify':>9}{'wrong':>7}{'p50 ms':>8}{'p95 ms':>8}{'tfidf p95':>10}"
    )
    for language in SUPPORTED_LANGUAGES:
        pairs = questions[language]
        index = snapshot.index(language)
        baseline = TfidfBaseline(entries, language)
        top = [(index.search(q, limit=1) or [None])[0] for _, q in pairs]
        hinted = (
            [(snapshot.search(q, language, *intents[q], limit=1) or [None])[0] for _, q in pairs]
            if intents
            else []
        )
        hinted_correct = (
            sum(1 for (slug, _), hit in zip(pairs, hinted, strict=True) if hit and hit.slug == slug)
            if intents
            else 0
        )
        correct = sum(
            1 for (slug, _), hit in zip(pairs, top, strict=True) if hit and hit.slug == slug
        )
        base_correct = sum(1 for slug, q in pairs if baseline.top(q) == slug)
        replies = [
            (slug, answer_question(snapshot, q, language, *intents.get(q, (None, 0.0))))
            for slug, q in pairs
        ]
        answered = [(slug, r) for slug, r in replies if r.kind == ANSWER]
        right = sum(1 for slug, r in answered if r.entry.slug == slug)
        clarify = sum(1 for _, r in replies if r.kind == CLARIFY)
        clarify_right = sum(
            1
            for slug, r in replies
            if r.kind == CLARIFY and slug in {choice.slug for choice in r.choices}
        )
        if verbose:
            for (slug, q), hit in zip(pairs, top, strict=True):
                if not hit or hit.slug != slug:
                    print(f"    miss {language} [{slug} -> {hit.slug if hit else None}] {q}")
        queries = [q for _, q in pairs] * (LATENCY_QUERIES // max(1, len(pairs)) + 1)
        ours = timed(index.search, queries[:LATENCY_QUERIES])
        theirs = timed(baseline.top, queries[:LATENCY_QUERIES])
        figures = {
            "questions": len(pairs),
            "top1_accuracy_text_only": round(correct / len(pairs), 3),
            "top1_accuracy_with_rasa_intent": round(hinted_correct / len(pairs), 3)
            if hinted
            else None,
            "tfidf_baseline_top1": round(base_correct / len(pairs), 3),
            "answered_share": round(len(answered) / len(pairs), 3),
            "correct_when_answered": round(right / max(1, len(answered)), 3),
            "clarify_share": round(clarify / len(pairs), 3),
            "clarify_offers_right_entry": round(clarify_right / max(1, clarify), 3),
            "wrong_answer_share": round((len(answered) - right) / len(pairs), 3),
            "latency": ours,
            "tfidf_latency": theirs,
        }
        report["languages"][language] = figures
        print(
            f"{language:<6}{figures['top1_accuracy_with_rasa_intent'] or 0:>8.3f}"
            f"{figures['top1_accuracy_text_only']:>7.3f}{figures['tfidf_baseline_top1']:>7.3f}"
            f"{figures['answered_share']:>10.3f}{figures['correct_when_answered']:>10.3f}"
            f"{figures['clarify_share']:>9.3f}{figures['wrong_answer_share']:>7.3f}{ours['p50_ms']:>8.2f}{ours['p95_ms']:>8.2f}"
            f"{theirs['p95_ms']:>10.2f}"
        )
    report["synthetic"] = {}
    print(f"\nSearch latency at {SYNTHETIC_SIZE:,} synthetic entries (one language):")
    for language in ("en", "ne"):
        made = synthetic_entries(entries, language, SYNTHETIC_SIZE)
        start = time.perf_counter()
        index = EntryIndex(made, language)
        build_s = time.perf_counter() - start
        baseline = TfidfBaseline(made, language)
        queries = [q for _, q in questions[language]] * 3
        ours = timed(index.search, queries[:LATENCY_QUERIES])
        theirs = timed(baseline.top, queries[:LATENCY_QUERIES])
        report["synthetic"][language] = {
            "entries": SYNTHETIC_SIZE,
            "index_build_s": round(build_s, 2),
            "latency": ours,
            "tfidf_latency": theirs,
        }
        print(
            f"  {language}: p50 {ours['p50_ms']:.2f} ms, p95 {ours['p95_ms']:.2f} ms "
            f"(TF-IDF baseline p50 {theirs['p50_ms']:.2f}, p95 {theirs['p95_ms']:.2f}); "
            f"index built in {build_s:.1f} s"
        )
    save_report("retrieval", report)


if __name__ == "__main__":
    main()
