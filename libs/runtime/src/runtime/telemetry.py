"""Traces and metrics: global providers, instrumentation, /metrics, Kafka context.

Spans and metrics go to an OTLP/HTTP collector only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set
(and ``OTEL_TRACES_EXPORTER`` / ``OTEL_METRICS_EXPORTER``, default ``otlp``, do not say ``none``),
so local runs and tests need no collector; Prometheus scraping of ``/metrics`` always works.
Span names, attributes and events are scrubbed of ID numbers and phones before they leave.
The platform's instruments live in runtime.metrics and are re-exported here.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Response
from opentelemetry import metrics, propagate, trace
from opentelemetry.context import Context
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import Span, SpanKind, Status
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.util.types import Attributes
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.ext.asyncio import AsyncEngine

from .logs import scrub_pii
from .metrics import (
    record_consumed,
    record_dlq,
    record_import_rows,
    record_outbox,
    record_position,
    record_published,
    record_state_counts,
    register_state_counts,
)

__all__ = [
    "consumer_span",
    "continued_span",
    "extract_context",
    "get_meter",
    "inject_traceparent",
    "instrument_app",
    "instrument_engine",
    "instrument_httpx",
    "metrics_router",
    "record_consumed",
    "record_dlq",
    "record_import_rows",
    "record_outbox",
    "record_position",
    "record_published",
    "record_state_counts",
    "register_state_counts",
    "setup_telemetry",
]

_OTLP_ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT"
# ExcludeList searches these in the full URL (scheme://host/path, no query string).
_EXCLUDED_URLS = "/healthz$,/readyz$,/metrics$"
_SCOPE = "runtime"

# The W3C format is fixed by the event envelope, so Kafka headers use it directly rather than
# whatever global propagator happens to be set (or not yet set).
_W3C = TraceContextTextMapPropagator()

_setup_lock = threading.Lock()
_setup_done = False


def setup_telemetry(service: str) -> None:
    """Install the global tracer and meter providers for ``service``; later calls do nothing.

    OTel lets the globals be set once per process, so the first call wins.
    """
    global _setup_done
    with _setup_lock:
        if _setup_done:
            return
        # Resource.create also merges OTEL_RESOURCE_ATTRIBUTES (deployment, version, pod).
        resource = Resource.create({SERVICE_NAME: service})

        tracer_provider = TracerProvider(resource=resource)
        readers: list[MetricReader] = [PrometheusMetricReader()]
        # Imported only when used (they pull in protobuf and requests); the exporters read the
        # endpoint, headers and timeouts from the standard OTEL_EXPORTER_OTLP_* env vars.
        if _otlp_wanted("TRACES"):
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            tracer_provider.add_span_processor(BatchSpanProcessor(ScrubbingSpanExporter(OTLPSpanExporter())))
        if _otlp_wanted("METRICS"):
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

            readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))

        trace.set_tracer_provider(tracer_provider)
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))
        propagate.set_global_textmap(TraceContextTextMapPropagator())
        _setup_done = True


def _otlp_wanted(signal: str) -> bool:
    """A collector is configured and ``OTEL_<signal>_EXPORTER`` (default ``otlp``) asks for it.

    deploy/ sets ``OTEL_METRICS_EXPORTER=none`` where Prometheus scrapes ``/metrics`` instead, so
    that the same series do not arrive twice.
    """
    if not os.environ.get(_OTLP_ENDPOINT_ENV):
        return False
    chosen = os.environ.get(f"OTEL_{signal}_EXPORTER", "otlp")
    return "otlp" in {name.strip().lower() for name in chosen.split(",")}


class ScrubbingSpanExporter(SpanExporter):
    """Masks ID numbers and phones in span names, attributes, events and status before export.

    Spans leave the process unscrubbed otherwise: a query string in ``http.target`` or an
    exception message recorded on a span can carry them.
    """

    def __init__(self, inner: SpanExporter) -> None:
        self._inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._inner.export([scrub_span(span) for span in spans])

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)


def scrub_span(span: ReadableSpan) -> ReadableSpan:
    """``span`` itself when it holds no personal data, else a masked copy."""
    if all(scrub_pii(text) == text for text in _span_texts(span)):
        return span
    description = span.status.description
    return ReadableSpan(
        name=scrub_pii(span.name),
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=_scrub_attributes(span.attributes),
        events=[Event(scrub_pii(e.name), _scrub_attributes(e.attributes), e.timestamp) for e in span.events],
        links=span.links,
        kind=span.kind,
        status=Status(span.status.status_code, scrub_pii(description)) if description else span.status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


def _span_texts(span: ReadableSpan) -> Iterator[str]:
    yield span.name
    yield from _attribute_texts(span.attributes)
    for event in span.events:
        yield event.name
        yield from _attribute_texts(event.attributes)
    if span.status.description:
        yield span.status.description


def _attribute_texts(attributes: Attributes) -> Iterator[str]:
    for value in (attributes or {}).values():
        for item in value if isinstance(value, tuple | list) else (value,):
            if isinstance(item, str | int) and not isinstance(item, bool):
                yield str(item)


def _scrub_attributes(attributes: Attributes) -> dict[str, Any]:
    return {key: _scrub_attribute(value) for key, value in (attributes or {}).items()}


def _scrub_attribute(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return tuple(_scrub_attribute(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return value
    # A phone recorded as an int becomes its masked text.
    text = scrub_pii(str(value))
    return value if text == str(value) else text


def instrument_app(app: FastAPI) -> None:
    """Trace every request except the probes and the scrape endpoint (noise, no insight)."""
    # The ASGI receive/send spans add a dozen children per upload and say nothing an SRE reads.
    FastAPIInstrumentor.instrument_app(app, excluded_urls=_EXCLUDED_URLS, exclude_spans=["receive", "send"])


_instrumented_engines: weakref.WeakSet[Any] = weakref.WeakSet()


def instrument_engine(engine: AsyncEngine) -> None:
    """Trace the statements run through ``engine``; calling again for the same engine is a no-op."""
    sync_engine = engine.sync_engine
    if sync_engine in _instrumented_engines:
        return
    instrumentor = SQLAlchemyInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        # skip_dep_check: the instrumentation pins sqlalchemy < 2.1 and would otherwise log an error
        # and do nothing; its engine event hooks are unchanged in 2.1.
        instrumentor.instrument(engine=sync_engine, skip_dep_check=True)
    elif not _has_engine_tracer(sync_engine):
        # The instrumentor is a process-wide singleton that ignores a second instrument(); a
        # second engine created before it ran still needs its own listeners.
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

        tracer = trace.get_tracer("opentelemetry.instrumentation.sqlalchemy")
        usage = metrics.get_meter("opentelemetry.instrumentation.sqlalchemy").create_up_down_counter(
            "db.client.connections.usage", unit="connections"
        )
        EngineTracer(tracer, sync_engine, usage)  # type: ignore[no-untyped-call]  # untyped upstream
    _instrumented_engines.add(sync_engine)


def _has_engine_tracer(sync_engine: Any) -> bool:
    # Engines created after instrument() get listeners from the wrapped create_async_engine;
    # adding another EngineTracer would record every statement twice.
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    # Private bookkeeping of (weakref(engine), event, listener); if it ever goes away we only risk
    # doubled spans for that rare engine, never missing ones.
    registered: Iterable[tuple[Any, ...]] = getattr(EngineTracer, "_remove_event_listener_params", ())
    for params in registered:
        target = params[0] if params else None
        if isinstance(target, weakref.ref):
            target = target()
        if target is sync_engine:
            return True
    return False


def instrument_httpx() -> None:
    """Trace outgoing httpx calls and carry the trace context to the callee."""
    instrumentor = HTTPXClientInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument()


def metrics_router() -> APIRouter:
    """A router with ``GET /metrics`` in the Prometheus text format."""
    router = APIRouter()

    # Sync on purpose: collection runs the OTel reader, so keep it off the event loop.
    @router.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        return Response(content=generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


def get_meter(name: str) -> metrics.Meter:
    """The global meter ``name`` (a proxy until setup_telemetry, so safe at import time)."""
    return metrics.get_meter(name)


def inject_traceparent() -> dict[str, str]:
    """``{"traceparent": ...}`` for the current span, or ``{}`` outside a valid span."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return {"traceparent": carrier["traceparent"]} if "traceparent" in carrier else {}


