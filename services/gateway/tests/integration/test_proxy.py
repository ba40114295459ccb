"""The org screens through the gateway: pass-through answers, masking, a service that is down,
bad input (oversized, malformed), forged internal tokens, readiness, the web UI's fallback."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook

from runtime.identity import make_uscc
from runtime.tokens import Principal, Tier, issue
from services.gateway.tests.conftest import PASSWORD, Gateway, Platform, SeedAccount, gateway_settings, start_gateway


async def _city(platform: Platform) -> tuple[int, dict]:
    root = await platform.create_root()
    district = await platform.create_org(
        root, "徐汇区总工会", "区局（产业）工会", "310104000001", contact_phone="13812345678"
    )
    assert await platform.heard(3)
    await platform.gateway.seed(SeedAccount("shizong", PASSWORD, Tier.CITY, root))
    return root, district


async def test_answers_pass_through_and_lists_mask_phones(platform: Platform):
    root, district = await _city(platform)
    city = await platform.gateway.signed_in("shizong")
    listed = (await city.get("/api/orgs", params={"parent_id": root})).json()
    assert listed["total"] == 1 and listed["items"][0]["contact_phone"] == "138*****5678"
    detail = (await city.get(f"/api/orgs/{district['id']}")).json()
    assert detail["contact_phone"] == "13812345678", "the org's own info page shows the number"

    bad = {
        "parent_id": district["id"],
        "name": "错误代码工会",
        "kind": "单独基层工会",
        "union_code": "310104000200",
        "uscc": "91350100M000100Y44",
    }
    via_gateway = await city.post("/api/orgs", json=bad)
    direct = await platform.org.post("/orgs", json=bad, headers={"Authorization": "Bearer x"})
    assert via_gateway.status_code == 422 and via_gateway.json()["code"] == "uscc.check_digit"
    assert via_gateway.headers["content-type"].startswith("application/problem+json")
    assert direct.status_code == 401, "the service refuses a caller without a valid internal token"

    good = bad | {"uscc": make_uscc(9)}
    created = await city.post("/api/orgs", json=good)
    assert created.status_code == 201 and created.json()["path"].endswith(str(created.json()["id"]))
    missing = await city.get("/api/orgs/999999")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"

    exported = await city.get("/api/orgs/export")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert [c.value for c in sheet[1]][0] == "工会组织名称" and sheet.max_row == 5  # 4 orgs: 临时工会 too

    bench = (await city.get("/api/workbench")).json()
    assert bench["org"]["org_id"] == root and bench["panels"]["org_stats"]["status"] == "ok"
    assert bench["panels"]["org_stats"]["data"]["grassroots"] == 1
    joins = await city.get("/api/workbench/joins", params={"granularity": "month", "start": "2024-01-01"})
    assert joins.status_code == 200 and joins.json()["total"] == 0

    # an answer without a body (204 after a delete) passes through as it is
    deleted = await city.delete(f"/api/orgs/{created.json()['id']}")
    assert (deleted.status_code, deleted.content) == (204, b""), deleted.text


async def test_services_check_forged_and_expired_internal_tokens(platform: Platform):
    root, _ = await _city(platform)
    principal = Principal(user_id="1", tier=Tier.CITY, org_id=root, org_path=str(root))
    forged = issue("another-secret-0123456789-0123456789-xx", principal)
    r = await platform.org.get("/orgs", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401 and r.json()["code"] == "token.invalid"
    secret = platform.gateway.app.state.settings.internal_token_secret
    expired = issue(secret, principal, ttl=timedelta(seconds=-1))
    r = await platform.org.get("/orgs", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and r.json()["code"] == "token.expired"


async def test_a_down_service_is_a_503_and_a_grey_workbench_panel(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"))
    await gateway.seed(SeedAccount("shizong", PASSWORD, Tier.CITY, 1))
    city = await gateway.signed_in("shizong")
    down = await city.get("/api/orgs")
    assert down.status_code == 503 and down.json()["code"] == "service.unavailable"
    assert down.json()["title"] == "组织服务暂时不可用"
    bench = await city.get("/api/workbench")
    assert bench.status_code == 200
    assert bench.json()["org"]["name"] == "组织1"
    assert bench.json()["panels"]["org_stats"] == {"status": "unavailable", "message": "组织服务暂时不可用"}


async def test_oversized_and_malformed_bodies_are_refused_in_chinese(gateway: Gateway):
    await gateway.seed(SeedAccount("admin", PASSWORD, Tier.ADMIN))
    admin = await gateway.signed_in("admin")
    huge = b'{"account": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    r = await admin.post("/api/accounts", content=huge, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "request.too_large" and "过大" in r.json()["title"]

    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"x" * 100_000

    r = await admin.post("/api/accounts", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413, "a body without a length is measured too"
    r = await admin.post("/api/accounts", content=b'{"account": ', headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["code"] == "request.invalid" and r.json()["title"] == "请求参数不正确"
    r = await gateway.client.post("/api/auth/login", content=b"not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"
    total = (await admin.get("/api/accounts")).json()["total"]
    assert total == 1, "nothing was created"


async def test_readiness_includes_redis(gateway: Gateway):
    from localstack.pytest_plugin import eventually

    async def ready():  # type: ignore[no-untyped-def]
        r = await gateway.client.get("/readyz")
        return r.json() if r.status_code == 200 else None

    body = await eventually(ready)
    assert body and body["redis"] == "ok" and body["database"] == "ok"


async def test_the_web_ui_is_served_with_a_fallback_to_index(database, broker, redis_url, redis_prefix, tmp_path: Path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html>上海工会</html>", encoding="utf-8")
    (tmp_path / "assets" / "app.js").write_text("console.log(1)", encoding="utf-8")
    settings = gateway_settings(database, broker, redis_url, redis_prefix, static_dir=tmp_path)
    async with start_gateway(settings) as gw:
        assert "上海工会" in (await gw.client.get("/")).text
        assert "上海工会" in (await gw.client.get("/accounts/12")).text, "deep links reach the Vue router"
        assert (await gw.client.get("/assets/app.js")).text == "console.log(1)"
        api = await gw.client.get("/api/nothing-here")
        assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")
        assert (await gw.client.get("/api/docs")).status_code == 200
        assert "/api/auth/login" in (await gw.client.get("/api/openapi.json")).json()["paths"]
