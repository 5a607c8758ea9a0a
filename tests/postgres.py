"""A throwaway PostgreSQL server for the knowledge-base tests: the one named by
ASSISTANT_TEST_POSTGRES_URL, or a private cluster started from the installed PostgreSQL
binaries (`.ci/run` installs Debian's postgresql package) on a free loopback port."""

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Text

from bot import launcher
from bot.production import PostgresCluster, ProfileError


class PostgresUnavailable(RuntimeError):
    pass


@contextmanager
def postgres_server() -> Iterator[Text]:
    """Yield the URL of an empty database on a running PostgreSQL server."""
    configured = os.environ.get("ASSISTANT_TEST_POSTGRES_URL", "").strip()
    if configured:
        yield configured
        return
    workdir = Path(tempfile.mkdtemp(prefix="kb-postgres-"))
    try:
        cluster = PostgresCluster(workdir, launcher.free_port())
        cluster.start(["knowledge_test"])
    except ProfileError as error:
        shutil.rmtree(workdir, ignore_errors=True)
        raise PostgresUnavailable(str(error)) from error
    try:
        yield cluster.url("knowledge_test")
    finally:
        cluster.stop()
        time.sleep(0.1)
        shutil.rmtree(workdir, ignore_errors=True)
