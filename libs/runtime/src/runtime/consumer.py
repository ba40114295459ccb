"""How every service consumes: decode the CloudEvent, dedupe through the inbox, run the use case in
one transaction, retry with backoff, then dead-letter. Offsets are committed only after that.

A service declares its handlers as a table `{ce_type: handler}` per topic; the handler gets the
open session and the decoded event and does its work inside the transaction it is given.
"""

from __future__ import annotations

import asyncio
import time
import traceback
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaRouter
from faststream.kafka.annotations import KafkaMessage
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import topics
from contracts.envelope import Envelope, Event, MissingAttribute, parse_headers
from contracts.registry import UnknownEventType, event_class

from .db import Sessions
from .inbox import first_delivery
from .logs import get_logger, scrub_pii
from .telemetry import consumer_span, record_consumed, record_dlq, record_position

log = get_logger(__name__)

Handler = Callable[[AsyncSession, Any, Envelope], Awaitable[None]]


class Poison(Exception):
    """A message no retry can fix (undecodable): straight to the DLQ."""


class EventConsumer:
    def __init__(
        self,
        sessions: Sessions,
        broker: KafkaBroker,
        *,
        max_attempts: int,
        backoff_seconds: float,
    ) -> None:
        self.sessions, self.broker = sessions, broker
        self.max_attempts, self.backoff_seconds = max_attempts, backoff_seconds

    async def handle(self, topic: str, handlers: Mapping[str, Handler], msg: Any, group: str = "") -> None:
        """Handle one message; ``group`` (the consumer group) labels the metrics."""
        started = time.perf_counter()
        outcome, ce_type = await self._handle(topic, handlers, msg)
        if outcome:
            record_consumed(topic, ce_type, outcome, time.perf_counter() - started, group)
        _note_position(topic, group, msg)

    async def _handle(self, topic: str, handlers: Mapping[str, Handler], msg: Any) -> tuple[str, str]:
        try:
            envelope, event = decode(msg.headers, msg.body)
        except Poison as exc:
            await self.dead_letter(topic, msg, exc, attempts=0)
            return "poison", "unknown"
        handler = handlers.get(envelope.type)
        if handler is None:
            return "", envelope.type  # another consumer's business; acknowledged and ignored
        with consumer_span(topic, envelope.type, msg.headers):
            return await self._apply(topic, handler, envelope, event, msg), envelope.type

    async def _apply(self, topic: str, handler: Handler, envelope: Envelope, event: Event, msg: Any) -> str:
        for attempt in range(1, self.max_attempts + 1):
            try:
                async with self.sessions() as session, session.begin():
                    if not await first_delivery(session, envelope.source, envelope.id, envelope.type):
                        return "duplicate"
                    await handler(session, event, envelope)
                return "ok"
            except Exception as exc:
                log.warning(
                    "consumer.attempt_failed",
                    topic=topic,
                    ce_type=envelope.type,
                    ce_id=envelope.id,
                    attempt=attempt,
                    error=type(exc).__name__,
                )
                if attempt == self.max_attempts:
                    await self.dead_letter(topic, msg, exc, attempts=attempt)
                    return "dead_lettered"
                await asyncio.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        return "dead_lettered"

    async def dead_letter(self, topic: str, msg: Any, exc: BaseException, *, attempts: int) -> None:
        """Park the message with its error; if even that fails, raise so the offset is not committed."""
        raw = msg.raw_message
        headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in msg.headers.items()}
        headers |= {
            "x-error-type": type(exc).__name__,
            # Error texts can quote a payload value: masked like a log line, since `dlq list` prints them.
            "x-error": scrub_pii("".join(traceback.format_exception_only(exc)).strip())[:2000],
            "x-attempts": str(attempts),
            "x-original-topic": topic,
            "x-original-partition": str(getattr(raw, "partition", "")),
            "x-original-offset": str(getattr(raw, "offset", "")),
        }
        await self.broker.publish(msg.body, topics.dlq(topic), key=getattr(raw, "key", None), headers=headers)
        record_dlq(topic)
        log.error("consumer.dead_lettered", topic=topic, error=headers["x-error-type"], attempts=attempts)


def _note_position(topic: str, group: str, msg: Any) -> None:
    """After a message is done with (its offset is about to be committed), for the lag gauge."""
    raw = getattr(msg, "raw_message", None)
    partition, offset = getattr(raw, "partition", None), getattr(raw, "offset", None)
    if group and isinstance(partition, int) and isinstance(offset, int):
        record_position(topic, group, partition, offset + 1, getattr(msg, "consumer", None))


def decode(headers: Mapping[str, Any], body: bytes) -> tuple[Envelope, Event]:
    try:
        envelope = parse_headers(headers)
    except (MissingAttribute, ValueError) as exc:
        raise Poison(str(exc)) from exc
    try:
        cls = event_class(envelope.type)
    except UnknownEventType:
        return envelope, _Unknown()
    try:
        return envelope, cls.model_validate_json(body)
    except ValidationError as exc:
        raise Poison(f"{envelope.type}: {exc.error_count()} invalid fields") from exc


class _Unknown(Event):
    """Stands for an event type this build does not know; no handler is ever registered for it."""

    ce_type = "unknown"
    topic = "unknown"

    def key(self) -> str:
        return ""


def subscribe(
    router: KafkaRouter,
    consumer: EventConsumer,
    topic: str,
    group_id: str,
    handlers: Mapping[str, Handler],
) -> None:
    """Register one subscriber of `topic` for a service's group; commit offsets after processing."""

    @router.subscriber(
        topic,
        group_id=group_id,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        auto_offset_reset="earliest",
        session_timeout_ms=6000,  # a restarted replica rejoins fast; Kafka's floor is 6 s
        heartbeat_interval_ms=1000,
        title=f"{group_id}:{topic}",
    )
    async def on_message(msg: KafkaMessage) -> None:
        await consumer.handle(topic, handlers, msg, group_id)
