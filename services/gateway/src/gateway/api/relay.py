"""Passing a request on to a service and its answer back: status, problem+json, files unchanged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from fastapi import Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.background import BackgroundTask

from runtime.identity import mask_phone

from ..domain.actors import actor_ids, name_actors
from ..service.accounts import names_of
from ..service.upstream import Upstream
from ..service.users import User

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
PASSED_HEADERS = ("content-disposition",)
# Request headers a service acts on besides the token: a retried submission carries its key.
FORWARDED_HEADERS = ("idempotency-key",)
FILE_GUARD_HEADERS = ("x-content-type-options", "content-security-policy", "cache-control")


def file_urls(service_prefix: str) -> Callable[[Any], Any]:
    """A `reshape` for `relay`: every file `url` of the service (under `service_prefix`) in an answer,
    as the browser reaches it through the gateway (`/api` + the service's path)."""

    def rewrite(body: Any) -> Any:
        if isinstance(body, list):
            return [rewrite(item) for item in body]
        if isinstance(body, dict):
            return {k: "/api" + v if is_file(k, v) else rewrite(v) for k, v in body.items()}
        return body

    def is_file(key: str, value: Any) -> bool:
        return key == "url" and isinstance(value, str) and value.startswith(service_prefix + "/")

    return rewrite


def answer(response: httpx.Response) -> Response:
    headers = {h: response.headers[h] for h in PASSED_HEADERS if h in response.headers}
    return Response(
        response.content,
        status_code=response.status_code,
        media_type=response.headers.get("content-type"),
        headers=headers,
    )


async def relay(
    service: Upstream,
    user: User,
    request: Request,
    path: str,
    *,
    reshape: Callable[[Any], Any] | None = None,
    params: list[tuple[str, str]] | None = None,
    timeout: float | None = None,
) -> Response:
    """Forward method, query (or `params` instead) and body as the signed-in user; `reshape` edits a
    successful JSON answer; `timeout` replaces the service's own wait (a big upload read in the request).
    Every `…_by` account id in the answer gets its person's name beside it (`…_by_name`)."""
    body = await request.body() if request.method in BODY_METHODS else None
    response = await service.send(
        user.principal,
        request.method,
        path,
        params=list(request.query_params.multi_items()) if params is None else params,
        content=body or None,
        content_type=request.headers.get("content-type") if body else None,
        headers={h: request.headers[h] for h in FORWARDED_HEADERS if h in request.headers},
        timeout=timeout,
    )
    json_answer = response.headers.get("content-type", "").startswith("application/json")
    if response.status_code >= 300 or not json_answer or not response.content:  # e.g. 204 after a delete
        return answer(response)
    payload = response.json()
    if ids := actor_ids(payload):
        async with request.app.state.sessions() as session:
            name_actors(payload, await names_of(session, ids))
    elif reshape is None:
        return answer(response)
    return JSONResponse(reshape(payload) if reshape else payload, status_code=response.status_code)


async def relay_file(service: Upstream, user: User, request: Request, path: str, *, timeout: float) -> Response:
    """A file (PDF, xlsx) streamed on as the service sends it; a refusal (problem+json) as it is.
    `timeout`: the wait for the service to start answering, which builds the whole file first."""
    params = list(request.query_params.multi_items())
    response = await service.open(user.principal, request.method, path, params=params, timeout=timeout)
    if response.status_code >= 300:
        await response.aread()
        await response.aclose()
        return answer(response)
    # the raw bytes, as sent, and the service's guards for files users uploaded (never sniffed or run)
    passed = (*PASSED_HEADERS, "content-length", "content-encoding", *FILE_GUARD_HEADERS)
    return StreamingResponse(
        response.aiter_raw(),
        status_code=response.status_code,
        media_type=response.headers.get("content-type"),
        headers={h: response.headers[h] for h in passed if h in response.headers},
        background=BackgroundTask(response.aclose),
    )


def masking(*fields: str) -> Callable[[Any], Any]:
    """Mask these phone fields in every item of a list page: lists never show full numbers."""

    def mask(page: Any) -> Any:
        for item in page.get("items", []):
            for f in fields:
                if item.get(f):
                    item[f] = mask_phone(item[f])
        return page

    return mask
