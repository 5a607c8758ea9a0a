"""The Alembic migrations build exactly the schema the models describe, on SQLite and
PostgreSQL, and can be undone."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from knowledge.db import make_engine, upgrade
from knowledge.models import Base


def test_migrations_match_the_models(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()
