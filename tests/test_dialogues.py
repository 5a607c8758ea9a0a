"""Real conversations (tests/dialogues/): played against the running assistant; a
language whose pass rate drops below the floor fails the build. The floor is under every
language's measured rate (0.68-0.93 of whole conversations, 0.80 overall, December 2026;
0.07-0.18 before the conversation work), with room for a retrained model's small
differences: it catches a regression, and is raised as
the rate rises towards issue 13's gate of 0.85 and target of 0.95
(`python -m benchmarks.dialogues` reports them). The conversations never enter the
training data: if they did, the test would measure memory, not understanding."""

import re

import pytest
import yaml

from benchmarks import save_report
from benchmarks.dialogues import DIALOGUES_DIR, evaluate, load_dialogues
from bot import launcher
from knowledge.db import make_engine, session_factory
from knowledge.published import PublishedKnowledge
from knowledge.settings import SUPPORTED_LANGUAGES
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

MIN_PASS_RATE = 0.60
MIN_CONVERSATIONS = 25
CHECKS = {
    "safety", "asks_location", "contacts", "handoff", "topic", "fee_principle",
    "scam_warning", "remittance_figure", "fee_verdict", "form_question",
    "offers_calculator", "language_changed", "expands", "currency", "menu",
    "unanswered", "repeat", "excerpt", "greeting", "goodbye",
}  # fmt: skip
PATTERNS = {"danger", "calculator", "followup", "language", "excerpt", "today"}


def plain(text):
    return " ".join(re.findall(r"\w+", str(text).lower()))


@pytest.fixture(scope="module")
def report(assistant, built_knowledge_url):
    snapshot = PublishedKnowledge(session_factory(make_engine(built_knowledge_url)), 3600).current()
    result = evaluate(assistant.rasa_url, launcher.API_TOKEN, snapshot)
    save_report("dialogues_test_run", result)
    return result


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_conversations_pass_in_every_language(report, language):
    row = report["languages"][language]
    failed = [c for c in report["failed"] if c["id"].startswith(f"{language}-")]
    assert row["conversations"] >= MIN_CONVERSATIONS
    assert row["pass_rate"] >= MIN_PASS_RATE, failed


def test_conversations_are_well_formed():
    dialogues = load_dialogues()
    ids = [c["id"] for _, c in dialogues]
    assert len(ids) == len(set(ids))
    for language, conversation in dialogues:
        assert conversation["id"].startswith(f"{language}-")
        assert conversation["pattern"] in PATTERNS, conversation["id"]
        for turn in conversation["turns"]:
            assert isinstance(turn["user"], str) and turn["user"].strip()
            for check in (turn.get("expect") or []) + (turn.get("reject") or []):
                name = next(iter(check)) if isinstance(check, dict) else check
                assert name in CHECKS, (conversation["id"], name)


# Two messages sharing this share of their words (of at least this many: short phrases
# such as "so what do i do now" are everyone's) are one message.
NEAR_COPY, NEAR_COPY_WORDS = 0.8, 6


def test_conversations_stay_out_of_the_training_data():
    """No user message of a test conversation is a training example, an entry's phrasing
    or a held-out NLU example."""
    seen = set()
    for path in [*(ROOT / "data" / "nlu").glob("*.yml"), *(ROOT / "tests" / "nlu").glob("*.yml")]:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                seen.add(plain(re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line.strip()[2:])))
    for path in (ROOT / "knowledge" / "entries").glob("*.yml"):
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("entries", []):
            for text in (entry.get("texts") or {}).values():
                seen.update(plain(q) for q in text.get("questions") or [])
    leaked = [
        turn["user"]
        for _, conversation in load_dialogues(DIALOGUES_DIR)
        for turn in conversation["turns"]
        if len(plain(turn["user"]).split()) > 2 and plain(turn["user"]) in seen
    ]
    assert not leaked
    # Nor nearly one: the same words but one or two ("so do i pay or not" is a phrasing
    # of its own; the test message with a word changed is not).
    word_sets = [
        words for line in seen for words in [set(line.split())] if len(words) >= NEAR_COPY_WORDS
    ]
    near = [
        turn["user"]
        for _, conversation in load_dialogues(DIALOGUES_DIR)
        for turn in conversation["turns"]
        for words in [set(plain(turn["user"]).split())]
        if len(words) >= NEAR_COPY_WORDS
        and any(len(words & other) / len(words | other) >= NEAR_COPY for other in word_sets)
    ]
    assert not near
