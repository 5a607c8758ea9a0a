"""Shared fixtures: trackers for action tests (the financial-demo pattern), and a running
assistant (action/NLG server and Rasa server on free loopback ports) for end-to-end tests."""

import copy
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Text

import pytest
import requests
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import sessionmaker

from bot import launcher
from knowledge.calculator_data import load_fee_rules, load_shipped_prices
from knowledge.db import make_engine, session_factory, upgrade
from knowledge.settings import load_settings
from knowledge.store import ingest_documents, load_entries
from tests.postgres import PostgresUnavailable, postgres_server

ROOT = launcher.ROOT
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MODEL = ROOT / "models" / "current.tar.gz"
SETTINGS = load_settings({})
CHROMIUM = Path(os.environ.get("ASSISTANT_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(os.environ.get("ASSISTANT_SCREENSHOTS_DIR", ROOT / "build" / "screenshots"))


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def make_tracker() -> Callable[..., Tracker]:
    """A tracker from tests/fixtures/tracker_en_greet.json with the given changes."""
    base = json.loads((FIXTURES / "tracker_en_greet.json").read_text(encoding="utf-8"))

    def build(
        text: Text = "hello",
        intent: Text = "greet",
        language: Optional[Text] = None,
        entities: Optional[List[Dict[Text, Any]]] = None,
        metadata: Optional[Dict[Text, Any]] = None,
    ) -> Tracker:
        state = copy.deepcopy(base)
        state["slots"]["language"] = language
        state["latest_message"].update(
            text=text,
            intent={"name": intent, "confidence": 0.9},
            entities=entities or [],
            metadata=metadata or {},
        )
        return Tracker.from_dict(state)

    return build


class Assistant:
    """A running assistant, talked to over its REST channel."""

    def __init__(self, rasa_url: Text) -> None:
        self.rasa_url = rasa_url
        self.webhook = f"{rasa_url}/webhooks/rest/webhook"

    def say(
        self, sender: Text, text: Text, language: Optional[Text] = None
    ) -> List[Dict[Text, Any]]:
        body: Dict[Text, Any] = {"sender": sender, "message": text}
        if language:
            body["metadata"] = {"language": language}
        reply = requests.post(self.webhook, json=body, timeout=60)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def tracker(self, sender: Text) -> Dict[Text, Any]:
        state = requests.get(
            f"{self.rasa_url}/conversations/{sender}/tracker",
            params={"token": launcher.API_TOKEN},
            timeout=30,
        )
        state.raise_for_status()
        return state.json()

    def slots(self, sender: Text) -> Dict[Text, Any]:
        return self.tracker(sender)["slots"]

    def user_messages(self, sender: Text) -> List[Text]:
        return [e.get("text") for e in self.tracker(sender)["events"] if e["event"] == "user"]


@pytest.fixture(scope="session")
def assistant(
    tmp_path_factory: pytest.TempPathFactory, built_knowledge_url: Text
) -> Iterator[Assistant]:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it first)")
    logs = tmp_path_factory.mktemp("logs")
    # Nobody is connected for a handoff unless a test configures it.
    with launcher.assistant(
        MODEL, logs, ASSISTANT_HANDOFF_CONTACTS="", ASSISTANT_DATABASE_URL=built_knowledge_url
    ) as url:
        yield Assistant(url)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[Text]:
    """A PostgreSQL server for the session (tests/postgres.py); ASSISTANT_REQUIRE_POSTGRES=1
    (as .ci/run sets) fails instead of skipping when none can be started."""
    try:
        with postgres_server() as url:
            yield url
    except PostgresUnavailable as error:
        if os.environ.get("ASSISTANT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here: {error}")
        pytest.skip(f"PostgreSQL not available: {error}")


@pytest.fixture(scope="session")
def built_knowledge_url(tmp_path_factory: pytest.TempPathFactory) -> Text:
    """The real knowledge base (documents, curated entries, fee rules, remittance prices)
    in a SQLite file, built once per test session."""
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.db'}"
    build_knowledge(url).kw["bind"].dispose()
    return url


def build_knowledge(url: Text) -> sessionmaker:
    """Migrate the database at `url` and load everything the product ships into it."""
    factory = session_factory(make_engine(url))
    upgrade(factory.kw["bind"])
    ingest_documents(factory, SETTINGS.documents_dir)
    load_entries(factory, SETTINGS.entries_dir, SETTINGS.references_file)
    load_fee_rules(factory, SETTINGS)
    load_shipped_prices(factory, SETTINGS)
    return factory


@pytest.fixture
def actions_on_built_knowledge(monkeypatch, built_knowledge_url) -> Iterator[sessionmaker]:
    """The actions read the real knowledge base built for this session; their caches of
    it are emptied before and after."""
    from actions import services

    factory = session_factory(make_engine(built_knowledge_url))
    monkeypatch.setattr(services, "knowledge_sessions", lambda: factory)
    caches = (services.published_knowledge, services._rules_cache, services._roles_cache)
    for cache in caches:
        cache.cache_clear()
    yield factory
    for cache in caches:
        cache.cache_clear()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a browser download)."""
    if not CHROMIUM.exists():
        if os.environ.get("ASSISTANT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required here (apt-get install chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


@contextmanager
def web_app(module: Text, logs: Path, **environ: Text) -> Iterator[Text]:
    """`python -m <module> --port …` on a free loopback port (the staff app, the web
    chat); yields its base URL and stops it afterwards."""
    port = launcher.free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), **environ)
    command = [sys.executable, "-m", *module.split(), "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    with launcher.running(
        command, f"{base}/health", logs / f"{module.split()[0]}.log", env, seconds=60
    ):
        yield base
