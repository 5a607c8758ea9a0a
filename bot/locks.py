"""Rasa's Redis lock store, made safe for several Rasa servers.

Rasa Open Source 3.6 keeps each conversation's ticket queue as one JSON value in Redis and
changes it by reading it, changing it in Python and writing it back, in separate commands.
Two servers taking a ticket for the same conversation at the same moment both read the same
queue and both write back their own ticket with the same number: both then believe they
hold the lock, process the conversation at once, and the SQL tracker store keeps the events
of only one of the two turns (the production test lost two of eight messages this way).

`AtomicRedisLockStore` keeps Rasa's ticket algorithm, data format and configuration and runs
every read-change-write of a queue as one Redis transaction (WATCH/MULTI/EXEC), retried when
another server changed the queue in between. Endpoints select it with
`type: bot.locks.AtomicRedisLockStore` and the same keys as Rasa's `type: redis`.
"""

import json
from typing import Callable, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Result = TypeVar("Result")

# How often a message waiting for its conversation looks again. Rasa's default is one
# second, which a person typing three short messages in a row feels on each of them.
POLL_SECONDS = 0.1


class AtomicRedisLockStore(RedisLockStore):
    """Ticket locks in Redis whose queue changes are atomic across servers."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_SECONDS,
    ):
        return super().lock(conversation_id, lock_lifetime, wait_time_in_seconds)

    def _change(
        self,
        conversation_id: Text,
        change: Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Result]],
    ) -> Result:
        """Read the conversation's queue, apply `change` and write what it returns (None
        deletes the queue), all or nothing; start again if another server wrote first."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    changed, result = change(lock)
                    pipe.multi()
                    if changed is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, changed.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, take)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def release(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, release)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Give the ticket back, and remove the queue if nobody else is in it, in one
        step: Rasa's two steps could delete a ticket another server had just taken."""

        def release(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return (lock if lock and lock.is_someone_waiting() else None), None

        self._change(conversation_id, release)
