"""A throwaway PostgreSQL server for the knowledge-base tests: the one named by
ASSISTANT_TEST_POSTGRES_URL, or a private cluster started from the installed PostgreSQL
binaries (`.ci/run` installs Debian's postgresql package) on a free loopback port."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional, Text


class PostgresUnavailable(RuntimeError):
    pass


def _binaries_dir() -> Optional[Path]:
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[Text]:
    """Yield the URL of an empty database on a running PostgreSQL server."""
    configured = os.environ.get("ASSISTANT_TEST_POSTGRES_URL", "").strip()
    if configured:
        yield configured
        return
    binaries = _binaries_dir()
    if binaries is None:
        raise PostgresUnavailable("no PostgreSQL server binaries (pg_ctl) on this machine")
    # initdb refuses to run as root: the cluster belongs to the postgres user then.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    workdir = Path(tempfile.mkdtemp(prefix="kb-postgres-"))
    data_dir = workdir / "data"
    if as_user:
        shutil.chown(workdir, "postgres")
    port = _free_port()
    run = lambda *args: subprocess.run(  # noqa: E731
        [*as_user, *args], check=True, capture_output=True, text=True
    )
    try:
        run(
            str(binaries / "initdb"),
            "-D",
            str(data_dir),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        run(
            str(binaries / "pg_ctl"),
            "-D",
            str(data_dir),
            "-l",
            str(workdir / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1",
            "start",
        )
        run(
            str(binaries / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "knowledge_test",
        )
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/knowledge_test"
    except subprocess.CalledProcessError as error:
        raise PostgresUnavailable(f"{error.cmd[len(as_user)]} failed: {error.stderr}") from error
    finally:
        if data_dir.exists():
            subprocess.run(
                [
                    *as_user,
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data_dir),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ],
                capture_output=True,
            )
        time.sleep(0.1)
        shutil.rmtree(workdir, ignore_errors=True)
