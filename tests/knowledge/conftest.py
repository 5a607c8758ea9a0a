"""Knowledge-base fixtures: every test that takes `database_url` runs once on SQLite and
once on a real PostgreSQL server (started for the session; see tests/postgres.py). Set
ASSISTANT_REQUIRE_POSTGRES=1 (as .ci/run does) to fail instead of skipping when no
PostgreSQL can be started."""

import itertools
import os
from pathlib import Path
from typing import Iterator, Text

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from knowledge.db import make_engine, session_factory, upgrade

_database_numbers = itertools.count(1)


def _fresh_postgres_database(admin_url: Text) -> Text:
    name = f"kb_test_{os.getpid()}_{next(_database_numbers)}"
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Text:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'knowledge.db'}"
    return _fresh_postgres_database(request.getfixturevalue("postgres_admin_url"))


@pytest.fixture
def sessions(database_url: Text) -> Iterator[sessionmaker]:
    """An empty knowledge base at the latest schema."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield session_factory(engine)
    engine.dispose()
