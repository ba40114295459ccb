"""Account lockout: after N wrong passwords the account waits, and the clerk sees until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int
    duration: timedelta


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now


def after_failure(failed_attempts: int, now: datetime, policy: LockoutPolicy) -> tuple[int, datetime | None]:
    """The new failure count and lock; reaching the threshold locks and starts counting afresh."""
    failed = failed_attempts + 1
    if failed >= policy.threshold:
        return 0, now + policy.duration
    return failed, None


def remaining_attempts(failed_attempts: int, policy: LockoutPolicy) -> int:
    return max(0, policy.threshold - failed_attempts)
