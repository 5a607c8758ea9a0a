"""The calculators' costs: reading a message (amounts, currencies, countries, job) per
language, looking up a corridor, and importing a provider-level World Bank file of
100,000 rows. Each is compared with a baseline in the same run: tokenising the message
only; the same lookup on the shipped data alone; reading the same CSV with csv.reader and
nothing else. Prints a table; saves benchmarks/results/calculators.json.

    python -m benchmarks.calculators
"""

import csv
import io
import random
import statistics
import string
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Callable, Dict, List, Sequence

import yaml

from benchmarks import save_report
from knowledge import remittances
from knowledge.db import make_engine, session_factory, upgrade
from knowledge.details import tokens, vocabulary
from knowledge.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES, load_settings

CASES_DIR = PROJECT_ROOT / "tests" / "calculators" / "cases"
ROWS = 100_000
LOOKUPS = 2_000
HEADER = (
    "period,source_code,source_name,destination_code,destination_name,firm,firm_type,"
    "cc1 fx margin,cc1 total cost %,transparent"
)


def percentiles(samples: Sequence[float]) -> Dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(1000 * statistics.median(ordered), 4),
        "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 4),
    }


def timed(function: Callable, items: Sequence) -> List[float]:
    samples = []
    for item in items:
        started = time.perf_counter()
        function(item)
        samples.append(time.perf_counter() - started)
    return samples


def reading() -> Dict:
    report = {}
    for language in SUPPORTED_LANGUAGES:
        cases = yaml.safe_load((CASES_DIR / f"{language}.yml").read_text(encoding="utf-8"))
        texts = [case["text"] for case in cases] * 20
        words = vocabulary(language)  # loaded once per language at start-up

        def read(text, words=words):
            words.country_mentions(text)
            words.amounts(text)
            words.job(text)

        report[language] = {
            "messages": len(texts),
            "read": percentiles(timed(read, texts)),
            "baseline_tokenise": percentiles(timed(tokens, texts)),
        }
    return report


def provider_csv(rows: int) -> bytes:
    random.seed(7)
    letters = string.ascii_uppercase
    lines = [HEADER]
    for number in range(rows):
        corridor = number % 400
        source = "A" + letters[corridor // 26 % 26] + letters[corridor % 26]
        destination = random.choice(["NPL", "PHL", "BGD", "IDN", "IND", "PAK"])
        cost = random.uniform(0.5, 15)
        lines.append(
            f"2025_3Q,{source},S,{destination},D,Firm {number % 37},Money Transfer Operator,"
            f"{cost / 3:.2f},{cost:.2f},yes"
        )
    return "\n".join(lines).encode()


def importing(factory) -> Dict:
    data = provider_csv(ROWS)
    started = time.perf_counter()
    baseline_rows = sum(1 for _ in csv.reader(io.StringIO(data.decode())))
    baseline = time.perf_counter() - started
    tracemalloc.start()
    started = time.perf_counter()
    result = remittances.import_bytes(factory, data, "synthetic.csv", "benchmark")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": ROWS,
        "file_mb": round(len(data) / 2**20, 2),
        "import_s": round(elapsed, 2),
        "rows_per_s": round(ROWS / elapsed),
        "peak_python_mb": round(peak / 2**20, 1),
        "corridors": result.report.corridors,
        "baseline_csv_reader_s": round(baseline, 3),
        "baseline_rows": baseline_rows - 1,
    }


def lookups(factory, pairs) -> Dict:
    def find(pair):
        with factory() as session:
            remittances.corridor_cost(session, *pair)

    return percentiles(timed(find, pairs))


def main() -> int:
    settings = load_settings({})
    report: Dict = {"reading": reading()}
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'kb.db'}")
        upgrade(engine)
        factory = session_factory(engine)
        remittances.import_file(factory, settings.remittances_file, "benchmark")
        random.seed(3)
        pairs = [
            (
                random.choice(["QAT", "SAU", "ARE", "MYS", "KWT", "JPN"]),
                random.choice(["NPL", "PHL", "BGD", "IDN"]),
            )
            for _ in range(LOOKUPS)
        ]
        report["lookup_shipped_data"] = lookups(factory, pairs)
        report["import"] = importing(factory)
        report["lookup_with_100k_provider_rows"] = lookups(factory, pairs)
        engine.dispose()

    print("Reading a message (amounts, currencies, countries, job)")
    print(
        f"{'lang':5} {'msgs':>5} {'p50 ms':>8} {'p95 ms':>8} {'tokens p50':>11} {'tokens p95':>11}"
    )
    for language, row in report["reading"].items():
        print(
            f"{language:5} {row['messages']:5} {row['read']['p50_ms']:8.3f} "
            f"{row['read']['p95_ms']:8.3f} {row['baseline_tokenise']['p50_ms']:11.3f} "
            f"{row['baseline_tokenise']['p95_ms']:11.3f}"
        )
    print(f"\nCorridor lookup, shipped data:        {report['lookup_shipped_data']}")
    print(f"Corridor lookup, + 100k provider rows: {report['lookup_with_100k_provider_rows']}")
    print(f"Provider file import: {report['import']}")
    save_report("calculators", report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
