"""Seeded draws: a number in [0, 1) that depends only on the seed and the parts named, so a run can
be repeated exactly (same seed and input, same outcome) without any state."""

from __future__ import annotations

import hashlib


def draw(seed: str, *parts: str) -> float:
    digest = hashlib.sha256("\x1f".join((seed, *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def digits(seed: str, count: int, *parts: str) -> str:
    """`count` decimal digits derived from the seed and parts."""
    digest = hashlib.sha256("\x1f".join((seed, "digits", *parts)).encode()).digest()
    return str(int.from_bytes(digest, "big") % 10**count).zfill(count)
