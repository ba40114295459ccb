"""业务工作台's members panel: the members service in-process behind the gateway (figures of the
shown org's subtree, the latest imports), its audience (not 职保会), and a members service that is
down greying out that panel only."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from localstack.pytest_plugin import eventually
from runtime.identity import make_id_number, make_uscc
from runtime.tokens import Tier
from services.gateway.tests.conftest import PASSWORD, XLSX, Gateway, Platform, SeedAccount, roster_file


def _person(i: int, union: dict) -> list[Any]:
    male = i % 2 == 0
    id_number = make_id_number("310104", date(1985, 3, 1 + i), i, male)
    return [f"会员{'甲乙丙丁戊己庚辛壬癸'[i]}", "身份证", id_number, f"139{i:08d}", "男" if male else "女",
            union["name"], union["union_code"], "上海某某科技有限公司", "", "上海市徐汇区虹漕路88号"]  # fmt: skip


async def _imported(client: httpx.AsyncClient, rows: list[list[Any]]) -> dict:
    enterprise = {"data_type": "关联企业类", "enterprise_name": "上海某某科技有限公司", "enterprise_uscc": make_uscc(7)}

    async def accepted() -> dict | None:  # the members service learns the unions from org.v1
        r = await client.post("/api/imports", files={"file": ("名册.xlsx", roster_file(rows), XLSX)}, data=enterprise)
        assert r.status_code == 202, r.text
        job = await eventually(lambda: _finished(client, r.json()["id"]), timeout=60)
        return job if job and job["rows_created"] == len(rows) else None

    job = await eventually(accepted, timeout=60)
    assert job, "the import never stored its rows"
    return job  # type: ignore[no-any-return]


async def _finished(client: httpx.AsyncClient, job_id: str) -> dict | None:
    job = (await client.get(f"/api/imports/{job_id}")).json()
    return job if job["state"] in ("已完成", "已失败") else None


async def _members_panel(client: httpx.AsyncClient, **params: Any) -> dict:
    r = await client.get("/api/workbench", params=params)
    assert r.status_code == 200, r.text
    return r.json()["panels"]["members"]  # type: ignore[no-any-return]


async def test_the_members_panel_shows_the_subtree_figures_and_latest_imports(members_platform: Platform):
    p = members_platform
    root = await p.create_root()
    xuhui = await p.create_org(root, "徐汇区总工会", "区局（产业）工会", "310104000001")
    g1 = await p.create_org(xuhui["id"], "上海某某科技有限公司工会", "单独基层工会", "310104000116")
    g2 = await p.create_org(xuhui["id"], "上海另一科技有限公司工会", "单独基层工会", "310104000117")
    assert await p.heard(5)  # 4 created + the district's 临时工会
    await p.gateway.seed(
        SeedAccount("shizong", PASSWORD, Tier.CITY, root),
        SeedAccount("xuhui", PASSWORD, Tier.DISTRICT, xuhui["id"]),
        SeedAccount("jiceng", PASSWORD, Tier.GRASSROOTS, g2["id"]),
        SeedAccount("zhibao", PASSWORD, Tier.INSURER),
    )
    district = await p.gateway.signed_in("xuhui")
    job = await _imported(district, [_person(i, g1) for i in range(3)] + [_person(3, g2)])

    panel = await _members_panel(district)
    # checked: the district's own subtree, counted by the members service, with its import
    assert panel["status"] == "ok", panel
    figures = panel["data"]
    assert (figures["members"], figures["by_category"]["关联企业类"], figures["joins"]["today"]) == (4, 4, 4)
    assert figures["e_card"] == {"activated": 0, "rate": 0.0} and figures["pending_transfers"] == 0
    latest = figures["recent_imports"][0]  # (an earlier try may have come before the unions were heard)
    assert (latest["id"], latest["state"], latest["rows_created"]) == (job["id"], "已完成", 4)
    # checked: the org the workbench shows is the one counted: a union inside the district
    assert (await _members_panel(district, org_id=g1["id"]))["data"]["members"] == 3
    grassroots = await _members_panel(await p.gateway.signed_in("jiceng"))
    assert (grassroots["data"]["members"], grassroots["data"]["recent_imports"]) == (1, [])
    assert (await _members_panel(await p.gateway.signed_in("shizong")))["data"]["members"] == 4

    insurer = (await (await p.gateway.signed_in("zhibao")).get("/api/workbench")).json()
    assert "members" not in insurer["panels"] and "org_stats" in insurer["panels"], "职保会 has no 会员管理"


async def test_a_down_members_service_greys_out_its_panel_only(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"))
    await gateway.seed(SeedAccount("shizong", PASSWORD, Tier.CITY, 1))
    city = await gateway.signed_in("shizong")
    bench = await city.get("/api/workbench")
    # checked: the workbench still answers 200 with its header; the members panel says why it is empty
    assert bench.status_code == 200 and bench.json()["org"]["name"] == "组织1"
    assert bench.json()["panels"]["members"] == {"status": "unavailable", "message": "会员服务暂时不可用"}
    assert bench.json()["panels"]["org_stats"]["status"] == "unavailable"
