"""The internal token: the gateway signs who is calling; every service verifies it and scopes rows.

Scope is a path prefix on the org tree (`'1.12.340'`): reviewer tiers see their whole subtree, a
grassroots union its own org and the branch unions under it, platform staff everything.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

import jwt
from fastapi import Depends, Request
from pydantic import BaseModel

from .errors import Forbidden, Unauthorized

ISSUER = "gateway"
AUDIENCE = "platform-services"


class Tier(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    SECONDARY = "secondary"
    GRASSROOTS = "grassroots"
    ENTERPRISE = "enterprise"
    INSURER = "insurer"
    ADMIN = "admin"
    SYSTEM = "system"  # runner and jobs: demo data, replays


CITY_WIDE = frozenset({Tier.CITY, Tier.INSURER, Tier.ADMIN, Tier.SYSTEM})
REVIEWERS = frozenset({Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.ADMIN})


class Principal(BaseModel):
    user_id: str
    tier: Tier
    org_id: int | None = None
    org_path: str = ""

    def covers(self, path: str) -> bool:
        """Whether a row at org `path` is inside this caller's scope."""
        if self.tier in CITY_WIDE:
            return True
        if not self.org_path:
            return False
        return path == self.org_path or path.startswith(self.org_path + ".")

    @property
    def scope_prefix(self) -> str | None:
        """The path prefix every scoped query filters on; None means no filter (city-wide)."""
        return None if self.tier in CITY_WIDE else self.org_path


def issue(secret: str, principal: Principal, ttl: timedelta = timedelta(minutes=2)) -> str:
    now = datetime.now(UTC)
    claims = principal.model_dump(mode="json") | {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + ttl,
        "sub": principal.user_id,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def verify(secret: str, token: str) -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER)
    except jwt.ExpiredSignatureError:
        raise Unauthorized("token.expired", "登录凭证已过期，请重新登录") from None
    except jwt.PyJWTError:
        raise Unauthorized("token.invalid", "登录凭证无效") from None
    return Principal.model_validate(claims)


async def current_principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("token.missing", "缺少登录凭证")
    secret: str = request.app.state.settings.internal_token_secret
    return verify(secret, token)


Caller = Annotated[Principal, Depends(current_principal)]


def require(*tiers: Tier) -> object:
    """A route dependency: only these tiers may call (the gateway checks too; this is the second lock)."""

    async def check(principal: Caller) -> Principal:
        if principal.tier not in tiers and principal.tier is not Tier.SYSTEM:
            raise Forbidden("tier.forbidden", "当前账号无权执行此操作")
        return principal

    return Depends(check)
