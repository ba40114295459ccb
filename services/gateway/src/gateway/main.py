"""The gateway process: wiring only."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path

import httpx
from fastapi import FastAPI, Request, Response
from redis.asyncio import Redis

from runtime.clock import Clock, SystemClock
from runtime.logs import get_logger
from runtime.service import ServiceSpec, create_service

from .api import (
    accounts,
    audit,
    auth,
    billing,
    billing_settlements,
    card_batches,
    cards,
    enrollment,
    enrollment_review,
    members,
    mutual_aid,
    mutual_aid_codes,
    orgs,
    password_resets,
    registrations,
    retiree,
    retiree_accounts,
    workbench,
)
from .api.audit_trail import AuditTrail
from .api.body_limit import BodyLimit
from .api.relay import answer
from .consumers import subscriptions
from .domain.sessions import SessionLimits
from .service import audit as audit_log
from .service import retiree_accounts as pre_issued
from .service.captcha import CaptchaStore
from .service.ratelimit import RateLimiter
from .service.sessions import SessionStore
from .service.upstream import UpstreamProblem, connect
from .settings import GatewaySettings
from .web import add_api_docs, mount_web_ui

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
log = get_logger(__name__)


def create_app(
    settings: GatewaySettings | None = None,
    clock: Clock | None = None,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
) -> FastAPI:
    """`transports` reach services in-process (tests): {"org": httpx.ASGITransport(org_app), "members": …}."""
    settings = settings or GatewaySettings()
    pre_issuer = pre_issued.PreIssuer(settings.retiree_initial_password)
    app = create_service(
        ServiceSpec(
            name="gateway",
            settings=settings,
            migrations=MIGRATIONS,
            routers=[
                auth.router,
                registrations.router,
                password_resets.router,
                accounts.router,
                audit.router,
                orgs.router,
                members.router,
                enrollment.router,
                enrollment_review.router,
                cards.router,
                card_batches.router,
                billing.router,
                billing_settlements.router,
                mutual_aid_codes.router,
                mutual_aid.router,
                workbench.router,
                retiree_accounts.router,
                retiree.router,
            ],
            subscriptions=subscriptions(pre_issuer),
            state_counts={"gateway.retiree_unit": pre_issued.count_units},
            resources=partial(_resources, settings=settings, transports=transports),
            readiness_checks={"redis": _redis_ready},
        )
    )
    app.state.clock = clock or SystemClock()
    app.state.pre_issuer = pre_issuer
    app.add_exception_handler(UpstreamProblem, _upstream_problem)
    upload_routes = (*members.UPLOAD_ROUTES, *billing.UPLOAD_ROUTES, *mutual_aid_codes.UPLOAD_ROUTES)
    upload_routes = (*upload_routes, *retiree.UPLOAD_ROUTES)
    uploads = dict.fromkeys((*upload_routes, *mutual_aid.UPLOAD_ROUTES), settings.upload_max_bytes)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, routes=uploads)
    app.add_middleware(AuditTrail)  # outermost: it also logs what the body limit refuses
    add_api_docs(app)
    mount_web_ui(app, settings.static_dir)
    return app


@asynccontextmanager
async def _resources(
    app: FastAPI, *, settings: GatewaySettings, transports: Mapping[str, httpx.AsyncBaseTransport] | None
) -> AsyncIterator[None]:
    """Redis, the service clients and the audit purge job live as long as the service."""
    redis = Redis.from_url(settings.redis_url)
    _wire(app, settings, redis, transports)
    purging = asyncio.create_task(_purge_audit_periodically(app, settings), name="audit-purge")
    try:
        yield
    finally:
        purging.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await purging
        for upstream in app.state.upstreams.values():
            await upstream.client.aclose()
        await redis.aclose()


def _wire(
    app: FastAPI, settings: GatewaySettings, redis: Redis, transports: Mapping[str, httpx.AsyncBaseTransport] | None
) -> None:
    prefix, clock = settings.redis_key_prefix, app.state.clock
    app.state.redis = redis
    app.state.captchas = CaptchaStore(redis, prefix, settings.captcha_ttl_seconds, settings.captcha_fixed_code)
    app.state.limiter = RateLimiter(redis, prefix, settings.rate_window_seconds)
    limits = SessionLimits(settings.session_idle_minutes * 60, settings.session_absolute_hours * 3600)
    app.state.session_store = SessionStore(redis, prefix, clock, limits)
    app.state.upstreams = connect(
        {
            "org": settings.org_url,
            "members": settings.members_url,
            "enrollment": settings.enrollment_url,
            "cards": settings.cards_url,
            "billing": settings.billing_url,
        },
        timeout=settings.upstream_timeout_seconds,
        secret=settings.internal_token_secret,
        token_ttl=timedelta(seconds=settings.internal_token_ttl_seconds),
        transports=transports,
    )
    app.state.upstreams["enrollment"].client.timeout = httpx.Timeout(settings.enrollment_timeout_seconds)
    app.state.upstreams["billing"].client.timeout = httpx.Timeout(settings.billing_timeout_seconds)
    app.state.pre_issuer.enrollment = app.state.upstreams["enrollment"]
    if settings.captcha_fixed_code:
        log.warning("captcha.fixed_code_enabled", hint="only for automated test runs")


async def _upstream_problem(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, UpstreamProblem)
    return answer(exc.response)


async def _redis_ready(app: FastAPI) -> str:
    try:
        return "ok" if await app.state.redis.ping() else "unreachable"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


async def _purge_audit_periodically(app: FastAPI, settings: GatewaySettings) -> None:
    while True:
        try:
            async with app.state.sessions() as session:
                purged = await audit_log.purge(session, app.state.clock, settings.audit_retention_days)
            if purged:
                log.info("audit.purged", entries=purged, retention_days=settings.audit_retention_days)
        except Exception:
            log.exception("audit.purge_failed")
        await asyncio.sleep(settings.audit_purge_interval_seconds)
