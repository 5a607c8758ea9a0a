"""Start the assistant's processes (action/NLG server, Rasa server) on loopback and stop
them: used by the end-to-end tests and the benchmarks."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Text

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: Text, process: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {seconds} s:\n{log.read_text()[-3000:]}")


@contextmanager
def running(
    command: List[Text],
    health_url: Text,
    log: Path,
    env: Dict[Text, Text],
    cwd: Path = ROOT,
    seconds: float = 180,
) -> Iterator[subprocess.Popen]:
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_up(health_url, process, log, seconds)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def rasa_command(
    model: Path, port: int, endpoints: Optional[Text], credentials: Text
) -> List[Text]:
    command = [
        str(BIN / "rasa"),
        "run",
        "--model",
        str(model),
        "--port",
        str(port),
        "--credentials",
        credentials,
        "--enable-api",
    ]
    return command + (["--endpoints", endpoints] if endpoints else [])


@contextmanager
def assistant(model: Path, logs: Path, **environ: Text) -> Iterator[Text]:
    """Run the whole assistant; yields the Rasa server's base URL."""
    rasa_port, action_port = free_port(), free_port()
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        ACTION_SERVER_HOST="127.0.0.1",
        ACTION_SERVER_PORT=str(action_port),
        RASA_TELEMETRY_ENABLED="false",
        **environ,
    )
    actions = [sys.executable, "-m", "actions.server"]
    rasa = rasa_command(model, rasa_port, "bot/endpoints.yml", "bot/credentials.yml")
    with running(
        actions, f"http://127.0.0.1:{action_port}/health", logs / "actions.log", env, seconds=60
    ):
        with running(rasa, f"http://127.0.0.1:{rasa_port}/status", logs / "rasa.log", env):
            yield f"http://127.0.0.1:{rasa_port}"
