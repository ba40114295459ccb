"""Traces and metrics: global providers, instrumentation, /metrics, platform instruments, Kafka context.

Spans and metrics go to an OTLP/HTTP collector only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set,
so local runs and tests need no collector; Prometheus scraping of ``/metrics`` always works.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Response
from opentelemetry import metrics, propagate, trace
from opentelemetry.context import Context
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = [
    "consumer_span",
    "extract_context",
    "get_meter",
    "inject_traceparent",
    "instrument_app",
    "instrument_engine",
    "instrument_httpx",
    "metrics_router",
    "record_consumed",
    "record_dlq",
    "record_outbox",
    "setup_telemetry",
]

_OTLP_ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT"
# ExcludeList searches these in the full URL (scheme://host/path, no query string).
_EXCLUDED_URLS = "/healthz$,/readyz$,/metrics$"
_SCOPE = "runtime"
# Seconds, not the SDK default buckets (0..10000, meant for milliseconds).
_PROCESSING_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

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
        export_otlp = bool(os.environ.get(_OTLP_ENDPOINT_ENV))

        tracer_provider = TracerProvider(resource=resource)
        readers: list[MetricReader] = [PrometheusMetricReader()]
        if export_otlp:
            # Imported only when used (they pull in protobuf and requests); the exporters read the
            # endpoint, headers and timeouts from the standard OTEL_EXPORTER_OTLP_* env vars.
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))

        trace.set_tracer_provider(tracer_provider)
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))
        propagate.set_global_textmap(TraceContextTextMapPropagator())
        _setup_done = True


def instrument_app(app: FastAPI) -> None:
    """Trace every request except the probes and the scrape endpoint (noise, no insight)."""
    FastAPIInstrumentor.instrument_app(app, excluded_urls=_EXCLUDED_URLS)


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


@dataclass(frozen=True)
class _Instruments:
    events_consumed: metrics.Counter
    event_processing_seconds: metrics.Histogram
    events_dead_lettered: metrics.Counter


_instruments_lock = threading.Lock()
_instruments: _Instruments | None = None
# (backlog, oldest age); None until the relay reports, so no made-up zero is exported.
_outbox_state: tuple[int, float] | None = None


def _observe_backlog(_options: CallbackOptions) -> Iterable[Observation]:
    state = _outbox_state
    return [] if state is None else [Observation(state[0])]


def _observe_oldest_age(_options: CallbackOptions) -> Iterable[Observation]:
    state = _outbox_state
    return [] if state is None else [Observation(state[1])]


def _platform_instruments() -> _Instruments:
    # Created lazily and through the global (proxy) meter, so they bind to whichever provider
    # setup_telemetry installs, even if first used before it.
    global _instruments
    if _instruments is not None:
        return _instruments
    with _instruments_lock:
        if _instruments is None:
            meter = metrics.get_meter(_SCOPE)
            meter.create_observable_gauge(
                "outbox_backlog",
                callbacks=[_observe_backlog],
                unit="{message}",
                description="Outbox rows not yet published",
            )
            meter.create_observable_gauge(
                "outbox_oldest_age_seconds",
                callbacks=[_observe_oldest_age],
                unit="s",
                description="Age of the oldest unpublished outbox row",
            )
            _instruments = _Instruments(
                events_consumed=meter.create_counter(
                    "events_consumed", unit="{event}", description="Events handled, by outcome"
                ),
                event_processing_seconds=meter.create_histogram(
                    "event_processing_seconds",
                    unit="s",
                    description="Time spent handling one event",
                    explicit_bucket_boundaries_advisory=_PROCESSING_BUCKETS,
                ),
                events_dead_lettered=meter.create_counter(
                    "events_dead_lettered", unit="{event}", description="Events sent to a dead-letter topic"
                ),
            )
        return _instruments


def record_consumed(topic: str, ce_type: str, outcome: str, seconds: float) -> None:
    """Count one handled event (``outcome`` e.g. ok/retry/dlq/duplicate) and its handling time."""
    instruments = _platform_instruments()
    instruments.events_consumed.add(1, {"topic": topic, "type": ce_type, "outcome": outcome})
    instruments.event_processing_seconds.record(seconds, {"topic": topic, "type": ce_type})


def record_outbox(backlog: int, oldest_age_seconds: float) -> None:
    """Report the outbox backlog; the gauges export the latest reported values."""
    global _outbox_state
    _platform_instruments()
    _outbox_state = (backlog, oldest_age_seconds)


def record_dlq(topic: str) -> None:
    """Count one event sent to the dead-letter topic ``topic``."""
    _platform_instruments().events_dead_lettered.add(1, {"topic": topic})


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
