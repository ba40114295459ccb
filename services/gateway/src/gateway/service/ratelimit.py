"""Fixed-window counters in Redis: per client address and per account, shared by every replica."""

from __future__ import annotations

import time
from dataclasses import dataclass

from redis.asyncio import Redis

from ..errors import RateLimited


@dataclass(frozen=True)
class RateLimiter:
    redis: Redis
    prefix: str
    window_seconds: int

    async def hit(self, scope: str, who: str, limit: int) -> None:
        """Count one attempt; over the limit, refuse with the seconds until the window turns."""
        now = time.time()
        window = int(now // self.window_seconds)
        key = f"{self.prefix}rate:{scope}:{who}:{window}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, self.window_seconds + 1)
            count, _ = await pipe.execute()
        if int(count) > limit:
            raise RateLimited(max(1, int(self.window_seconds * (window + 1) - now) + 1))

    async def count(self, scope: str, who: str, ttl_seconds: int) -> tuple[int, int]:
        """A counter that lives `ttl_seconds` from its first hit: how many so far, seconds left."""
        key = f"{self.prefix}count:{scope}:{who}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, ttl_seconds, nx=True)
            pipe.ttl(key)
            count, _, ttl = await pipe.execute()
        return int(count), max(1, int(ttl))
