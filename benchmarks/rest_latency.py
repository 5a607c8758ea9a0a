"""End-to-end REST latency: 200 sequential messages, then 20 concurrent conversations,
for our assistant and for a stock `rasa init` bot trained and run in the same session (the
floor to compare with; target: our p50 within 1.5x of the stock bot's).
Loopback only, bounded in count and time. Prints a table; saves
benchmarks/results/rest_latency.json.

    python -m benchmarks.rest_latency
"""

import os
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Text

import requests

from benchmarks import save_report
from bot import launcher

SEQUENTIAL, CONVERSATIONS, TURNS = 200, 20, 10
TIMEOUT = 30

OUR_MESSAGES = [
    "hello",
    "how much can the agency charge me?",
    "namaste",
    "malai agency le 3 lakh mageko cha",
    "kumusta po",
    "magkano po ang placement fee?",
    "السلام عليكم",
    "كيف أرسل المال إلى أهلي؟",
    "আমার অধিকার কী?",
    "bonjour",
    "quels sont mes droits ?",
    "hola",
    "¿cómo ir a España legalmente?",
    "halo",
    "berapa biaya kirim uang ke Indonesia?",
    "thanks",
]
STOCK_MESSAGES = ["hello", "I am sad", "yes", "great", "no", "goodbye", "are you a bot?", "hi"]


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed_post(url: Text, sender: Text, text: Text) -> float:
    start = time.perf_counter()
    reply = requests.post(url, json={"sender": sender, "message": text}, timeout=TIMEOUT)
    elapsed = time.perf_counter() - start
    reply.raise_for_status()
    return elapsed * 1000


def measure(base_url: Text, messages: List[Text]) -> Dict[Text, Dict[Text, float]]:
    url = f"{base_url}/webhooks/rest/webhook"
    for text in messages:  # warm-up: first calls load lazily built parts
        timed_post(url, "warm-up", text)
    sequential = [
        timed_post(url, f"seq-{i // TURNS}", messages[i % len(messages)]) for i in range(SEQUENTIAL)
    ]

    def conversation(n: int) -> List[float]:
        return [
            timed_post(url, f"conc-{n}", messages[(n + t) % len(messages)]) for t in range(TURNS)
        ]

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        concurrent = [
            ms for result in pool.map(conversation, range(CONVERSATIONS)) for ms in result
        ]
    wall = time.perf_counter() - start
    summary = {
        "sequential": {
            "messages": len(sequential),
            "p50_ms": statistics.median(sequential),
            "p95_ms": percentile(sequential, 0.95),
        },
        "concurrent": {
            "messages": len(concurrent),
            "p50_ms": statistics.median(concurrent),
            "p95_ms": percentile(concurrent, 0.95),
            "throughput_msg_s": len(concurrent) / wall,
        },
    }
    return {k: {m: round(v, 2) for m, v in row.items()} for k, row in summary.items()}


@contextmanager
def stock_bot(workdir: Path) -> Iterator[Text]:
    """A `rasa init` project, trained here, served on a free port."""
    rasa = str(launcher.BIN / "rasa")
    subprocess.run(
        [rasa, "init", "--no-prompt", "--init-dir", str(workdir)],
        check=True,
        capture_output=True,
        timeout=900,
        cwd=workdir,
    )
    model = sorted((workdir / "models").glob("*.tar.gz"))[-1]
    port = launcher.free_port()
    command = launcher.rasa_command(model, port, None, "credentials.yml")
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    with launcher.running(
        command, launcher.status_url(port), workdir / "rasa.log", env, cwd=workdir
    ):
        yield f"http://127.0.0.1:{port}"


def main() -> None:
    report: Dict[Text, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        (workdir / "stock").mkdir()
        with stock_bot(workdir / "stock") as url:
            report["stock_rasa_init"] = measure(url, STOCK_MESSAGES)
        (workdir / "logs").mkdir()
        with launcher.assistant(
            launcher.ROOT / "models" / "current.tar.gz", workdir / "logs"
        ) as url:
            report["assistant"] = measure(url, OUR_MESSAGES)
    ratio = (
        report["assistant"]["sequential"]["p50_ms"]
        / report["stock_rasa_init"]["sequential"]["p50_ms"]
    )
    report["p50_ratio_vs_stock"] = round(ratio, 2)
    print(f"{'bot':<18}{'seq p50':>9}{'seq p95':>9}{'conc p50':>10}{'conc p95':>10}{'msg/s':>8}")
    for name in ("stock_rasa_init", "assistant"):
        s, c = report[name]["sequential"], report[name]["concurrent"]
        print(
            f"{name:<18}{s['p50_ms']:>9.1f}{s['p95_ms']:>9.1f}{c['p50_ms']:>10.1f}"
            f"{c['p95_ms']:>10.1f}{c['throughput_msg_s']:>8.1f}"
        )
    print(f"sequential p50 ratio (assistant / stock): {ratio:.2f} (target <= 1.5)")
    save_report("rest_latency", report)


if __name__ == "__main__":
    main()
