"""`/healthz`: the process answers. `/readyz`: the database and the broker answer; consumer lag shown.

A service with more dependencies puts them in `app.state.readiness_checks` ({name: async check(app)
returning "ok" or an error text}); each must answer "ok" too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker

router = APIRouter(include_in_schema=False)
ReadinessCheck = Callable[[FastAPI], Awaitable[str]]


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    checks: dict[str, Any] = {"database": await _database(request), "broker": await _broker(request)}
    extra: dict[str, ReadinessCheck] = getattr(request.app.state, "readiness_checks", {})
    for name, check in extra.items():
        checks[name] = await _guarded(check, request.app)
    checks["consumer_lag"] = await consumer_lag(request.app.state.broker)
    required = ["database", "broker", *extra]
    ready = all(checks[k] == "ok" for k in required) and request.app.state.started
    return JSONResponse({"status": "ready" if ready else "not_ready", **checks}, status_code=200 if ready else 503)


async def _guarded(check: ReadinessCheck, app: FastAPI) -> str:
    try:
        return await check(app)
    except Exception as exc:
        return f"error: {type(exc).__name__}"


async def _database(request: Request) -> str:
    try:
        async with request.app.state.engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


async def _broker(request: Request) -> str:
    try:
        return "ok" if await request.app.state.broker.ping(timeout=2.0) else "unreachable"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


async def consumer_lag(broker: KafkaBroker) -> dict[str, int]:
    """Messages not yet consumed per subscribed topic: high-water mark minus the consumer's position."""
    lag: dict[str, int] = {}
    for sub in broker.subscribers:
        consumer = getattr(sub, "consumer", None)
        if consumer is None:
            continue
        try:
            for tp in consumer.assignment():
                high = consumer.highwater(tp) or 0
                position = await consumer.position(tp)
                lag[tp.topic] = lag.get(tp.topic, 0) + max(0, high - position)
        except Exception:  # lag is informative; it never fails readiness
            continue
    return lag
