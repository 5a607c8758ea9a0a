"""Stored conversations are deleted once they are older than the retention period
(`python -m bot.privacy expire`), from the SQL tracker store the endpoints file names."""

import asyncio
import time
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import privacy

DAY = 86400.0


def conversation(sender: str, last_seen: float) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_listen", timestamp=last_seen - 60),
            UserUttered("my employer keeps my passport", timestamp=last_seen - 30),
            BotUttered("Your safety comes first.", timestamp=last_seen),
        ],
    )


def endpoints_file(tmp_path: Path, tracker_store: str) -> Path:
    path = tmp_path / "endpoints.yml"
    path.write_text(f"tracker_store:\n{tracker_store}")
    return path


def stored_senders(store: SQLTrackerStore) -> set:
    return set(asyncio.run(store.keys()))


def check_expiry(endpoints: Path) -> None:
    store = privacy.tracker_store(str(endpoints))
    now = time.time()
    for sender, age in (("old", 45), ("recent", 3), ("edge", 29.9)):
        asyncio.run(store.save(conversation(sender, now - age * DAY)))
    assert stored_senders(store) == {"old", "recent", "edge"}
    assert privacy.main(["expire", "--days", "30", "--endpoints", str(endpoints)]) == 0
    assert stored_senders(store) == {"recent", "edge"}
    # Running it again deletes nothing more.
    assert privacy.expire(store, now - 30 * DAY) == 0


def test_old_conversations_are_deleted_from_sqlite(tmp_path):
    db = tmp_path / "conversations.db"
    check_expiry(endpoints_file(tmp_path, f"  type: SQL\n  dialect: sqlite\n  db: {db}\n"))


def test_old_conversations_are_deleted_from_postgresql(tmp_path, postgres_admin_url):
    from sqlalchemy.engine import make_url

    url = make_url(postgres_admin_url)
    check_expiry(
        endpoints_file(
            tmp_path,
            f"  type: SQL\n  dialect: postgresql\n  url: {url.host}\n  port: {url.port}\n"
            f"  db: {url.database}\n  username: {url.username}\n",
        )
    )


def test_forget_deletes_one_conversation_and_nothing_else(tmp_path):
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "c.db"))
    for sender in ("asked", "other"):
        asyncio.run(store.save(conversation(sender, time.time())))
    asyncio.run(privacy.forget(store, "asked"))
    assert stored_senders(store) == {"other"}


def test_a_bad_retention_is_refused(capsys):
    assert privacy.main(["expire", "--days", "0"]) == 2
    assert "--days" in capsys.readouterr().err


def test_a_retention_that_is_not_a_number_is_refused_clearly(monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_CONVERSATION_RETENTION_DAYS", "thirty")
    with pytest.raises(SystemExit) as stopped:
        privacy.main(["expire"])
    assert stopped.value.code == 2
    assert "invalid float value: 'thirty'" in capsys.readouterr().err
