"""What the routes take from the app: the clock, the partner seal and the applicants' blind index."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from runtime.clock import Clock
from runtime.pii import BlindIndex, PartnerSeal
from runtime.tokens import Tier, require

# Who may change cards (the gateway checks roles too; this is the second lock).
MANAGERS = require(Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.GRASSROOTS, Tier.ADMIN)
# 申工社 calls as a system (partner) caller.
PARTNER = require()


def _clock(request: Request) -> Clock:
    return request.app.state.clock


def _seal_keys(request: Request) -> tuple[PartnerSeal, BlindIndex]:
    return request.app.state.seal, request.app.state.blind_index


ClockDep = Annotated[Clock, Depends(_clock)]
SealKeys = Annotated[tuple[PartnerSeal, BlindIndex], Depends(_seal_keys)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=100)]
