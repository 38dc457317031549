"""Provider retries answered once: a message id seen before is not handled again.

Telegram, Messenger and WhatsApp deliver a webhook again when they did not get a 200 in time,
with the same update or message id. Each id is remembered here for a day: in this process (a
bounded LRU, enough for one server) and, when ``HUBGUIDE_REDIS_URL`` is set (several replicas,
`make cluster`), in Redis with ``SET NX EX``, so a retry that reaches another replica is
suppressed too. Redis being unreachable never drops a message: the local memory decides then.
"""

from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict

logger = logging.getLogger(__name__)

REDIS_VARIABLE = "HUBGUIDE_REDIS_URL"
KEY_PREFIX = "hubguide:channel-message:"
TTL_SECONDS = 24 * 3600


class SeenMessages:
    """Remembers message ids; ``first_time`` is True only once per id."""

    def __init__(
        self,
        *,
        size: int = 50_000,
        ttl: float = TTL_SECONDS,
        redis_url: str | None = None,
    ) -> None:
        self.size, self.ttl = size, ttl
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._redis_url = redis_url if redis_url is not None else os.environ.get(REDIS_VARIABLE)
        self._redis = None

    def _remember_locally(self, key: str, now: float) -> bool:
        seen = self._seen.get(key)
        if seen is not None and now - seen < self.ttl:
            self._seen.move_to_end(key)
            return False
        self._seen[key] = now
        self._seen.move_to_end(key)
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True

    async def _remember_in_redis(self, key: str) -> bool | None:
        if not self._redis_url:
            return None
        try:
            if self._redis is None:
                from redis import asyncio as aioredis

                self._redis = aioredis.from_url(self._redis_url)
            stored = await self._redis.set(KEY_PREFIX + key, "1", nx=True, ex=int(self.ttl))
            return bool(stored)
        except Exception as error:  # an outage must not drop messages
            logger.warning("Redis unreachable for message de-duplication: %s", error)
            return None

    async def first_time(self, key: str) -> bool:
        """True the first time ``key`` is seen (by this process or, with Redis, any replica)."""
        local = self._remember_locally(key, time.monotonic())
        if not local:
            return False
        shared = await self._remember_in_redis(key)
        return True if shared is None else shared

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.close()
            self._redis = None
