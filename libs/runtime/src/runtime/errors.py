"""Errors as RFC 9457 problem+json: a stable `code` for programs and a Chinese `title` for people."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    """A rule said no. Raised by domain functions and use cases; rendered as problem+json."""

    status = 409

    def __init__(self, code: str, title: str, detail: str | None = None, **extra: Any) -> None:
        super().__init__(f"{code}: {title}")
        self.code, self.title, self.detail, self.extra = code, title, detail, extra


class InvalidInput(DomainError):
    status = 422


class NotFound(DomainError):
    """Also what a caller outside the row's scope gets: never a hint that the row exists."""

    status = 404

    def __init__(self, what: str = "记录") -> None:
        super().__init__("not_found", f"{what}不存在或无权访问")


class Forbidden(DomainError):
    status = 403


class Unauthorized(DomainError):
    status = 401


def problem(status: int, code: str, title: str, detail: str | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": f"urn:problem:{code}", "title": title, "status": status, "code": code}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem(exc.status, exc.code, exc.title, exc.detail, **exc.extra)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = [
        {"field": ".".join(str(p) for p in e["loc"][1:]), "message": e["msg"], "type": e["type"]} for e in exc.errors()
    ]
    return problem(422, "request.invalid", "请求参数不正确", errors=fields)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: "页面或记录不存在", 405: "不支持该请求方法", 401: "请先登录", 403: "无权执行此操作"}
    return problem(exc.status_code, f"http.{exc.status_code}", titles.get(exc.status_code, str(exc.detail)))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
