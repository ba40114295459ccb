"""What the routes take from the app (clock, the handler-phone cipher) and who may call what."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Header, Request, Response

from runtime.clock import Clock
from runtime.pii import PiiCipher
from runtime.tokens import Tier, require

# The gateway checks roles too; these are the second lock.
CITY = require(Tier.CITY, Tier.ADMIN)
DISTRICT = require(Tier.DISTRICT)
REVIEWERS = require(Tier.SECONDARY, Tier.DISTRICT)
GRASSROOTS = require(Tier.GRASSROOTS)
LAPSE = require(Tier.CITY, Tier.ADMIN, Tier.INSURER)


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def _cipher(request: Request) -> PiiCipher:
    cipher: PiiCipher = request.app.state.cipher
    return cipher


def _chunk(request: Request) -> int:
    return int(request.app.state.settings.check_chunk)


ClockDep = Annotated[Clock, Depends(_clock)]
ChunkDep = Annotated[int, Depends(_chunk)]
CipherDep = Annotated[PiiCipher, Depends(_cipher)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=100)]


def pdf_response(file_name: str, pdf: bytes) -> Response:
    disposition = f"attachment; filename=\"notice.pdf\"; filename*=UTF-8''{quote(file_name)}"
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": disposition})
