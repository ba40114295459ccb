"""The org service process: wiring only."""

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from runtime.clock import Clock, SystemClock
from runtime.service import ServiceSpec, create_service

from .api import enterprises, orgs, stats
from .consumers import SUBSCRIPTIONS
from .settings import OrgSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: OrgSettings | None = None, clock: Clock | None = None) -> FastAPI:
    app = create_service(
        ServiceSpec(
            name="org",
            settings=settings or OrgSettings(),
            migrations=MIGRATIONS,
            routers=[orgs.router, stats.router, enterprises.router],
            subscriptions=SUBSCRIPTIONS,
            produces=[topics.ORG],
        )
    )
    app.state.clock = clock or SystemClock()
    return app
