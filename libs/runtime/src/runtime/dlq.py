"""Dead letters: list what a topic's DLQ holds and replay it onto the original topic.

    uv run python -m runtime.dlq list members.v1
    uv run python -m runtime.dlq replay members.v1 [--id CE_ID ...]

A replayed message keeps its CloudEvents id, so a consumer that already applied it (through an
earlier replay) sees a duplicate and does nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from contracts import topics

from .topic_inspection import read_records


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    key: bytes | None
    headers: dict[str, str]
    body: bytes

    @property
    def ce_id(self) -> str:
        return self.headers.get("ce_id", "")

    def original_headers(self) -> list[tuple[str, bytes]]:
        return [(k, v.encode()) for k, v in self.headers.items() if not k.startswith("x-")]

    def summary(self) -> dict[str, str]:
        return {
            "offset": f"{self.partition}:{self.offset}",
            "ce_id": self.ce_id,
            "ce_type": self.headers.get("ce_type", ""),
            "error_type": self.headers.get("x-error-type", ""),
            "error": self.headers.get("x-error", ""),
            "attempts": self.headers.get("x-attempts", ""),
        }


async def read_dead_letters(bootstrap: str, topic: str) -> list[DeadLetter]:
    return [
        DeadLetter(r.partition, r.offset, r.key, {k: v.decode() for k, v in r.headers}, r.value or b"")
        for r in await read_records(bootstrap, topics.dlq(topic))
    ]


async def replay(bootstrap: str, topic: str, ce_ids: Iterable[str] = ()) -> int:
    """Publish dead letters (all, or those with the given ids) back onto `topic`."""
    wanted = set(ce_ids)
    letters = [d for d in await read_dead_letters(bootstrap, topic) if not wanted or d.ce_id in wanted]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for letter in letters:
            await producer.send_and_wait(topic, letter.body, key=letter.key, headers=letter.original_headers())
    finally:
        await producer.stop()
    return len(letters)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m runtime.dlq", description="死信队列：查看与重放")
    parser.add_argument("command", choices=["list", "replay"])
    parser.add_argument("topic", help="the original topic, e.g. members.v1")
    parser.add_argument("--id", dest="ids", action="append", default=[], help="replay only this ce_id")
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    args = parser.parse_args()
    if args.command == "list":
        for letter in asyncio.run(read_dead_letters(args.bootstrap, args.topic)):
            print(json.dumps(letter.summary(), ensure_ascii=False))
    else:
        print(f"replayed {asyncio.run(replay(args.bootstrap, args.topic, args.ids))} message(s) onto {args.topic}")


if __name__ == "__main__":
    main()
