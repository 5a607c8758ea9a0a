"""How many messages one conversation may send: at most ASSISTANT_RATE_LIMIT_PER_MINUTE
(default 30) in any 60 seconds, so that one client cannot flood the bot. Counted in Redis
when ASSISTANT_RATE_LIMIT_REDIS_URL is set (shared by every Rasa server behind the load
balancer), else in the Rasa process. If Redis cannot be reached, messages are let through
(and it is logged): people in need must not be locked out by a broken counter."""

import logging
import os
import time
import uuid
from collections import deque
from typing import Deque, Dict, Mapping, Optional, Text

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0
DEFAULT_PER_MINUTE = 30
# Conversations remembered in the process before the idle ones are dropped.
MAX_TRACKED = 50_000


class SenderRateLimit:
    def __init__(self, per_minute: int, redis_url: Optional[Text] = None) -> None:
        self.per_minute = per_minute
        self.recent: Dict[Text, Deque[float]] = {}
        self.redis = None
        if redis_url:
            import redis.asyncio

            self.redis = redis.asyncio.from_url(redis_url, socket_timeout=0.5)

    @classmethod
    def from_environment(cls, environ: Mapping[Text, Text] = os.environ) -> "SenderRateLimit":
        value = environ.get("ASSISTANT_RATE_LIMIT_PER_MINUTE", "") or str(DEFAULT_PER_MINUTE)
        try:
            per_minute = int(value)
        except ValueError as error:
            raise ValueError(
                f"ASSISTANT_RATE_LIMIT_PER_MINUTE={value!r} is not a number"
            ) from error
        return cls(per_minute, environ.get("ASSISTANT_RATE_LIMIT_REDIS_URL") or None)

    async def count(self, sender_id: Text) -> int:
        """Counts this message; returns how many the sender sent in the last minute, this
        one included (0 when there is no limit)."""
        if self.per_minute <= 0:
            return 0
        now = time.time()
        if self.redis is not None:
            try:
                return await self._count_in_redis(sender_id, now)
            except Exception as error:  # noqa: BLE001 - fail open, see the module's docstring
                logger.error("Rate limit not counted (Redis: %s)", error.__class__.__name__)
                return 0
        return self._count_here(sender_id, now)

    async def allows(self, sender_id: Text) -> bool:
        return await self.count(sender_id) <= self.per_minute

    def _count_here(self, sender_id: Text, now: float) -> int:
        if len(self.recent) > MAX_TRACKED:
            idle = [s for s, times in self.recent.items() if times[-1] < now - WINDOW_SECONDS]
            for sender in idle:
                del self.recent[sender]
        times = self.recent.setdefault(sender_id, deque())
        while times and times[0] <= now - WINDOW_SECONDS:
            times.popleft()
        times.append(now)
        return len(times)

    async def _count_in_redis(self, sender_id: Text, now: float) -> int:
        key = f"assistant:rate:{sender_id}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, 0, now - WINDOW_SECONDS)
            pipe.zadd(key, {f"{now}:{uuid.uuid4().hex[:8]}": now})
            pipe.zcard(key)
            pipe.expire(key, int(WINDOW_SECONDS) + 1)
            _, _, count, _ = await pipe.execute()
        return int(count)
