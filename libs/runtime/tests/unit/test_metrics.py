"""runtime.metrics: consumer lag, outbox per topic, import rows, state counts, and span scrubbing.

Read through the real /metrics route (the Prometheus reader setup_telemetry installs), as a scrape
would. Topic and aggregate names are unique to this module so other tests' series do not mix in.
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Status, StatusCode
from prometheus_client.parser import text_string_to_metric_families

from runtime.telemetry import (
    ScrubbingSpanExporter,
    metrics_router,
    record_consumed,
    record_import_rows,
    record_outbox,
    record_position,
    record_published,
    record_state_counts,
    register_state_counts,
    setup_telemetry,
)

TOPIC = "test.metrics.v1"
GROUP = "test-metrics"
RAW_ID = "110105194912310021"
RAW_MOBILE = "13812345678"


class FakeConsumer:
    """What the lag gauge reads from an aiokafka consumer: its assignment and high-water marks."""

    def __init__(self, highwater: dict[int, int]) -> None:
        self.marks = highwater

    def assignment(self) -> set[Any]:
        from aiokafka import TopicPartition

        return {TopicPartition(TOPIC, p) for p in self.marks}

    def highwater(self, tp: Any) -> int:
        return self.marks[tp.partition]


async def scrape() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    setup_telemetry("runtime-tests")
    app = FastAPI()
    app.include_router(metrics_router())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        text = (await client.get("/metrics")).text
    return {
        (s.name, tuple(sorted((k, v) for k, v in s.labels.items() if not k.startswith("otel_")))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_consumer_lag_follows_the_high_water_mark_per_topic_and_group() -> None:
    consumer = FakeConsumer({0: 10, 1: 4})
    record_position(TOPIC, GROUP, 0, 7, consumer)
    record_position(TOPIC, GROUP, 1, 4, consumer)
    lag = ("consumer_lag", (("group", GROUP), ("topic", TOPIC)))
    assert (await scrape())[lag] == 3

    # Nothing more is consumed while producers go on: the lag grows at the next scrape.
    consumer.marks[1] = 9
    assert (await scrape())[lag] == 8

    # Partition 0 went to another replica: that replica reports it, this one no longer does.
    del consumer.marks[0]
    assert (await scrape())[lag] == 5


async def test_position_of_a_test_double_without_highwater_is_ignored() -> None:
    record_position("test.metrics.nolag.v1", GROUP, 0, 1, object())
    assert not [key for key in await scrape() if dict(key[1]).get("topic") == "test.metrics.nolag.v1"]


async def test_processing_time_is_labelled_with_the_group() -> None:
    record_consumed(TOPIC, "test.thing.happened", "ok", 0.02, GROUP)
    samples = await scrape()
    labels = (("group", GROUP), ("outcome", "ok"), ("topic", TOPIC), ("type", "test.thing.happened"))
    assert samples[("events_consumed_total", labels)] == 1
    count = ("event_processing_seconds_count", (("group", GROUP), ("topic", TOPIC), ("type", "test.thing.happened")))
    assert samples[count] == 1


async def test_outbox_backlog_per_topic_and_a_drained_topic_reads_zero() -> None:
    record_outbox({TOPIC: (4, 75.0), "test.metrics.other.v1": (1, 2.0)})
    samples = await scrape()
    assert samples[("outbox_backlog", (("topic", TOPIC),))] == 4
    assert samples[("outbox_oldest_age_seconds", (("topic", TOPIC),))] == 75.0

    record_outbox({"test.metrics.other.v1": (2, 3.0)})
    samples = await scrape()
    assert samples[("outbox_backlog", (("topic", TOPIC),))] == 0
    assert samples[("outbox_oldest_age_seconds", (("topic", TOPIC),))] == 0
    assert samples[("outbox_backlog", (("topic", "test.metrics.other.v1"),))] == 2


async def test_import_rows_counter() -> None:
    before = (await scrape()).get(("members_import_rows_total", (("outcome", "accepted"),)), 0)
    record_import_rows(1000)
    record_import_rows(250)
    record_import_rows(0)
    record_import_rows(3, outcome="rejected")
    samples = await scrape()
    assert samples[("members_import_rows_total", (("outcome", "accepted"),))] == before + 1250
    assert samples[("members_import_rows_total", (("outcome", "rejected"),))] >= 3


async def test_state_counts_pushed_and_pulled_and_a_broken_source_hides_nothing_else() -> None:
    record_state_counts("test.batch", {"draft": 2, "submitted": 5})
    live = {"due": 7}
    register_state_counts("test.payable", lambda: live)

    def broken() -> dict[str, int]:
        raise RuntimeError("database away")

    register_state_counts("test.broken", broken)
    samples = await scrape()
    assert samples[("aggregates_by_state", (("aggregate", "test.batch"), ("state", "submitted")))] == 5
    assert samples[("aggregates_by_state", (("aggregate", "test.payable"), ("state", "due")))] == 7
    assert not [k for k in samples if dict(k[1]).get("aggregate") == "test.broken"]

    live["due"], live["paid"] = 6, 1
    record_state_counts("test.batch", {"submitted": 4})
    samples = await scrape()
    assert samples[("aggregates_by_state", (("aggregate", "test.payable"), ("state", "paid")))] == 1
    assert samples[("aggregates_by_state", (("aggregate", "test.batch"), ("state", "submitted")))] == 4
    assert ("aggregates_by_state", (("aggregate", "test.batch"), ("state", "draft"))) not in samples


def test_spans_leave_without_id_numbers_or_phones() -> None:
    """A span carrying an ID number and a phone in its name, attributes, events and status reaches
    the exporter masked; a clean span is passed on as the same object."""
    sink = InMemorySpanExporter()
    tracer = TracerProvider()
    tracer.add_span_processor(SimpleSpanProcessor(ScrubbingSpanExporter(sink)))
    t = tracer.get_tracer("test")
    with t.start_as_current_span(f"GET /members?id_number={RAW_ID}") as span:
        span.set_attribute("http.target", f"/members?id_number={RAW_ID}&mobile={RAW_MOBILE}")
        span.set_attribute("phone", int(RAW_MOBILE))
        span.set_attribute("phones", [RAW_MOBILE, "none"])
        span.set_attribute("rows", 3)
        span.record_exception(ValueError(f"duplicate {RAW_ID}"))
        span.set_status(Status(StatusCode.ERROR, f"failed for {RAW_MOBILE}"))
    with t.start_as_current_span("clean"):
        pass

    scrubbed, clean = sink.get_finished_spans()
    text = repr(
        (
            scrubbed.name,
            dict(scrubbed.attributes or {}),
            [(e.name, dict(e.attributes or {})) for e in scrubbed.events],
            scrubbed.status.description,
        )
    )
    assert RAW_ID not in text and RAW_MOBILE not in text
    assert scrubbed.name == "GET /members?id_number=110***********0021"
    assert scrubbed.attributes is not None
    assert scrubbed.attributes["phone"] == "138*****5678"
    assert scrubbed.attributes["phones"] == ("138*****5678", "none")
    assert scrubbed.attributes["rows"] == 3
    assert scrubbed.events[0].attributes is not None
    assert scrubbed.events[0].attributes["exception.message"] == "duplicate 110***********0021"
    assert scrubbed.status.description == "failed for 138*****5678"
    assert clean.name == "clean"


async def test_a_topic_once_published_shows_an_empty_outbox_as_zero() -> None:
    record_published("test.metrics.published.v1", "test.thing.happened", 2)
    record_outbox({})
    samples = await scrape()
    assert samples[("outbox_backlog", (("topic", "test.metrics.published.v1"),))] == 0
    assert samples[("outbox_oldest_age_seconds", (("topic", "test.metrics.published.v1"),))] == 0
    published = ("events_published_total", (("topic", "test.metrics.published.v1"), ("type", "test.thing.happened")))
    assert samples[published] == 2
