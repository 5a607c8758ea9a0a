"""The lock store of the production profile (bot/locks.py) against a real Redis: two
stores with their own connections stand for two Rasa servers, each in its own thread with
its own event loop, and take turns on one conversation. With Rasa's own RedisLockStore the
same runs let two holders in at once and hand out one ticket number twice."""

import asyncio
import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator, List, Text, Tuple

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot import launcher, production
from bot.locks import AtomicRedisLockStore

REQUIRED = os.environ.get("ASSISTANT_REQUIRE_PRODUCTION") == "1"


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory) -> Iterator[int]:
    server = production.tool("redis-server")
    if not server:
        if REQUIRED:
            pytest.fail("redis-server not installed")
        pytest.skip("redis-server not installed")
    port = launcher.free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        deadline = time.monotonic() + 30
        while True:
            try:
                redis.Redis(port=port).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def store(port: int) -> AtomicRedisLockStore:
    config = EndpointConfig(
        url="127.0.0.1", port=port, db=1, key_prefix="test", type="bot.locks.AtomicRedisLockStore"
    )
    return AtomicRedisLockStore(config)


def test_two_servers_never_hold_one_conversation_at_once(redis_port):
    servers = [store(redis_port), store(redis_port)]
    record: List[Tuple[Text, int]] = []
    guard = threading.Lock()

    async def turn(lock_store: AtomicRedisLockStore, number: int) -> None:
        async with lock_store.lock("conversation"):
            with guard:
                record.append(("in", number))
            await asyncio.sleep(0.01)
            with guard:
                record.append(("out", number))

    async def server(lock_store: AtomicRedisLockStore, first: int) -> None:
        await asyncio.gather(*(turn(lock_store, first + n) for n in range(10)))

    threads = [
        threading.Thread(target=asyncio.run, args=(server(lock_store, 100 * index),))
        for index, lock_store in enumerate(servers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(record) == 40, "every turn ran"
    # Strict alternation: each turn left before the next came in.
    for index in range(0, len(record), 2):
        (came, number), (left, same) = record[index], record[index + 1]
        assert (came, left) == ("in", "out") and number == same, record[index : index + 4]
    assert servers[0].get_lock("conversation") is None, "the queue is removed when empty"


def test_tickets_taken_at_once_from_many_connections_are_all_different(redis_port):
    servers = [store(redis_port) for _ in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(lambda n: servers[n % 8].issue_ticket("tickets", 60), range(200)))
    assert sorted(numbers) == list(range(200))
    lock = servers[0].get_lock("tickets")
    assert [ticket.number for ticket in lock.tickets] == list(range(200))
    for number in numbers:
        servers[number % 8].cleanup("tickets", number)
    assert servers[0].get_lock("tickets") is None


def test_a_ticket_is_not_lost_when_another_server_cleans_up(redis_port):
    # A server finishing its turn must not delete the queue a second server just joined.
    first, second = store(redis_port), store(redis_port)
    mine = first.issue_ticket("handover", 60)
    theirs = second.issue_ticket("handover", 60)
    first.cleanup("handover", mine)
    lock = second.get_lock("handover")
    assert lock is not None and lock.now_serving == theirs
    second.cleanup("handover", theirs)
    assert second.get_lock("handover") is None


def test_the_production_endpoints_use_it(monkeypatch, redis_port):
    from rasa.core.lock_store import LockStore
    from rasa.core.utils import AvailableEndpoints

    for name in ("ASSISTANT_ACTION_ENDPOINT", "TRACKER_DB_HOST", "TRACKER_DB_PORT"):
        monkeypatch.setenv(name, "unused")
    for name in ("TRACKER_DB_NAME", "TRACKER_DB_USER", "TRACKER_DB_PASSWORD"):
        monkeypatch.setenv(name, "unused")
    monkeypatch.setenv("REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("REDIS_PORT", str(redis_port))
    monkeypatch.setenv("REDIS_PASSWORD", "")
    endpoints = AvailableEndpoints.read_endpoints(
        str(launcher.ROOT / "bot" / "endpoints.production.yml")
    )
    lock_store = LockStore.create(endpoints.lock_store)
    assert isinstance(lock_store, AtomicRedisLockStore)
    assert lock_store.red.ping() and lock_store.key_prefix.startswith("assistant:")
