"""The enrollment service process: wiring only."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from contracts import topics
from runtime.clock import Clock, SystemClock
from runtime.pii import BlindIndex, key_from_setting
from runtime.service import ServiceSpec, create_service

from .api import (
    batches,
    codes,
    collective,
    coverage,
    instant,
    mutual_aid,
    programmes,
    retiree,
    review,
    splits,
    submissions,
)
from .consumers import subscriptions
from .service.gauge import STATE_COUNTS
from .service.mail import mail_sender_from
from .service.mutual_aid.checks import RosterChecks
from .service.mutual_aid.imports import RosterImports
from .service.mutual_aid.vault import RosterVault
from .service.payments import LapseWatch
from .service.retiree.imports import RetireeImports
from .service.retiree.notices import NoticeSenders, RetireeNotices
from .service.retiree.vault import RetireeVault
from .service.sms import LogSmsSender, gate_from
from .settings import EnrollmentSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: EnrollmentSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or EnrollmentSettings()
    clock = clock or SystemClock()

    @asynccontextmanager
    async def lapse_watch(app: FastAPI) -> AsyncIterator[None]:
        watch = LapseWatch(app.state.sessions, clock, settings.lapse_scan_seconds)
        watch.start()
        # roster uploads (参保清册) run in the background; unfinished ones are picked up again
        imports = app.state.roster_imports = RosterImports(
            app.state.engine, app.state.sessions, app.state.roster_vault, clock, settings.roster_import_scan_seconds
        )
        imports.start()
        # so does 清册校验 (rosters of tens of thousands of rows)
        checks = app.state.roster_checks = RosterChecks(
            app.state.engine, app.state.sessions, app.state.roster_vault, clock, settings.roster_check_scan_seconds
        )
        checks.start()
        # 退休住院计划 roster uploads, the same way
        retiree_imports = app.state.retiree_imports = RetireeImports(
            app.state.engine, app.state.sessions, app.state.retiree_vault, clock, settings.roster_import_scan_seconds
        )
        retiree_imports.start()
        # 退休住院计划 代扣结果 to the handlers (SMS and mail), recorded by the bank's last outcome
        notices = app.state.retiree_notices = RetireeNotices(
            app.state.sessions, app.state.retiree_vault, app.state.notice_senders, clock,
            settings.notice_scan_seconds, settings.notice_max_attempts,
        )  # fmt: skip
        notices.start()
        try:
            yield
        finally:
            await notices.stop()
            await retiree_imports.stop()
            await checks.stop()
            await imports.stop()
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
                codes.router,
                mutual_aid.router,
                retiree.router,
            ],  # fmt: skip
            subscriptions=subscriptions(),
            produces=[topics.ENROLLMENT, topics.SOCIALSEC],
            resources=lapse_watch,
            state_counts=STATE_COUNTS,
        )
    )
    app.state.clock = clock
    app.state.cipher = settings.pii_cipher()
    # 短信验证码 and notices: the local sender logs the message (no SMS gateway is wired yet); mail by settings
    sms_sender = LogSmsSender()
    app.state.sms = gate_from(settings, sms_sender)
    app.state.notice_senders = NoticeSenders(sms_sender, mail_sender_from(settings))
    app.state.roster_vault = RosterVault(
        app.state.cipher,
        BlindIndex(key_from_setting(settings.roster_index_key, "ENROLLMENT_ROSTER_INDEX_KEY")),
        settings.partner_seal(),
    )
    app.state.retiree_vault = RetireeVault.of(app.state.roster_vault)  # 退休住院计划: same keys, own fields
    return app
