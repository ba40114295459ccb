"""runtime.telemetry: Kafka trace propagation, /metrics, instrumentation, provider setup.

OTel's global providers can be set once per process, so in-process tests share one setup_telemetry()
(whichever caller came first) and watch spans through an extra in-memory processor; what
setup_telemetry itself builds is checked in fresh subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import create_async_engine

from runtime.telemetry import (
    consumer_span,
    extract_context,
    get_meter,
    inject_traceparent,
    instrument_app,
    instrument_engine,
    instrument_httpx,
    metrics_router,
    record_consumed,
    record_dlq,
    record_outbox,
    setup_telemetry,
)

TOPIC = "test.telemetry.v1"  # unique, so counters from other tests' topics do not mix in
CE_TYPE = "test.member.registered"


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    setup_telemetry("runtime-tests")
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()  # the processor stays registered but stops keeping spans


@pytest.fixture
def exporter(spans: InMemorySpanExporter) -> InMemorySpanExporter:
    spans.clear()
    return spans


def _one(spans: tuple[ReadableSpan, ...], name: str) -> ReadableSpan:
    found = [s for s in spans if s.name == name]
    assert len(found) == 1, [s.name for s in spans]
    return found[0]


def test_consumer_span_is_child_of_producer_span(exporter: InMemorySpanExporter) -> None:
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("publish", kind=SpanKind.PRODUCER):
        headers = inject_traceparent()
    assert set(headers) == {"traceparent"}

    # The consumer runs in another task with its own ambient span; the headers must win, and
    # aiokafka hands header values over as bytes.
    kafka_headers = {"ce_type": CE_TYPE.encode(), "traceparent": headers["traceparent"].encode()}
    with tracer.start_as_current_span("poll loop"), consumer_span(TOPIC, CE_TYPE, kafka_headers) as span:
        assert span.is_recording()

    finished = exporter.get_finished_spans()
    producer, consumer = _one(finished, "publish"), _one(finished, f"process {TOPIC}")
    assert producer.context is not None and consumer.context is not None
    assert consumer.context.trace_id == producer.context.trace_id
    assert consumer.parent is not None
    assert consumer.parent.span_id == producer.context.span_id
    assert consumer.parent.is_remote
    assert consumer.kind is SpanKind.CONSUMER
    assert dict(consumer.attributes or {}) == {
        "messaging.system": "kafka",
        "messaging.destination.name": TOPIC,
        "messaging.operation.type": "process",
        "cloudevents.event_type": CE_TYPE,
    }


def test_consumer_span_without_traceparent_starts_a_new_trace(exporter: InMemorySpanExporter) -> None:
    with consumer_span(TOPIC, CE_TYPE, {}):
        pass
    consumer = _one(exporter.get_finished_spans(), f"process {TOPIC}")
    assert consumer.parent is None


def test_consumer_span_records_the_failure(exporter: InMemorySpanExporter) -> None:
    with pytest.raises(RuntimeError), consumer_span(TOPIC, CE_TYPE, {}):
        raise RuntimeError("handler failed")
    consumer = _one(exporter.get_finished_spans(), f"process {TOPIC}")
    assert not consumer.status.is_ok
    assert [e.name for e in consumer.events] == ["exception"]


def test_inject_outside_a_span_is_empty() -> None:
    assert inject_traceparent() == {}


def test_extract_ignores_garbage() -> None:
    ctx = extract_context({"traceparent": b"not-a-traceparent"})
    assert not trace.get_current_span(ctx).get_span_context().is_valid


def test_extract_accepts_str_and_mixed_case_keys() -> None:
    header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    span_ctx = trace.get_current_span(extract_context({"Traceparent": header})).get_span_context()
    assert span_ctx.trace_id == 0x4BF92F3577B34DA6A3CE929D0E0E4736
    assert span_ctx.span_id == 0x00F067AA0BA902B7
    assert span_ctx.is_remote


async def test_metrics_endpoint_exposes_platform_instruments(spans: InMemorySpanExporter) -> None:
    record_consumed(TOPIC, CE_TYPE, "ok", 0.02)
    record_consumed(TOPIC, CE_TYPE, "ok", 0.3)
    record_dlq(f"{TOPIC}.dlq")
    record_outbox({TOPIC: (7, 12.5)})
    get_meter("test").create_counter("test_custom_thing").add(2)

    app = FastAPI()
    app.include_router(metrics_router())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        response = await client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "events_consumed_total" in response.text
    samples = {
        (s.name, s.labels.get("topic"), s.labels.get("outcome"), s.labels.get("le")): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }
    assert samples[("events_consumed_total", TOPIC, "ok", None)] == 2
    assert samples[("event_processing_seconds_count", TOPIC, None, None)] == 2
    # Second-scale buckets: 0.02 s and 0.3 s land apart, not both in the first millisecond bucket.
    assert samples[("event_processing_seconds_bucket", TOPIC, None, "0.025")] == 1
    assert samples[("event_processing_seconds_bucket", TOPIC, None, "0.5")] == 2
    assert samples[("events_dead_lettered_total", f"{TOPIC}.dlq", None, None)] == 1
    assert samples[("outbox_backlog", TOPIC, None, None)] == 7
    assert samples[("outbox_oldest_age_seconds", TOPIC, None, None)] == 12.5
    assert samples[("test_custom_thing_total", None, None, None)] == 2


async def test_instrumented_app_traces_requests_but_not_probes(exporter: InMemorySpanExporter) -> None:
    app = FastAPI()

    @app.get("/members/{member_id}")
    async def member(member_id: str) -> dict[str, str]:
        return {"id": member_id}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(metrics_router())
    instrument_app(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        for path in ("/members/m1", "/healthz", "/metrics"):
            assert (await client.get(path)).status_code == 200

    server = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert [s.name for s in server] == ["GET /members/{member_id}"]


def test_instrument_engine_attaches_one_tracer_per_engine() -> None:
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    # Nothing connects: the listeners are registered on the engine object.
    first = create_async_engine("postgresql+asyncpg://u:p@127.0.0.1:1/db")
    second = create_async_engine("postgresql+asyncpg://u:p@127.0.0.1:1/db")

    def listeners(engine: object) -> int:
        params = EngineTracer._remove_event_listener_params
        return sum(1 for ref, event, _ in params if ref() is engine and event == "before_cursor_execute")

    for engine in (first, second, second):
        instrument_engine(engine)
    assert listeners(first.sync_engine) == 1
    assert listeners(second.sync_engine) == 1


def test_instrument_httpx_is_idempotent() -> None:
    instrumentor = HTTPXClientInstrumentor()
    was_instrumented = instrumentor.is_instrumented_by_opentelemetry
    try:
        instrument_httpx()
        instrument_httpx()
        assert instrumentor.is_instrumented_by_opentelemetry
    finally:
        if not was_instrumented:
            instrumentor.uninstrument()


_SETUP_PROBE = textwrap.dedent(
    """
    import json
    from opentelemetry import metrics, propagate, trace
    from opentelemetry.exporter.prometheus import PrometheusMetricReader
    from runtime.telemetry import setup_telemetry

    setup_telemetry("members")
    tp, mp = trace.get_tracer_provider(), metrics.get_meter_provider()
    setup_telemetry("other")
    assert trace.get_tracer_provider() is tp and metrics.get_meter_provider() is mp
    processors = tp._active_span_processor._span_processors
    readers = mp._metric_readers
    print(json.dumps({
        "service": tp.resource.attributes["service.name"],
        "meter_service": mp._sdk_config.resource.attributes["service.name"],
        "span_processors": [type(p).__name__ for p in processors],
        "exporters": [type(p.span_exporter).__name__ for p in processors],
        "inner_exporters": [type(p.span_exporter._inner).__name__ for p in processors],
        "readers": [type(r).__name__ for r in readers],
        "fields": sorted(propagate.get_global_textmap().fields),
    }))
    """
)


def _probe_setup(endpoint: str | None, **extra: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")} | extra
    if endpoint:
        # Short timeout: the metric reader's final export at exit goes to a port nobody serves.
        env.update(OTEL_EXPORTER_OTLP_ENDPOINT=endpoint, OTEL_EXPORTER_OTLP_TIMEOUT="1")
    done = subprocess.run([sys.executable, "-c", _SETUP_PROBE], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_setup_without_collector_only_serves_prometheus() -> None:
    result = _probe_setup(None)
    assert result["service"] == "members"
    assert result["meter_service"] == "members"
    assert result["span_processors"] == []
    assert result["readers"] == ["PrometheusMetricReader"]
    assert result["fields"] == ["traceparent", "tracestate"]


def test_setup_with_collector_adds_otlp_exporters() -> None:
    # Nothing listens there; the exporters only send on flush, and a failed export is just logged.
    result = _probe_setup("http://127.0.0.1:1")
    assert result["service"] == "members"
    assert result["span_processors"] == ["BatchSpanProcessor"]
    # Spans are scrubbed of personal data on their way to the OTLP exporter.
    assert result["exporters"] == ["ScrubbingSpanExporter"]
    assert result["inner_exporters"] == ["OTLPSpanExporter"]
    assert result["readers"] == ["PrometheusMetricReader", "PeriodicExportingMetricReader"]


def test_metrics_exporter_none_keeps_metrics_on_the_scrape_only() -> None:
    # deploy/ lets Prometheus scrape /metrics and sends only spans to the collector.
    result = _probe_setup("http://127.0.0.1:1", OTEL_METRICS_EXPORTER="none")
    assert result["exporters"] == ["ScrubbingSpanExporter"]
    assert result["readers"] == ["PrometheusMetricReader"]
