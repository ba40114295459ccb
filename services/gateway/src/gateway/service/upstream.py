"""Calls to the platform services: one httpx client per service, an internal token per request.

A service's answer (status and problem+json) goes back to the browser unchanged; a service that
does not answer becomes a 503 `service.unavailable` naming it in Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from runtime.logs import get_logger
from runtime.tokens import Principal, Tier, issue

from ..errors import ServiceUnavailable

log = get_logger(__name__)

LABELS = {
    "org": "组织服务",
    "members": "会员服务",
    "enrollment": "参保服务",
    "cards": "会员服务卡服务",
    "billing": "缴费服务",
}
SYSTEM = Principal(user_id="gateway", tier=Tier.SYSTEM)


class UpstreamProblem(Exception):
    """A service said no: its response is what the browser gets."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"{response.status_code} from {response.request.url.path}")
        self.response = response


@dataclass
class Upstream:
    name: str
    client: httpx.AsyncClient
    secret: str
    token_ttl: timedelta

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name)

    def unavailable(self) -> ServiceUnavailable:
        return ServiceUnavailable("service.unavailable", f"{self.label}暂时不可用", service=self.name)

    async def send(
        self,
        principal: Principal,
        method: str,
        path: str,
        *,
        params: Any = None,
        content: bytes | None = None,
        json: Any = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        sent = {**(headers or {}), "Authorization": f"Bearer {issue(self.secret, principal, self.token_ttl)}"}
        if content_type:
            sent["Content-Type"] = content_type
        try:
            return await self.client.request(
                method, path, params=params, content=content, json=json, headers=sent,
                timeout=timeout or httpx.USE_CLIENT_DEFAULT,
            )  # fmt: skip
        except httpx.TransportError as exc:  # refused, reset, timed out: the service is not there for us
            log.warning("upstream.unavailable", service=self.name, path=path, error=type(exc).__name__)
            raise self.unavailable() from None

    async def open(
        self, principal: Principal, method: str, path: str, *, params: Any = None, timeout: float | None = None
    ) -> httpx.Response:
        """The answer with its body still to read (files): the caller streams it on and closes it."""
        headers = {"Authorization": f"Bearer {issue(self.secret, principal, self.token_ttl)}"}
        sent = self.client.build_request(
            method, path, params=params, headers=headers, timeout=timeout or httpx.USE_CLIENT_DEFAULT
        )
        try:
            return await self.client.send(sent, stream=True)
        except httpx.TransportError as exc:
            log.warning("upstream.unavailable", service=self.name, path=path, error=type(exc).__name__)
            raise self.unavailable() from None

    async def fetch(self, principal: Principal, method: str, path: str, **kwargs: Any) -> Any:
        """The decoded JSON of a successful answer; any other answer is raised for pass-through."""
        response = await self.send(principal, method, path, **kwargs)
        if response.status_code >= 400:
            raise UpstreamProblem(response)
        return response.json() if response.content else None


def connect(
    urls: Mapping[str, str],
    *,
    timeout: float,
    secret: str,
    token_ttl: timedelta,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
) -> dict[str, Upstream]:
    """One client per service; a test hands in transports to reach in-process apps."""
    transports = transports or {}
    return {
        name: Upstream(
            name,
            httpx.AsyncClient(base_url=url, timeout=timeout, transport=transports.get(name)),
            secret,
            token_ttl,
        )
        for name, url in urls.items()
    }
