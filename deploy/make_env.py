"""Print deploy/.env: .env.example with every ``__generate:KIND__`` replaced by a fresh random value.

    python3 deploy/make_env.py > deploy/.env

Kinds: ``key`` (base64url of 32 random bytes, what runtime.pii takes), ``secret`` (64 hex
characters), ``password`` (32 hex characters: safe inside a database URL), ``cluster_id`` (a Kafka
KRaft cluster id). Standard library only, so it runs on any Docker host with Python 3.
"""

from __future__ import annotations

import base64
import re
import secrets
import sys
import uuid
from pathlib import Path

EXAMPLE = Path(__file__).with_name(".env.example")
MARKER = re.compile(r"__generate:(?P<kind>[a-z_]+)__")

GENERATORS = {
    "key": lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("="),
    "secret": lambda: secrets.token_hex(32),
    "password": lambda: secrets.token_hex(16),
    "cluster_id": lambda: base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="),
}


def render(example: str) -> str:
    """The example with each marker replaced by its own new value."""

    def fill(match: re.Match[str]) -> str:
        kind = match.group("kind")
        if kind not in GENERATORS:
            raise ValueError(f"unknown generator {kind!r} in .env.example")
        return GENERATORS[kind]()

    return MARKER.sub(fill, example)


if __name__ == "__main__":
    sys.stdout.write(render(EXAMPLE.read_text(encoding="utf-8")))
