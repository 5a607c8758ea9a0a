"""Conversations can reveal a person's status, employer and location, so they are not kept:

- `forget(store, sender_id)`: deletes one conversation from Rasa's tracker store. The
  channels call it after the bot said `utter_conversation_deleted`, i.e. when the user
  asked for it (bot/channels.py);
- `python -m bot.privacy expire [--days N] [--every SECONDS]`: deletes the conversations
  whose last message is older than ASSISTANT_CONVERSATION_RETENTION_DAYS (default 30), in
  the tracker store that the endpoints file configures (ASSISTANT_ENDPOINTS, default
  bot/endpoints.yml). Run it from cron or a systemd timer, or let it repeat with --every.
"""

import argparse
import asyncio
import logging
import os
import sys
import time
from typing import Any, List, Optional, Text

from rasa.core.tracker_store import (
    InMemoryTrackerStore,
    RedisTrackerStore,
    SQLTrackerStore,
    TrackerStore,
)
from sqlalchemy import delete, func, select

logger = logging.getLogger(__name__)

FORGET_RESPONSE = "utter_conversation_deleted"
DEFAULT_RETENTION_DAYS = 30


class UnsupportedStore(RuntimeError):
    """A tracker store this module cannot delete from (Mongo, DynamoDB): use SQL or Redis."""


def base_store(store: Any) -> Any:
    """The store behind Rasa's wrappers (awaitable, fail-safe)."""
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


async def forget(store: Any, sender_id: Text) -> None:
    store = base_store(store)
    if isinstance(store, InMemoryTrackerStore):
        store.store.pop(sender_id, None)
    elif isinstance(store, SQLTrackerStore):
        with store.session_scope() as session:
            session.execute(delete(store.SQLEvent).where(store.SQLEvent.sender_id == sender_id))
            session.commit()
    elif isinstance(store, RedisTrackerStore):
        store.red.delete(store.key_prefix + sender_id)
    else:
        raise UnsupportedStore(f"cannot delete from a {type(store).__name__}")


def expire(store: Any, cutoff: float) -> int:
    """Delete the conversations whose last event is older than `cutoff` (a Unix time);
    returns how many were deleted."""
    store = base_store(store)
    if isinstance(store, SQLTrackerStore):
        event = store.SQLEvent
        old = (
            select(event.sender_id)
            .group_by(event.sender_id)
            .having(func.max(event.timestamp) < cutoff)
        )
        with store.session_scope() as session:
            senders: List[Text] = list(session.execute(old).scalars())
            for start in range(0, len(senders), 500):
                batch = senders[start : start + 500]
                session.execute(delete(event).where(event.sender_id.in_(batch)))
            session.commit()
        return len(senders)
    if isinstance(store, RedisTrackerStore):
        deleted = 0
        for key in store.red.scan_iter(store.key_prefix + "*"):
            sender_id = key.decode()[len(store.key_prefix) :]
            tracker = asyncio.run(store.retrieve(sender_id))
            if tracker and tracker.events and tracker.events[-1].timestamp < cutoff:
                store.red.delete(key)
                deleted += 1
        return deleted
    if isinstance(store, InMemoryTrackerStore):
        return 0  # nothing outlives the Rasa process
    raise UnsupportedStore(f"cannot expire conversations in a {type(store).__name__}")


def tracker_store(endpoints_file: Text) -> TrackerStore:
    from rasa.core.utils import read_endpoints_from_path

    endpoints = read_endpoints_from_path(endpoints_file)
    return TrackerStore.create(endpoints.tracker_store)


def main(argv: Optional[List[Text]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.privacy")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("expire", help="delete conversations older than the retention")
    run.add_argument(
        "--days",
        type=float,
        default=os.environ.get("ASSISTANT_CONVERSATION_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS,
        help="default: ASSISTANT_CONVERSATION_RETENTION_DAYS, else 30",
    )
    run.add_argument(
        "--endpoints", default=os.environ.get("ASSISTANT_ENDPOINTS", "bot/endpoints.yml")
    )
    run.add_argument("--every", type=float, default=0, help="repeat every SECONDS")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    if args.days <= 0:
        print("--days must be more than 0.", file=sys.stderr)
        return 2
    store = tracker_store(args.endpoints)
    while True:
        try:
            deleted = expire(store, time.time() - args.days * 86400)
        except UnsupportedStore as error:
            print(f"{error}: conversations are deleted from SQL and Redis stores.", file=sys.stderr)
            return 2
        logger.info("Deleted %d conversation(s) older than %g days.", deleted, args.days)
        if not args.every:
            return 0
        time.sleep(args.every)


if __name__ == "__main__":
    sys.exit(main())
