"""The cards service process: wiring only."""

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from runtime.clock import Clock, SystemClock
from runtime.pii import BlindIndex, key_from_setting
from runtime.service import ServiceSpec, create_service

from .api import batches, cards, pending, personal, revocations
from .consumers import subscriptions
from .service.gauge import STATE_COUNTS
from .settings import CardsSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: CardsSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or CardsSettings()
    app = create_service(
        ServiceSpec(
            name="cards",
            settings=settings,
            migrations=MIGRATIONS,
            routers=[cards.router, pending.router, batches.router, revocations.router, personal.router],
            subscriptions=subscriptions(),
            produces=[topics.CARDS, topics.SOCIALSEC],
            state_counts=STATE_COUNTS,
        )
    )
    app.state.clock = clock or SystemClock()
    app.state.seal = settings.partner_seal()
    app.state.blind_index = BlindIndex(key_from_setting(settings.blind_index_key, "CARDS_BLIND_INDEX_KEY"))
    return app
