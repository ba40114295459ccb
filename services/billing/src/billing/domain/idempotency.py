"""Idempotency-Key on every money-moving request: a retry gets the first response; the same key with
different content is refused (409). A key belongs to the user who sent it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from runtime.errors import DomainError, InvalidInput

MAX_KEY = 100


def check_key(key: str | None) -> str:
    if key is None or not key.strip():
        raise InvalidInput("idempotency.key_required", "缺少 Idempotency-Key 请求头（资金类请求必须携带）")
    if len(key) > MAX_KEY or not key.isascii() or not key.isprintable():
        raise InvalidInput("idempotency.key_invalid", f"Idempotency-Key 应为1–{MAX_KEY}个可打印的 ASCII 字符")
    return key


def request_hash(route: str, body: Any, files: Mapping[str, bytes] | None = None) -> str:
    """What the request asked for: its route, its body and the digests of its files."""
    digest = {name: hashlib.sha256(content).hexdigest() for name, content in sorted((files or {}).items())}
    text = json.dumps([route, body, digest], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def is_replay(stored_hash: str, digest: str) -> bool:
    """True: the same request again (answer with the stored response). Different content: refused."""
    if stored_hash != digest:
        raise DomainError("idempotency.key_reused", "该 Idempotency-Key 已用于内容不同的请求")
    return True
