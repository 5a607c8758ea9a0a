"""The knowledge objects the actions and the NLG endpoint share, built once at start-up."""

from functools import lru_cache

from sqlalchemy.orm import sessionmaker

from knowledge.db import make_engine, session_factory
from knowledge.i18n import Catalogs, ResponseRenderer, load_facts, load_responses
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
    config = settings()
    return ResponseRenderer(
        load_responses(config.domain_dir),
        Catalogs(config.locales_dir),
        load_facts(config.facts_file),
        config.default_language,
    )


@lru_cache(maxsize=None)
def knowledge_sessions() -> sessionmaker:
    return session_factory(make_engine(settings().database_url))


@lru_cache(maxsize=None)
def published_knowledge() -> PublishedKnowledge:
    return PublishedKnowledge(knowledge_sessions(), settings().refresh_interval)
