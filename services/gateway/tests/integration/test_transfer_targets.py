"""会员转移's target picker (/api/transfer-targets): every district of the city and the unions under
one, 临时工会 first, ids/names/kinds only — and a grassroots clerk moving a member to another
district's union picked from it, approved by that district."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlmodel import col, update

from gateway.models import OrgNode
from localstack.pytest_plugin import eventually
from runtime.identity import make_id_number
from runtime.tokens import Tier
from services.gateway.tests.conftest import PASSWORD, Gateway, Platform, SeedAccount

TEMPORARY = "临时工会"


async def test_lists_every_district_then_a_districts_unions_by_name_only(gateway: Gateway) -> None:
    """Checked: a grassroots clerk of district 2 sees every district and district 3's live unions
    (临时工会 first, a deleted one absent, a name filter), only id/name/kind; a non-district id is
    404; tiers without member work are refused."""
    await gateway.place(
        (1, None, "1", "市总工会"),
        (2, 1, "1.2", "区局（产业）工会"),
        (3, 1, "1.3", "区局（产业）工会"),
        (4, 2, "1.2.4", "二级工会"),
        (5, 4, "1.2.4.5", "单独基层工会"),
        (6, 2, "1.2.6", TEMPORARY),
        (7, 3, "1.3.7", "单独基层工会"),
        (8, 3, "1.3.8", TEMPORARY),
        (9, 3, "1.3.9", "联合工会"),
        (13, 1, "1.13", "区局（产业）工会"),
    )
    async with gateway.app.state.sessions() as s, s.begin():
        await s.exec(update(OrgNode).where(col(OrgNode.org_id) == 9).values(deleted=True))
    await gateway.seed(SeedAccount("jc", PASSWORD, Tier.GRASSROOTS, 5), SeedAccount("zhibao", PASSWORD, Tier.INSURER))
    clerk = await gateway.signed_in("jc")

    found = (await clerk.get("/api/transfer-targets")).json()
    assert [d["id"] for d in found["items"]] == [2, 3, 13] and found["total"] == 3
    assert all(set(d) == {"id", "name", "kind"} for d in found["items"]), found
    unions = (await clerk.get("/api/transfer-targets", params={"district_id": 3})).json()
    assert [(u["id"], u["kind"]) for u in unions["items"]] == [(8, TEMPORARY), (7, "单独基层工会")]
    assert unions["total"] == 2
    named = (await clerk.get("/api/transfer-targets", params={"district_id": 3, "name": "组织7"})).json()
    assert [u["id"] for u in named["items"]] == [7]
    assert (await clerk.get("/api/transfer-targets", params={"district_id": 13})).json()["items"] == []

    for not_a_district in (7, 404):
        r = await clerk.get("/api/transfer-targets", params={"district_id": not_a_district})
        assert r.status_code == 404 and r.json()["code"] == "not_found", r.text
    insurer = await gateway.signed_in("zhibao")
    r = await insurer.get("/api/transfer-targets")
    assert r.status_code == 403 and r.json()["code"] == "tier.forbidden"


async def test_a_member_moves_to_another_districts_union_picked_from_the_targets(members_platform: Platform) -> None:
    """Checked: a grassroots clerk of 徐汇 picks 黄浦 and one of its unions from the targets, the
    request names it and 黄浦 approves (the member is then 黄浦's); a second request with the district
    only goes to 黄浦's 临时工会 — the first union the picker offers."""
    p = members_platform
    root = await p.create_root()
    xuhui = await p.create_org(root, "徐汇区总工会", "区局（产业）工会", "310104000001")
    huangpu = await p.create_org(root, "黄浦区总工会", "区局（产业）工会", "310101000001")
    g1 = await p.create_org(xuhui["id"], "上海某某科技有限公司工会", "单独基层工会", "310104000116")
    g2 = await p.create_org(huangpu["id"], "上海黄浦某公司工会", "单独基层工会", "310101000116")
    assert await p.heard(7)  # 5 created + 2 临时工会
    gw = p.gateway
    await gw.seed(
        SeedAccount("xh-jc", PASSWORD, Tier.GRASSROOTS, g1["id"]),
        SeedAccount("huangpu", PASSWORD, Tier.DISTRICT, huangpu["id"]),
    )
    clerk, receiver = await gw.signed_in("xh-jc"), await gw.signed_in("huangpu")
    first, second = await _add_member(clerk, g1, 1), await _add_member(clerk, g1, 2)

    districts = (await clerk.get("/api/transfer-targets")).json()["items"]
    assert {d["name"] for d in districts} == {"徐汇区总工会", "黄浦区总工会"}
    offered = (await clerk.get("/api/transfer-targets", params={"district_id": huangpu["id"]})).json()["items"]
    temporary = offered[0]
    assert temporary["kind"] == TEMPORARY and g2["id"] in [u["id"] for u in offered]

    body = {"member_ids": [first["id"]], "target_district_id": huangpu["id"], "target_org_id": g2["id"]}
    moved = await clerk.post("/api/transfers", json=body | {"reason": "工作调动"})
    assert moved.status_code == 201, moved.text
    assert moved.json()[0]["to_org_name"] == "上海黄浦某公司工会"
    approved = await receiver.post(f"/api/transfers/{moved.json()[0]['id']}/approve", json={"note": "同意"})
    assert approved.status_code == 200 and approved.json()["state"] == "已通过", approved.text
    assert (await receiver.get(f"/api/members/{first['id']}")).json()["org_id"] == g2["id"]

    by_default = await clerk.post(
        "/api/transfers",
        json={"member_ids": [second["id"]], "target_district_id": huangpu["id"], "reason": "离职"},
    )
    assert by_default.status_code == 201, by_default.text
    assert by_default.json()[0]["to_org_id"] == temporary["id"]


async def _add_member(client: httpx.AsyncClient, org: dict[str, Any], i: int) -> dict[str, Any]:
    male = i % 2 == 0
    id_number = make_id_number("310104", date(1980, 1, i), i, male)
    body = {"name": f"会员{'甲乙丙'[i]}", "id_type": "身份证", "id_number": id_number, "phone": f"139{i:08d}",
            "gender": "男" if male else "女", "org_id": org["id"], "category": "灵活就业类"}  # fmt: skip

    async def created() -> dict[str, Any] | None:  # the members service learns the org from org.v1
        r = await client.post("/api/members", json=body)
        return dict(r.json()) if r.status_code == 201 else None

    member: dict[str, Any] | None = await eventually(created)
    assert member, "the members service never accepted the member"
    return member
