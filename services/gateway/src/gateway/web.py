"""The built web UI (services/gateway/web/dist) at `/`, with every unknown path answered by
index.html so the Vue router can take it; `/api/*` never falls back."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope


class SinglePageApp(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or path == "api" or path.startswith("api/"):
                raise
            return await super().get_response("index.html", scope)


def mount_web_ui(app: FastAPI, static_dir: Path) -> bool:
    """Serve the UI if it was built; the API works without it (tests, API-only deployments)."""
    if not (static_dir / "index.html").is_file():
        return False
    app.mount("/", SinglePageApp(directory=static_dir, html=True), name="web")
    return True


def add_api_docs(app: FastAPI) -> None:
    """OpenAPI under /api like the rest of the contract (the service-wide /docs stays too)."""

    async def openapi(_: Request) -> JSONResponse:
        return JSONResponse(app.openapi())

    async def docs(_: Request) -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/api/openapi.json", title="上海工会网上工作平台 API")

    app.add_route("/api/openapi.json", openapi, include_in_schema=False)
    app.add_route("/api/docs", docs, include_in_schema=False)
