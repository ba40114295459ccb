"""Member ids: UUIDv7 (RFC 9562), time-ordered, so the newest members sort last by id."""

from __future__ import annotations

import os
import time
import uuid


def time_ordered_id(now_ms: int | None = None) -> uuid.UUID:
    """48 bits of Unix milliseconds, version 7, 74 random bits with the RFC variant."""
    ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & (2**48 - 1)) << 80 | 0x7 << 76 | (rand >> 68 & 0xFFF) << 64 | 0b10 << 62 | rand & (2**62 - 1)
    return uuid.UUID(int=value)


def time_ordered_ids(count: int) -> list[uuid.UUID]:
    """`count` ids of this millisecond, cheaper than one call each (an import batch asks for thousands)."""
    return [uuid.UUID(int=value) for value in time_ordered_values(count)]


def time_ordered_values(count: int) -> list[int]:
    """The same as 128-bit numbers: an import writes each as 16 bytes and as text, without a UUID
    object in between."""
    prefix = (time.time_ns() // 1_000_000 & (2**48 - 1)) << 80 | 0x7 << 76 | 0b10 << 62
    randomness = os.urandom(10 * count)
    values = []
    for offset in range(0, 10 * count, 10):
        rand = int.from_bytes(randomness[offset : offset + 10], "big")
        values.append(prefix | (rand >> 68 & 0xFFF) << 64 | rand & (2**62 - 1))
    return values


def id_text(value: int) -> str:
    """A UUID's usual text (8-4-4-4-12 lower-case hex digits) from its 128-bit number."""
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
