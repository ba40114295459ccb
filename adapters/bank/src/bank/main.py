"""The bank adapter process: wiring only. Same shape as a service: FastAPI (/healthz, /readyz,
/metrics) and FastStream in one process, its own database, outbox and inbox."""

from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from runtime.clock import Clock, SystemClock
from runtime.due_work import schedule_ready, scheduled
from runtime.service import ServiceSpec, create_service

from .consumers import subscriptions
from .domain.outcomes import IssuePolicy
from .service.issuing import Issuing
from .service.withholding import Withholding
from .settings import BankSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: BankSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or BankSettings()
    clock = clock or SystemClock()
    seal = settings.partner_seal()
    issuing = Issuing(policy(settings), seal, clock, chunk=settings.schedule_chunk)
    withholding = Withholding(
        seal,
        clock,
        wait_for_pension_day=settings.withhold_on_pension_day,
        reports_per_pass=settings.withholding_reports_per_pass,
    )
    due_work = [issuing.publish_due, withholding.publish_due]
    return create_service(
        ServiceSpec(
            name="bank",
            settings=settings,
            migrations=MIGRATIONS,
            subscriptions=subscriptions(issuing, withholding),
            produces=[topics.BANK],
            resources=scheduled(clock, due_work, settings.schedule_poll_seconds),
            readiness_checks={"schedule": schedule_ready},
        )
    )


def policy(settings: BankSettings) -> IssuePolicy:
    return IssuePolicy(
        seed=settings.seed,
        reject_rate=settings.reject_rate,
        reasons=tuple(settings.reject_reasons),
        card_bin=settings.card_bin,
        delay_seconds=settings.issue_delay_seconds,
        jitter_seconds=settings.issue_jitter_seconds,
    )
