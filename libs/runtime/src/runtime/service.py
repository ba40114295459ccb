"""The service factory: one FastAPI app and one Kafka broker per process, wired in a lifespan.

Start: logs and telemetry, migrations, broker (its subscribers), outbox relay (refilling a new,
empty broker from the retained window), state gauge. Stop, in order: consumers drain, the gauge
stops, the relay drains, the broker closes, the pool closes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker, KafkaRouter

from contracts import topics

from .consumer import EventConsumer, Handler, subscribe
from .db import create_engine, migrate, session_factory
from .errors import install_error_handlers
from .health import ReadinessCheck
from .health import router as health_router
from .logs import configure_logging, get_logger
from .outbox import OutboxRelay
from .settings import ServiceSettings
from .state_gauge import StateCount, StateGauge
from .telemetry import instrument_app, instrument_engine, instrument_httpx, metrics_router, setup_telemetry
from .topic_inspection import end_offsets

log = get_logger(__name__)

Subscriptions = Mapping[str, Mapping[str, Handler]]  # topic -> ce_type -> handler


@dataclass
class ServiceSpec:
    name: str
    settings: ServiceSettings
    migrations: Path
    routers: Iterable[APIRouter] = ()
    subscriptions: Subscriptions = field(default_factory=dict)
    produces: Iterable[str] = ()
    # What a service holds beyond the runtime's own (Redis, HTTP clients, jobs): entered after the
    # broker and relay start, left before they stop.
    resources: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None
    readiness_checks: Mapping[str, ReadinessCheck] = field(default_factory=dict)
    # aggregates_by_state: aggregate name (e.g. "cards.batch") -> its count query (runtime.state_gauge).
    state_counts: Mapping[str, StateCount] = field(default_factory=dict)


def create_service(spec: ServiceSpec) -> FastAPI:
    settings = spec.settings
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    broker = KafkaBroker(
        settings.kafka_bootstrap_servers,
        enable_idempotence=settings.kafka_idempotent,
        client_id=spec.name,
        logger=None,
    )
    consumer = EventConsumer(
        sessions, broker, max_attempts=settings.consumer_max_attempts, backoff_seconds=settings.consumer_backoff_seconds
    )
    router = KafkaRouter()
    for topic, handlers in spec.subscriptions.items():
        subscribe(router, consumer, topic, spec.name, handlers)
    broker.include_router(router)
    relay = OutboxRelay(
        sessions,
        broker,
        poll_seconds=settings.outbox_poll_seconds,
        retention=timedelta(hours=settings.outbox_retention_hours),
    )
    state_gauge = StateGauge(sessions, spec.state_counts, seconds=settings.state_scan_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(spec.name, settings.log_level)
        setup_telemetry(spec.name)
        instrument_engine(engine)
        instrument_httpx()
        await migrate(spec.migrations, settings.database_url)
        if settings.kafka_create_topics:
            await ensure_topics(settings.kafka_bootstrap_servers, [*spec.produces, *spec.subscriptions])
        await broker.connect()
        if await broker_is_empty(settings.kafka_bootstrap_servers, list(spec.produces)):
            rewound = await relay.rewind()
            if rewound:
                log.info("outbox.rewound_for_new_broker", events=rewound)
        relay.start()
        state_gauge.start()
        # Joining a consumer group takes seconds; HTTP serves meanwhile and /readyz waits for it.
        joining = asyncio.create_task(start_consumers(app, broker), name="consumers-join")
        log.info("service.started", port=settings.port)
        try:
            async with spec.resources(app) if spec.resources else contextlib.nullcontext():
                yield
        finally:
            app.state.started = False
            joining.cancel()
            for sub in broker.subscribers:
                await sub.stop()
            await state_gauge.stop()
            await relay.stop()
            await broker.stop()
            await engine.dispose()
            log.info("service.stopped")

    app = FastAPI(title=f"{spec.name} service", lifespan=lifespan)
    app.state.settings, app.state.engine, app.state.sessions = settings, engine, sessions
    app.state.broker, app.state.relay, app.state.started = broker, relay, False
    app.state.state_gauge = state_gauge
    app.state.readiness_checks = dict(spec.readiness_checks)
    install_error_handlers(app)
    instrument_app(app)
    app.include_router(health_router)
    app.include_router(metrics_router())
    for r in spec.routers:
        app.include_router(r)
    return app


async def start_consumers(app: FastAPI, broker: KafkaBroker) -> None:
    await asyncio.gather(*(sub.start() for sub in broker.subscribers))
    broker.running = True
    app.state.started = True
    log.info("service.consumers_joined", subscribers=len(broker.subscribers))


async def ensure_topics(bootstrap: str, names: Iterable[str], partitions: int = 3) -> None:
    """Create missing topics and their dead-letter twins (deploy/ creates them up front in production)."""
    wanted = {n for name in names for n in (name, topics.dlq(name))}
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        missing = wanted - set(await admin.list_topics())
        if missing:
            await admin.create_topics(
                [NewTopic(t, num_partitions=partitions, replication_factor=1) for t in sorted(missing)]
            )
    finally:
        await admin.close()


async def broker_is_empty(bootstrap: str, produced: list[str]) -> bool:
    """True when none of our topics holds a single message: a new broker that forgot everything."""
    ends = await end_offsets(bootstrap, produced) if produced else {}
    return bool(ends) and all(v == 0 for v in ends.values())
