"""problem+json: a stable code for programs, a Chinese title for people."""

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pydantic import BaseModel

from runtime.errors import InvalidInput, NotFound, install_error_handlers


def app() -> FastAPI:
    api = FastAPI()
    install_error_handlers(api)

    class Body(BaseModel):
        count: int

    @api.get("/missing")
    async def missing() -> None:
        raise NotFound("组织")

    @api.post("/rule")
    async def rule(body: Body) -> None:
        raise InvalidInput("uscc.check_digit", "统一社会信用代码校验位错误", field="uscc")

    return api


async def test_domain_errors_and_bad_requests_render_as_problem_json():
    async with AsyncClient(transport=ASGITransport(app()), base_url="http://t") as client:
        missing = await client.get("/missing")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        assert missing.json() == {
            "type": "urn:problem:not_found",
            "title": "组织不存在或无权访问",
            "status": 404,
            "code": "not_found",
        }
        rule = await client.post("/rule", json={"count": 1})
        assert (rule.status_code, rule.json()["code"], rule.json()["field"]) == (422, "uscc.check_digit", "uscc")
        bad = await client.post("/rule", json={"count": "many"})
        assert bad.status_code == 422 and bad.json()["code"] == "request.invalid"
        assert bad.json()["title"] == "请求参数不正确" and bad.json()["errors"][0]["field"] == "count"
        assert (await client.get("/nowhere")).json()["code"] == "http.404"
