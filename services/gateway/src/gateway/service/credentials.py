"""Argon2 password hashes (pwdlib); hashing is slow on purpose, so it runs off the event loop."""

from __future__ import annotations

import asyncio
from functools import cache

from pwdlib import PasswordHash


@cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


@cache
def _decoy() -> str:
    # Verified against when the account does not exist, so both answers take as long.
    return _hasher().hash("decoy-password-never-matches")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher().hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    return await asyncio.to_thread(_hasher().verify, password, password_hash or _decoy())
