"""The billing service process: wiring only."""

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from runtime.clock import Clock, SystemClock
from runtime.service import ServiceSpec, create_service

from .api import accounts, payables, receipts, reconciliation, refunds, vouchers
from .consumers import subscriptions
from .service.gauge import STATE_COUNTS
from .service.intake import Intake
from .settings import BillingSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: BillingSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or BillingSettings()
    clock = clock or SystemClock()

    app = create_service(
        ServiceSpec(
            name="billing",
            settings=settings,
            migrations=MIGRATIONS,
            routers=[
                payables.router,
                accounts.router,
                vouchers.router,
                refunds.router,
                receipts.router,
                reconciliation.router,
            ],  # fmt: skip
            subscriptions=subscriptions(Intake(settings.issuer_name, clock)),
            produces=[topics.BILLING],
            state_counts=STATE_COUNTS,
        )
    )
    app.state.clock = clock
    app.state.cipher = settings.pii_cipher()
    return app
