"""Login sessions in Redis: a random 256-bit id per login, a set per account so logout-all works.

The idle and absolute limits are judged against the injectable clock (domain.sessions); Redis's
TTL only clears what nobody will ask for again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from redis.asyncio import Redis

from runtime.clock import Clock

from ..domain.sessions import SessionLimits, SessionTimes, is_expired, seconds_left


@dataclass(frozen=True)
class LoginSession:
    sid: str
    account_id: int
    times: SessionTimes


class SessionExpired(Exception):
    pass


@dataclass(frozen=True)
class SessionStore:
    redis: Redis
    prefix: str
    clock: Clock
    limits: SessionLimits

    def _key(self, sid: str) -> str:
        return f"{self.prefix}session:{sid}"

    def _account_key(self, account_id: int) -> str:
        return f"{self.prefix}account-sessions:{account_id}"

    def _now(self) -> float:
        return self.clock.now().timestamp()

    async def open(self, account_id: int) -> str:
        sid = secrets.token_urlsafe(32)  # 256 bits
        now = self._now()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key(sid), mapping={"account_id": account_id, "created_at": now, "last_seen": now})
            pipe.expire(self._key(sid), self.limits.idle_seconds)
            pipe.sadd(self._account_key(account_id), sid)
            pipe.expire(self._account_key(account_id), self.limits.absolute_seconds)
            await pipe.execute()
        return sid

    async def resume(self, sid: str) -> LoginSession | None:
        """The session behind a cookie, renewed; None when unknown; SessionExpired when timed out."""
        raw = await self.redis.hgetall(self._key(sid))
        if not raw:
            return None
        fields = {k.decode(): v.decode() for k, v in raw.items()}
        account_id = int(fields["account_id"])
        times = SessionTimes(float(fields["created_at"]), float(fields["last_seen"]))
        now = self._now()
        if is_expired(times, now, self.limits):
            await self.close(sid, account_id)
            raise SessionExpired
        renewed = SessionTimes(times.created_at, now)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key(sid), "last_seen", now)
            pipe.expire(self._key(sid), seconds_left(renewed, now, self.limits))
            await pipe.execute()
        return LoginSession(sid, account_id, renewed)

    async def owner(self, sid: str) -> int | None:
        """Whose session this is, without renewing it (logging out of an expired one still works)."""
        value = await self.redis.hget(self._key(sid), "account_id")
        return int(value) if value is not None else None

    async def close(self, sid: str, account_id: int) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(self._key(sid))
            pipe.srem(self._account_key(account_id), sid)
            await pipe.execute()

    async def close_all(self, account_id: int, *, keep: str | None = None) -> int:
        """End every session of an account (logout-all, password change or reset, disabling)."""
        sids = {
            s.decode() if isinstance(s, bytes) else s for s in await self.redis.smembers(self._account_key(account_id))
        }
        ending = sids - {keep} if keep else sids
        if ending:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.delete(*(self._key(s) for s in ending))
                pipe.srem(self._account_key(account_id), *ending)
                await pipe.execute()
        return len(ending)
