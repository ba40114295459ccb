"""The social-security adapter process: wiring only. Same shape as a service: FastAPI (/healthz,
/readyz, /metrics) and FastStream in one process, its own database, outbox and inbox."""

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from runtime.clock import Clock, SystemClock
from runtime.due_work import schedule_ready, scheduled
from runtime.service import ServiceSpec, create_service

from .consumers import subscriptions
from .register_file import register_from
from .service.checks import Checking, Timing
from .settings import SocialsecSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: SocialsecSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or SocialsecSettings()
    clock = clock or SystemClock()
    timing = Timing(
        latency_seconds=settings.latency_seconds,
        jitter_seconds=settings.latency_jitter_seconds,
        failure_rate=settings.failure_rate,
        report_chunk=settings.report_chunk,
        requests_per_pass=settings.schedule_chunk,
    )
    seal = settings.partner_seal()
    checking = Checking(register_from(settings), seal, clock, timing)
    app = create_service(
        ServiceSpec(
            name="socialsec",
            settings=settings,
            migrations=MIGRATIONS,
            subscriptions=subscriptions(checking),
            produces=[topics.SOCIALSEC],
            resources=scheduled(clock, [checking.publish_due], settings.schedule_poll_seconds),
            readiness_checks={"schedule": schedule_ready},
        )
    )
    app.state.register = checking.register  # issue 11 reads unit headcounts from it
    return app
