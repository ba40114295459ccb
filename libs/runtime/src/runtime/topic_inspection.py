"""Looking at topics without joining a consumer group: end offsets, and every record so far.

Used to tell a new, empty broker (the outbox then refills it), to list dead letters, and in tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition


@asynccontextmanager
async def _groupless_consumer(bootstrap: str) -> AsyncIterator[AIOKafkaConsumer]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        yield consumer
    finally:
        try:
            await consumer.stop()
        except asyncio.CancelledError:
            # aiokafka cancels its own commit-reset task on stop and, without an assignment, lets
            # that cancellation escape; only a cancellation of *this* task must propagate.
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise


async def _partitions(consumer: AIOKafkaConsumer, topics: Iterable[str]) -> list[TopicPartition]:
    names = list(topics)
    await consumer._client.force_metadata_update()  # noqa: SLF001 - topics created a moment ago
    return [TopicPartition(t, p) for t in names for p in sorted(consumer.partitions_for_topic(t) or ())]


async def end_offsets(bootstrap: str, topics: Iterable[str]) -> dict[TopicPartition, int]:
    async with _groupless_consumer(bootstrap) as consumer:
        parts = await _partitions(consumer, topics)
        return dict(await consumer.end_offsets(parts)) if parts else {}


async def read_records(bootstrap: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record on a topic so far, in partition order (reading changes nothing)."""
    async with _groupless_consumer(bootstrap) as consumer:
        parts = await _partitions(consumer, [topic])
        if not parts:
            return []
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        ends = await consumer.end_offsets(parts)
        records: list[ConsumerRecord[bytes, bytes]] = []
        while await _behind(consumer, ends):
            for batch in (await consumer.getmany(*parts, timeout_ms=500)).values():
                records.extend(batch)
        return records


async def _behind(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            return True
    return False
