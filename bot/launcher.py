"""Start the assistant's processes (action/NLG server, Rasa server) on loopback and stop
them: used by the end-to-end tests and the benchmarks."""

import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Text
from urllib.parse import quote

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


# Rasa's HTTP API is never open: the processes started here require this token (the
# channel webhooks do not). RASA_AUTH_TOKEN sets it; otherwise it is new for each run.
API_TOKEN = os.environ.get("RASA_AUTH_TOKEN") or secrets.token_urlsafe(24)
# Largest request body the Rasa server reads (Sanic's REQUEST_MAX_SIZE), unless set.
REQUEST_MAX_BYTES = "1048576"


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
        # One argument: a token may begin with "-", which would read as an option.
        f"--auth-token={API_TOKEN}",
    ]
    origins = os.environ.get("ASSISTANT_CORS_ORIGINS", "").split()
    command += ["--cors", *origins] if origins else []
    return command + (["--endpoints", endpoints] if endpoints else [])


def status_url(port: int) -> Text:
    """The Rasa server's /status, which needs the API token."""
    return f"http://127.0.0.1:{port}/status?token={quote(API_TOKEN, safe='')}"


ACTIONS = [sys.executable, "-m", "actions.server"]


def environment(action_port: int, **environ: Text) -> Dict[Text, Text]:
    """The environment of the assistant's processes, the action server on a loopback port."""
    defaults = {"SANIC_REQUEST_MAX_SIZE": REQUEST_MAX_BYTES}
    return {
        **defaults,
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ACTION_SERVER_HOST": "127.0.0.1",
        "ACTION_SERVER_PORT": str(action_port),
        "RASA_TELEMETRY_ENABLED": "false",
        **environ,
    }


@contextmanager
def assistant(model: Path, logs: Path, **environ: Text) -> Iterator[Text]:
    """Run the whole assistant; yields the Rasa server's base URL."""
    rasa_port, action_port = free_port(), free_port()
    env = environment(action_port, **environ)
    rasa = rasa_command(model, rasa_port, "bot/endpoints.yml", "bot/credentials.yml")
    with running(
        ACTIONS, f"http://127.0.0.1:{action_port}/health", logs / "actions.log", env, seconds=60
    ):
        with running(rasa, status_url(rasa_port), logs / "rasa.log", env):
            yield f"http://127.0.0.1:{rasa_port}"
