"""The members service process: wiring only."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from runtime.clock import Clock, SystemClock
from runtime.service import ServiceSpec, create_service

from .api import compares, imports, members, statistics, transfers
from .consumers import subscriptions
from .domain.upload import Limits
from .service.compares import Comparer
from .service.import_rows import RowChecker
from .service.imports import Importer
from .service.jobs import JobRunner
from .service.numbers import Numbering
from .service.vault import Keys, Vault
from .settings import MembersSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: MembersSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or MembersSettings()
    vault = Vault.from_settings(settings)
    app = create_service(
        ServiceSpec(
            name="members",
            settings=settings,
            migrations=MIGRATIONS,
            routers=[imports.router, compares.router, transfers.router, members.router, statistics.router],
            subscriptions=subscriptions(Numbering(settings.member_no_prefix, vault)),
            produces=[topics.MEMBERS],
        )
    )
    clock = clock or SystemClock()
    limits = Limits(settings.upload_max_bytes, settings.upload_max_uncompressed_bytes, settings.upload_max_ratio)
    runner = JobRunner(app.state.engine, concurrency=settings.job_concurrency, scan_seconds=settings.job_scan_seconds)
    app.state.clock, app.state.vault, app.state.jobs, app.state.limits = clock, vault, runner, limits
    checker = RowChecker(Keys.from_settings(settings), settings.import_processes)
    app.state.importer = Importer(app.state.sessions, checker, limits, settings.import_max_rows, clock, runner)
    app.state.comparer = Comparer(app.state.sessions, vault, limits, settings.import_max_rows, runner)
    _run_jobs_with_the_service(app, runner, checker)
    return app


def _run_jobs_with_the_service(app: FastAPI, runner: JobRunner, checker: RowChecker) -> None:
    """Jobs start after the service (migrations done) and stop before it (the pool still open)."""
    service_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app):
            checker.start()
            runner.start()
            try:
                yield
            finally:
                await runner.stop()
                checker.stop()

    app.router.lifespan_context = lifespan
