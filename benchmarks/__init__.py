"""Benchmarks: each prints its figures and saves them with `save_report`."""

import json
from pathlib import Path
from typing import Any, Text

RESULTS = Path(__file__).resolve().parent / "results"


def save_report(name: Text, report: Any) -> Path:
    """Write `report` to benchmarks/results/<name>.json and say where."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"saved {path}")
    return path
