"""Session lifetime: an idle timeout renewed by use, under an absolute cap from login."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SessionTimes:
    created_at: float  # epoch seconds
    last_seen: float


@dataclass(frozen=True)
class SessionLimits:
    idle_seconds: int
    absolute_seconds: int


def is_expired(times: SessionTimes, now: float, limits: SessionLimits) -> bool:
    return now - times.last_seen >= limits.idle_seconds or now - times.created_at >= limits.absolute_seconds


def seconds_left(times: SessionTimes, now: float, limits: SessionLimits) -> int:
    """How long the session may live from now: what the store's TTL is set to after each use."""
    left = min(limits.idle_seconds, times.created_at + limits.absolute_seconds - now)
    return max(1, int(left))
