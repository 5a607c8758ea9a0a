"""Quality gate: the trained model on the held-out sets. A language whose intent macro-F1
drops below 0.85, or whose language identification drops below 0.95, fails the build, and
so does one whose urgent-safety recall on the blind set drops below 0.95. (Targets are
higher: 0.90 and 0.97; `make bench` reports them.)"""

import re

import pytest
import yaml

from benchmarks import save_report
from benchmarks.nlu_quality import HELD_OUT, SETS, evaluate
from knowledge.settings import SUPPORTED_LANGUAGES
from tests.conftest import MODEL, ROOT
from tests.test_dialogues import plain

MIN_F1, MIN_LANGUAGE_ID, MIN_SAFETY_RECALL = 0.85, 0.95, 0.95


@pytest.fixture(scope="module")
def report():
    result = evaluate(MODEL)
    save_report("nlu_quality_test_run", result)
    return result


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_intent_f1_on_held_out_set(report, language):
    row = report["languages"][language]
    assert row["examples"] >= 100
    assert row["intent_macro_f1"] >= MIN_F1, row["errors"]


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_language_identification_on_held_out_set(report, language):
    row = report["languages"][language]
    assert row["language_id_accuracy"] >= MIN_LANGUAGE_ID, row["misidentified"]


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_urgent_safety_recall_on_the_blind_set(report, language):
    row = report["blind"][language]
    assert row["urgent_safety_recall"] >= MIN_SAFETY_RECALL, row["errors"]


def _examples(path):
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
        for line in str(block.get("examples", "")).splitlines():
            if line.strip().startswith("- "):
                yield plain(re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line.strip()[2:]))


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_held_out_sets_stay_out_of_the_training_data(language):
    """No held-out message of more than two words is a training example ("hi" and "ok
    thanks" are everyone's)."""
    trained = set(_examples(ROOT / "data" / "nlu" / f"{language}.yml"))
    for directory in SETS.values():
        held = [t for t in _examples(directory / f"{language}.yml") if len(t.split()) > 2]
        assert not [t for t in held if t in trained], directory
    assert HELD_OUT in SETS.values()
