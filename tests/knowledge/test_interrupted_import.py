"""A price import killed while it writes (power cut, OOM killer, a deploy) leaves the old
prices live and complete, and nothing of the new file visible; the next import then goes
through whole. From the command line and through the staff app, on SQLite and
PostgreSQL."""

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Text, Tuple

import pytest
import requests
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from benchmarks.calculators import provider_csv
from bot import launcher
from knowledge.calculator_data import load_shipped_prices
from knowledge.db import make_engine, session_factory, upgrade
from knowledge.models import CorridorCost, RemittanceDataset
from knowledge.settings import load_settings
from staff.accounts import create_account, create_api_token

ROWS = 60_000
numbers = itertools.count(1)


def state(factory) -> Tuple[Dict[int, Tuple[Text, bool]], Dict[int, int]]:
    with factory() as session:
        datasets = {
            d.id: (d.kind, d.active) for d in session.execute(select(RemittanceDataset)).scalars()
        }
        counts = dict(
            session.execute(
                select(CorridorCost.dataset_id, func.count()).group_by(CorridorCost.dataset_id)
            ).all()
        )
    return datasets, counts


def someone_is_writing(database_url: Text, engine) -> bool:
    """True while another connection holds a write transaction open."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        probe = sqlite3.connect(url.database, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
            return False
        except sqlite3.OperationalError:  # database is locked: a writer is in there
            return True
        finally:
            probe.close()
    with engine.connect() as connection:
        return bool(
            connection.execute(
                text(
                    "select count(*) from pg_stat_activity where datname = current_database()"
                    " and pid <> pg_backend_pid() and backend_xid is not null"
                )
            ).scalar()
        )


class CommandLineImport:
    """`python -m knowledge remittances import FILE`."""

    def __init__(self, database_url: Text, path: Path, logs: Path) -> None:
        env = launcher.environment(launcher.free_port(), ASSISTANT_DATABASE_URL=database_url)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "knowledge", "remittances", "import", str(path)],
            cwd=launcher.ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def succeeded(self) -> bool:
        return self.process.wait(120) == 0

    def close(self) -> None:
        self.process.wait(30)


class StaffAppImport:
    """A reviewer uploads the file to the staff app (POST /api/v1/remittances/import)."""

    def __init__(self, database_url: Text, path: Path, logs: Path) -> None:
        factory = session_factory(make_engine(database_url))
        name = f"reviewer{next(numbers)}"
        account = create_account(factory, name, "a long enough password 1", "reviewer")
        token = create_api_token(factory, account.id, "import test")
        port = launcher.free_port()
        env = launcher.environment(launcher.free_port(), ASSISTANT_DATABASE_URL=database_url)
        command = [sys.executable, "-m", "staff", "serve", "--port", str(port)]
        self.server = launcher.running(
            command, f"http://127.0.0.1:{port}/health", logs / f"{name}.log", env, seconds=60
        )
        self.process = self.server.__enter__()
        self.reply: List[Any] = []

        def upload() -> None:
            try:
                self.reply.append(
                    requests.post(
                        f"http://127.0.0.1:{port}/api/v1/remittances/import",
                        data=path.read_bytes(),
                        headers={"Authorization": f"Bearer {token}", "X-File-Name": path.name},
                        timeout=120,
                    )
                )
            except requests.RequestException as error:
                self.reply.append(error)

        self.thread = threading.Thread(target=upload)
        self.thread.start()

    def succeeded(self) -> bool:
        self.thread.join(120)
        return getattr(self.reply[0], "status_code", None) == 200

    def close(self) -> None:
        self.thread.join(30)
        self.server.__exit__(None, None, None)


@pytest.mark.parametrize("importer", [CommandLineImport, StaffAppImport])
def test_an_import_killed_while_it_writes_leaves_the_old_prices(database_url, tmp_path, importer):
    engine = make_engine(database_url)
    upgrade(engine)
    factory = session_factory(engine)
    load_shipped_prices(factory, load_settings({}))
    big = tmp_path / "rpw-providers.csv"
    big.write_bytes(provider_csv(ROWS))
    before = state(factory)

    running = importer(database_url, big, tmp_path)
    killed_while_writing = False
    deadline = time.monotonic() + 120
    while running.process.poll() is None and time.monotonic() < deadline:
        if someone_is_writing(database_url, engine):
            os.kill(running.process.pid, signal.SIGKILL)
            killed_while_writing = True
            break
        time.sleep(0.005)
    running.close()
    assert killed_while_writing, "the import was never seen writing"
    assert state(factory) == before, "nothing of the killed import is visible"

    # The same file again, not interrupted: it goes through whole and becomes live.
    again = importer(database_url, big, tmp_path)
    try:
        assert again.succeeded()
    finally:
        again.close()
    datasets, counts = state(factory)
    [new] = [i for i in datasets if i not in before[0]]
    assert datasets[new] == ("provider_prices", True)
    assert counts[new] > 0
    assert {i: counts.get(i) for i in before[0]} == before[1], "the old prices untouched"
    engine.dispose()