def extract_context(headers: Mapping[str, str | bytes]) -> Context:
    """The producer's context from Kafka headers (aiokafka gives bytes, FastStream str)."""
    carrier = {
        key.lower(): value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        for key, value in headers.items()
    }
    return _W3C.extract(carrier)


@contextmanager
def continued_span(name: str, traceparent: str | None, attributes: Attributes = None) -> Iterator[Span]:
    """A span in the trace ``traceparent`` names (kept with a job when a request asked for it), so
    that work done later, after a restart or on another replica, still joins that request's trace.
    Without one, a child of the current span (or a new trace).

    Attributes are ids and routing metadata only, as for ``consumer_span``.
    """
    context = extract_context({"traceparent": traceparent}) if traceparent else None
    with trace.get_tracer(_SCOPE).start_as_current_span(name, context=context, attributes=attributes) as span:
        yield span


@contextmanager
def consumer_span(topic: str, ce_type: str, headers: Mapping[str, str | bytes]) -> Iterator[Span]:
    """A CONSUMER span for one event, child of the producer's span when the headers carry one.

    Attributes are routing metadata only; payload fields (names, ID numbers, phones) never go on
    spans, which leave the process unscrubbed.
    """
    tracer = trace.get_tracer(_SCOPE)
    with tracer.start_as_current_span(
        f"process {topic}",
        context=extract_context(headers),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "kafka",
            "messaging.destination.name": topic,
            "messaging.operation.type": "process",
            "cloudevents.event_type": ce_type,
        },
    ) as span:
        yield span
