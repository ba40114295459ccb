"""Request bodies over the limit are refused before anything parses them (413 `request.too_large`).

Upload routes, named by (method, path), get their own, larger limit; a path may name a parameter
(`/api/billing/vouchers/{voucher_no}`), which stands for any one segment."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runtime.errors import problem

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, routes: Mapping[tuple[str, str], int] | None = None) -> None:
        self.app, self.max_bytes, self.routes = app, max_bytes, dict(routes or {})
        templated = ((method, path, limit) for (method, path), limit in self.routes.items() if "{" in path)
        self.templates = [(method, path.split("/"), limit) for method, path, limit in templated]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["method"], scope["path"].rstrip("/"))
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        # A chunked body declares no length: read it (at most the limit) before the app sees it.
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > limit:
                await self._refuse(scope, receive, send, limit)
                return
        body, sent = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _limit(self, method: str, path: str) -> int:
        if (method, path) in self.routes:
            return self.routes[(method, path)]
        segments = path.split("/")
        for m, template, limit in self.templates:
            if m == method and len(template) == len(segments) and all(map(_matches, template, segments)):
                return limit
        return self.max_bytes

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        shown = f"{limit // (1024 * 1024)} MB" if limit >= 10 * 1024 * 1024 else f"{limit // 1024} KB"
        title = f"提交的内容过大（上限 {shown}）"
        await problem(413, "request.too_large", title, limit=limit)(scope, receive, send)


def _matches(template: str, segment: str) -> bool:
    return template == segment or (template.startswith("{") and template.endswith("}") and segment != "")
