"""What the routes take from the app (clock, cipher, settings) and who may call what; file responses."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Header, Request, Response

from runtime.clock import Clock
from runtime.pii import PiiCipher
from runtime.tokens import Tier, require

from ..settings import BillingSettings

# The gateway checks roles too; these are the second lock.
PAYERS = require(Tier.DISTRICT, Tier.SECONDARY, Tier.GRASSROOTS, Tier.ENTERPRISE, Tier.CITY)
INSURER = require(Tier.INSURER, Tier.ADMIN)


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def _cipher(request: Request) -> PiiCipher:
    cipher: PiiCipher = request.app.state.cipher
    return cipher


def _settings(request: Request) -> BillingSettings:
    settings: BillingSettings = request.app.state.settings
    return settings


ClockDep = Annotated[Clock, Depends(_clock)]
CipherDep = Annotated[PiiCipher, Depends(_cipher)]
SettingsDep = Annotated[BillingSettings, Depends(_settings)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


def attachment(file_name: str, media_type: str, content: bytes) -> Response:
    """Always a download, never rendered in the browser's origin (nosniff, a sandboxing CSP)."""
    fallback = "document.pdf" if media_type == "application/pdf" else "download"
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )
