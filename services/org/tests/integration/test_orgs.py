"""The org screens through the HTTP API on real PostgreSQL and the real broker."""

from __future__ import annotations

from runtime.identity import make_uscc
from runtime.tokens import Tier
from services.org.tests.conftest import SYSTEM, bearer


async def test_district_gets_its_temporary_union_and_paths_follow_the_tree(client, city):
    r = await client.get("/orgs", params={"parent_id": city.xuhui["id"]}, headers=SYSTEM)
    names = {o["name"]: o for o in r.json()["items"]}
    assert set(names) == {"徐汇区总工会临时工会", "徐汇区教育工会"}
    temp = names["徐汇区总工会临时工会"]
    assert temp["kind"] == "临时工会" and temp["union_code"] == "310104000999"
    assert city.grassroots["path"] == f"{city.root}.{city.xuhui['id']}.{city.secondary['id']}.{city.grassroots['id']}"
    assert city.grassroots["district_id"] == city.xuhui["id"]


async def test_workbench_counts_roll_up_to_every_ancestor(client, city):
    await client.post(
        f"/orgs/{city.grassroots['id']}/enterprises",
        json={"name": "上海某某科技有限公司", "uscc": make_uscc(7), "address": "上海市徐汇区虹漕路88号"},
        headers=SYSTEM,
    )
    await city.create(city.grassroots["id"], "研发部分工会", "分工会/工会小组", "310104000117")
    await city.create(city.huangpu["id"], "黄浦区某联合工会", "联合工会", "310101000200")
    xuhui = (await client.get(f"/orgs/{city.xuhui['id']}/stats", headers=SYSTEM)).json()
    assert (xuhui["grassroots"], xuhui["standalone"], xuhui["branch"], xuhui["joint"]) == (2, 1, 1, 0)
    assert xuhui["covered_enterprises"] == 1
    whole = (await client.get(f"/orgs/{city.root}/stats", headers=SYSTEM)).json()
    assert (whole["grassroots"], whole["joint"], whole["covered_enterprises"]) == (3, 1, 1)


async def test_bad_input_is_refused_with_a_code_and_changes_nothing(client, city):
    before = (await client.get("/orgs", headers=SYSTEM)).json()["total"]
    bad_uscc = await client.post(
        "/orgs",
        headers=SYSTEM,
        json={
            "parent_id": city.secondary["id"],
            "name": "错误代码工会",
            "kind": "单独基层工会",
            "union_code": "310104000200",
            "uscc": "91350100M000100Y44",
        },
    )
    assert bad_uscc.status_code == 422
    assert bad_uscc.json()["code"] == "uscc.check_digit"
    assert bad_uscc.headers["content-type"].startswith("application/problem+json")
    dup_code = await client.post(
        "/orgs",
        headers=SYSTEM,
        json={
            "parent_id": city.secondary["id"],
            "name": "重复编号工会",
            "kind": "单独基层工会",
            "union_code": "310104000116",
        },
    )
    assert dup_code.status_code == 409 and dup_code.json()["code"] == "org.union_code_taken"
    assert "上海某某科技有限公司工会" in dup_code.json()["title"]
    wrong_kind = await client.post(
        "/orgs",
        headers=SYSTEM,
        json={"parent_id": city.root, "name": "直属基层工会", "kind": "单独基层工会", "union_code": "310000000300"},
    )
    assert wrong_kind.status_code == 422 and wrong_kind.json()["code"] == "org.kind_not_allowed"
    # checked: none of the three refused requests added an org
    assert (await client.get("/orgs", headers=SYSTEM)).json()["total"] == before


async def test_moving_under_own_descendant_is_refused_and_nothing_moves(client, city):
    branch = await city.create(city.grassroots["id"], "车间分工会", "分工会/工会小组", "310104000118")
    r = await client.post(
        "/orgs/move", headers=SYSTEM, json={"org_ids": [city.secondary["id"]], "target_parent_id": city.secondary["id"]}
    )
    assert r.status_code == 409 and r.json()["code"] == "org.move_into_own_subtree"
    # a batch with one bad move moves none: the good first one is rolled back too
    batch = await client.post(
        "/orgs/move",
        headers=SYSTEM,
        json={"org_ids": [city.grassroots["id"], branch["id"]], "target_parent_id": city.huangpu["id"]},
    )
    assert batch.status_code == 422 and batch.json()["code"] == "org.kind_not_allowed"
    still = (await client.get(f"/orgs/{city.grassroots['id']}", headers=SYSTEM)).json()
    assert still["parent_id"] == city.secondary["id"] and still["path"] == city.grassroots["path"]


async def test_move_rewrites_the_subtree_and_moves_its_counts(client, city):
    branch = await city.create(city.grassroots["id"], "车间分工会", "分工会/工会小组", "310104000118")
    r = await client.post(
        "/orgs/move", headers=SYSTEM, json={"org_ids": [city.grassroots["id"]], "target_parent_id": city.huangpu["id"]}
    )
    assert r.status_code == 200, r.text
    moved = (await client.get(f"/orgs/{branch['id']}", headers=SYSTEM)).json()
    assert moved["path"] == f"{city.root}.{city.huangpu['id']}.{city.grassroots['id']}.{branch['id']}"
    assert moved["district_id"] == city.huangpu["id"]
    assert moved["version"] == branch["version"] + 1  # consumers learn its new path from a newer version
    xuhui = (await client.get(f"/orgs/{city.xuhui['id']}/stats", headers=SYSTEM)).json()
    huangpu = (await client.get(f"/orgs/{city.huangpu['id']}/stats", headers=SYSTEM)).json()
    assert (xuhui["grassroots"], huangpu["grassroots"], huangpu["branch"]) == (0, 2, 1)


async def test_only_an_empty_org_can_be_deleted(client, city):
    r = await client.delete(f"/orgs/{city.secondary['id']}", headers=SYSTEM)
    assert r.status_code == 409 and r.json()["code"] == "org.has_children"
    temp = (await client.get("/orgs", params={"kind": "临时工会"}, headers=SYSTEM)).json()["items"][0]
    assert (await client.delete(f"/orgs/{temp['id']}", headers=SYSTEM)).json()["code"] == "org.delete_not_allowed"
    assert (await client.delete(f"/orgs/{city.grassroots['id']}", headers=SYSTEM)).status_code == 204
    assert (await client.get(f"/orgs/{city.grassroots['id']}", headers=SYSTEM)).status_code == 404
    xuhui = (await client.get(f"/orgs/{city.xuhui['id']}/stats", headers=SYSTEM)).json()
    assert xuhui["grassroots"] == 0


async def test_another_branch_of_the_tree_sees_nothing(client, city):
    huangpu_clerk = bearer(Tier.DISTRICT, city.huangpu["id"], city.huangpu["path"])
    assert (await client.get(f"/orgs/{city.grassroots['id']}", headers=huangpu_clerk)).status_code == 404
    assert (await client.get(f"/orgs/{city.xuhui['id']}/stats", headers=huangpu_clerk)).status_code == 404
    listed = (await client.get("/orgs", headers=huangpu_clerk)).json()
    assert {o["id"] for o in listed["items"]} == {
        city.huangpu["id"],
        *(o["id"] for o in listed["items"] if o["kind"] == "临时工会"),
    }
    patch = await client.patch(f"/orgs/{city.grassroots['id']}", json={"name": "改名"}, headers=huangpu_clerk)
    assert patch.status_code == 404
    grassroots_clerk = bearer(Tier.GRASSROOTS, city.grassroots["id"], city.grassroots["path"])
    move = await client.post(
        "/orgs/move",
        headers=grassroots_clerk,
        json={"org_ids": [city.grassroots["id"]], "target_parent_id": city.huangpu["id"]},
    )
    assert move.status_code == 403
    assert (await client.get("/orgs")).status_code == 401


async def test_edit_own_info_and_search_by_the_manual_filters(client, city):
    me = bearer(Tier.GRASSROOTS, city.grassroots["id"], city.grassroots["path"])
    r = await client.patch(
        f"/orgs/{city.grassroots['id']}",
        headers=me,
        json={
            "economic_type": "私营企业",
            "industry": "信息传输、软件和信息技术服务业",
            "contact_phone": "13000000042",
        },
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    await client.post(
        f"/orgs/{city.grassroots['id']}/enterprises",
        headers=me,
        json={"name": "上海星河软件有限公司", "uscc": make_uscc(11)},
    )
    for params in (
        {"economic_type": "私营企业"},
        {"enterprise_name": "星河"},
        {"name": "科技"},
        {"uscc": make_uscc(7)},
    ):
        found = (await client.get("/orgs", params=params, headers=SYSTEM)).json()["items"]
        assert [o["id"] for o in found] == [city.grassroots["id"]], params
    bad_phone = await client.patch(f"/orgs/{city.grassroots['id']}", headers=me, json={"contact_phone": "1234"})
    assert bad_phone.status_code == 422 and bad_phone.json()["code"] == "phone.format"


async def test_export_is_an_xlsx_of_the_filtered_list(client, city):
    from io import BytesIO

    from openpyxl import load_workbook

    r = await client.get("/orgs/export", params={"name": "徐汇"}, headers=SYSTEM)
    assert r.status_code == 200
    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "工会组织名称"
    assert sorted(r[0] for r in rows[1:]) == ["徐汇区总工会", "徐汇区总工会临时工会", "徐汇区教育工会"]
