"""Windowed counters in Redis: per client address and per account, shared by every replica."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from ..errors import RateLimited


@dataclass(frozen=True)
class RateLimiter:
    redis: Redis
    prefix: str
    window_seconds: int

    async def hit(self, scope: str, who: str, limit: int) -> None:
        """Count one attempt; over the limit, refuse with the seconds until the window closes.

        The window opens at the first attempt (not on the clock's minute), so a burst
        straddling a minute boundary is not allowed twice the limit.
        """
        count, seconds_left = await self.count(f"rate:{scope}", who, self.window_seconds)
        if count > limit:
            raise RateLimited(seconds_left)

    async def count(self, scope: str, who: str, ttl_seconds: int) -> tuple[int, int]:
        """A counter that lives `ttl_seconds` from its first hit: how many so far, seconds left."""
        key = f"{self.prefix}count:{scope}:{who}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, ttl_seconds, nx=True)
            pipe.ttl(key)
            count, _, ttl = await pipe.execute()
        return int(count), max(1, int(ttl))
