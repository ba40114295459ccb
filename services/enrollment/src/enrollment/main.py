"""The enrollment service process: wiring only."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from runtime.clock import Clock, SystemClock
from runtime.pii import PiiCipher, key_from_text
from runtime.service import ServiceSpec, create_service

from .api import batches, collective, coverage, instant, programmes, review, splits, submissions
from .consumers import subscriptions
from .service.gauge import STATE_COUNTS
from .service.payments import LapseWatch
from .settings import EnrollmentSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: EnrollmentSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or EnrollmentSettings()
    clock = clock or SystemClock()

    @asynccontextmanager
    async def lapse_watch(app: FastAPI) -> AsyncIterator[None]:
        watch = LapseWatch(app.state.sessions, clock, settings.lapse_scan_seconds)
        watch.start()
        try:
            yield
        finally:
            await watch.stop()

    app = create_service(
        ServiceSpec(
            name="enrollment",
            settings=settings,
            migrations=MIGRATIONS,
            routers=[
                programmes.router,
                splits.router,
                collective.router,
                instant.router,
                submissions.router,
                review.router,
                batches.router,
                coverage.router,
            ],  # fmt: skip
            subscriptions=subscriptions(),
            produces=[topics.ENROLLMENT, topics.SOCIALSEC],
            resources=lapse_watch,
            state_counts=STATE_COUNTS,
        )
    )
    app.state.clock = clock
    app.state.cipher = PiiCipher.single(key_from_text(settings.pii_key))
    return app
