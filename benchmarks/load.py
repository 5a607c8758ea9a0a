"""Load: 1, 20 and 100 concurrent conversations against three set-ups started in the same
run: the stock `rasa init` bot (the floor), this assistant as `make run` starts it (one
Rasa server, one action server), and the production profile (nginx, two Rasa servers, two
action servers, PostgreSQL tracker store, Redis lock store; bot/production.py).

A conversation is TURNS messages from one sender, each sent when the previous answer came
back plus a think time (THINK_SECONDS, uniform), the way people type; every virtual user
starts a new conversation when one ends. Users join at random moments of the first think
time, as if each had just read an answer: the steady state of that many conversations
(all sending their first message in the same instant is a different case, measured apart
as "burst": BURST conversations whose first messages leave together). Each level runs for
LEVEL_SECONDS and at most MAX_MESSAGES messages. Loopback only. Prints a table, saves
benchmarks/results/load.json.

    python -m benchmarks.load [--seconds 60] [--levels 1,20,100]
"""

import argparse
import random
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional, Text, Tuple

import requests

from benchmarks import save_report
from benchmarks.rest_latency import OUR_MESSAGES, STOCK_MESSAGES, percentile, stock_bot
from bot import launcher, production

TURNS = 6
# How long a person takes to read an answer and type the next message on a phone.
THINK_SECONDS = (2.0, 6.0)
MAX_MESSAGES = 6000
TIMEOUT = 30
BURST = 20


def post(
    session: requests.Session, webhook: Text, sender: Text, text: Text
) -> Tuple[float, Optional[Text], bool]:
    """One message: (milliseconds, problem or None, answered with no message)."""
    start = time.perf_counter()
    try:
        reply = session.post(webhook, json={"sender": sender, "message": text}, timeout=TIMEOUT)
        problem = None if reply.status_code == 200 else f"HTTP {reply.status_code}"
        empty = problem is None and not reply.json()
    except requests.RequestException as error:
        problem, empty = error.__class__.__name__, False
    return (time.perf_counter() - start) * 1000, problem, empty


def run_level(url: Text, messages: List[Text], users: int, seconds: float) -> Dict:
    webhook = f"{url}/webhooks/rest/webhook"
    latencies: List[float] = []
    errors: Dict[Text, int] = {}
    silent = [0]  # answered 200 with no message (the stock bot does, e.g. to "yes")
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    conversations = iter(range(10**9))

    def user(number: int) -> None:
        session = requests.Session()
        randomness = random.Random(number)
        time.sleep(randomness.uniform(0, THINK_SECONDS[1]))
        while time.monotonic() < deadline:
            with lock:
                sender = f"load-{users}-{next(conversations)}"
            for _turn in range(TURNS):
                if time.monotonic() >= deadline or len(latencies) >= MAX_MESSAGES:
                    return
                text = messages[randomness.randrange(len(messages))]
                elapsed, problem, empty = post(session, webhook, sender, text)
                with lock:
                    silent[0] += empty
                    if problem:
                        errors[problem] = errors.get(problem, 0) + 1
                    else:
                        latencies.append(elapsed)
                time.sleep(randomness.uniform(*THINK_SECONDS))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(user, range(users)))
    wall = time.perf_counter() - started
    return {
        "users": users,
        "messages": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "silent": silent[0],
        "throughput_msg_s": round(len(latencies) / wall, 2),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
    }


def burst(url: Text, messages: List[Text], users: int = BURST) -> Dict:
    """`users` new conversations whose first messages leave at the same instant."""
    webhook = f"{url}/webhooks/rest/webhook"
    start = threading.Barrier(users)

    def first(number: int) -> Tuple[float, Optional[Text], bool]:
        session = requests.Session()
        start.wait()
        return post(
            session, webhook, f"burst-{number}-{time.time()}", messages[number % len(messages)]
        )

    with ThreadPoolExecutor(max_workers=users) as pool:
        results = list(pool.map(first, range(users)))
    latencies = sorted(elapsed for elapsed, problem, _ in results if not problem)
    return {
        "users": users,
        "errors": sum(1 for _, problem, _ in results if problem),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
    }


def settled(logs: List[Path], seconds: float = 300) -> None:
    """Wait until the action servers have built their indexes (in a background thread at
    start, which would otherwise take CPU from the first levels)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all("indexes ready" in log.read_text(errors="replace") for log in logs):
            return
        time.sleep(1)
    raise RuntimeError(f"the action servers did not get ready: {logs}")


def measure(url: Text, messages: List[Text], levels: List[int], seconds: float) -> Dict:
    for text in messages:  # warm-up
        requests.post(
            f"{url}/webhooks/rest/webhook", json={"sender": "warm", "message": text}, timeout=60
        )
    return {
        "levels": [run_level(url, messages, users, seconds) for users in levels],
        "burst": burst(url, messages),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--levels", default="1,20,100")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    model = launcher.ROOT / "models" / "current.tar.gz"
    report: Dict[Text, object] = {
        "turns_per_conversation": TURNS,
        "think_seconds": THINK_SECONDS,
        "level_seconds": args.seconds,
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        workdir.chmod(0o755)
        (workdir / "stock").mkdir()
        with stock_bot(workdir / "stock") as url:
            report["stock_rasa_init"] = measure(url, STOCK_MESSAGES, levels, args.seconds)
        (workdir / "logs").mkdir()
        with launcher.assistant(model, workdir / "logs") as url:
            settled([workdir / "logs" / "actions.log"])
            report["single"] = measure(url, OUR_MESSAGES, levels, args.seconds)
        profile = workdir / "production"
        state = production.up(profile, production.Ports.free(), model)
        try:
            url = f"http://127.0.0.1:{state.ports.balancer}"
            settled(
                [profile / "logs" / f"actions-{n + 1}.log" for n in range(len(state.ports.actions))]
            )
            report["scale_out"] = measure(url, OUR_MESSAGES, levels, args.seconds)
        finally:
            production.down(profile)
    print(
        f"{'set-up':<16}{'users':>6}{'msgs':>7}{'err':>5}{'empty':>6}{'msg/s':>8}"
        f"{'p50':>8}{'p95':>8}{'p99':>8}"
    )
    for name in ("stock_rasa_init", "single", "scale_out"):
        for row in report[name]["levels"]:
            print(
                f"{name:<16}{row['users']:>6}{row['messages']:>7}{row['errors']:>5}"
                f"{row['silent']:>6}{row['throughput_msg_s']:>8}{row['p50_ms']:>8}{row['p95_ms']:>8}{row['p99_ms']:>8}"
            )
    print(f"\n{BURST} first messages sent at the same instant:")
    print(f"{'set-up':<16}{'err':>5}{'p50':>8}{'max':>8}")
    for name in ("stock_rasa_init", "single", "scale_out"):
        row = report[name]["burst"]
        print(f"{name:<16}{row['errors']:>5}{row['p50_ms']:>8}{row['max_ms']:>8}")
    save_report("load", report)


if __name__ == "__main__":
    main()
