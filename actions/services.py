"""The knowledge objects the actions and the NLG endpoint share, built once at start-up."""

import threading
import time
from functools import lru_cache
from typing import Callable, Dict, List, Text, Tuple

from sqlalchemy.orm import sessionmaker

from knowledge import remittances
from knowledge.contacts import ContactDirectory
from knowledge.db import make_engine, session_factory
from knowledge.entries import read_references
from knowledge.fees import Rule, live_rules
from knowledge.fx import ExchangeRates
from knowledge.i18n import ResponseRenderer, build_renderer
from knowledge.language import LanguageIdentifier
from knowledge.published import PublishedKnowledge
from knowledge.settings import Settings, load_settings


@lru_cache(maxsize=None)
def settings() -> Settings:
    return load_settings()


@lru_cache(maxsize=None)
def language_identifier() -> LanguageIdentifier:
    config = settings()
    return LanguageIdentifier.from_directory(config.language_data_dir, config.typed_examples_dir)


@lru_cache(maxsize=None)
def renderer() -> ResponseRenderer:
    return build_renderer(settings())


@lru_cache(maxsize=None)
def contacts() -> ContactDirectory:
    return ContactDirectory.from_file(settings().contacts_file)


@lru_cache(maxsize=None)
def exchange_rates() -> ExchangeRates:
    return ExchangeRates.from_csv(settings().fx_file)


@lru_cache(maxsize=None)
def knowledge_sessions() -> sessionmaker:
    return session_factory(make_engine(settings().database_url))


@lru_cache(maxsize=None)
def published_knowledge() -> PublishedKnowledge:
    return PublishedKnowledge(knowledge_sessions(), settings().refresh_interval)


class Expiring:
    """A value read from the database, read again after `seconds` (what staff change
    reaches the bot within that time, without a restart)."""

    def __init__(self, load: Callable, seconds: float) -> None:
        self._load, self._seconds = load, seconds
        self._value, self._read_at = None, float("-inf")
        self._lock = threading.Lock()

    def get(self):
        with self._lock:
            if time.monotonic() - self._read_at >= self._seconds:
                self._value = self._load()
                self._read_at = time.monotonic()
            return self._value


def _read_rules() -> List[Rule]:
    with knowledge_sessions()() as session:
        return live_rules(session)


def _read_roles() -> Tuple[frozenset, frozenset]:
    with knowledge_sessions()() as session:
        return remittances.corridor_roles(session)


@lru_cache(maxsize=None)
def _rules_cache() -> Expiring:
    return Expiring(_read_rules, settings().refresh_interval)


@lru_cache(maxsize=None)
def _roles_cache() -> Expiring:
    return Expiring(_read_roles, 300.0)


def fee_rules() -> List[Rule]:
    return _rules_cache().get()


def corridor_roles() -> Tuple[frozenset, frozenset]:
    """Countries that only send / only receive money in the live price data."""
    return _roles_cache().get()


@lru_cache(maxsize=None)
def regions() -> Dict:
    return remittances.read_regions()


@lru_cache(maxsize=None)
def _references() -> Dict:
    return read_references(settings().references_file)


def reference_short(key: Text) -> Text:
    """How the bot names a source on its source line."""
    return str((_references().get(key) or {}).get("short") or key)
