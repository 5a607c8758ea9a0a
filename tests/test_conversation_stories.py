"""Runs the conversation tests (tests/conversations/) with `rasa test core` against the
trained model and fails on any wrong prediction."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import MODEL, ROOT


def test_conversation_stories_pass(tmp_path):
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [
            str(rasa),
            "test",
            "core",
            "--model",
            str(MODEL),
            "--stories",
            "tests/conversations",
            "--out",
            str(tmp_path),
            "--fail-on-prediction-errors",
            "--no-plot",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}\n{details}"
