"""会员管理 through the gateway: the members service in-process behind it (add, list masked,
export, upload an import and read its result, transfer and review, compare), a service that is
down (503 in Chinese), tiers kept out, the roster uploads' own body limit, the operation log."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import httpx
from openpyxl import load_workbook

from localstack.pytest_plugin import eventually
from runtime.identity import make_id_number
from runtime.tokens import Tier
from services.gateway.tests.conftest import PASSWORD, XLSX, Gateway, Platform, SeedAccount, roster_file


def _person(i: int, union: dict) -> list[Any]:
    male = i % 2 == 0
    id_number = make_id_number("310104", date(1980, 1, 1 + i), i, male)
    return [f"会员{'甲乙丙丁戊己庚辛壬癸'[i]}", "身份证", id_number, f"139{i:08d}", "男" if male else "女",
            union["name"], union["union_code"], "上海某某科技有限公司", "", "上海市徐汇区虹漕路88号"]  # fmt: skip


async def _world(p: Platform) -> dict[str, Any]:
    root = await p.create_root()
    xuhui = await p.create_org(root, "徐汇区总工会", "区局（产业）工会", "310104000001")
    huangpu = await p.create_org(root, "黄浦区总工会", "区局（产业）工会", "310101000001")
    g1 = await p.create_org(xuhui["id"], "上海某某科技有限公司工会", "单独基层工会", "310104000116")
    g2 = await p.create_org(huangpu["id"], "上海黄浦某公司工会", "单独基层工会", "310101000116")
    assert await p.heard(7)  # 5 created + 2 临时工会
    gw = p.gateway
    await gw.seed(
        SeedAccount("shizong", PASSWORD, Tier.CITY, root),
        SeedAccount("xuhui", PASSWORD, Tier.DISTRICT, xuhui["id"]),
        SeedAccount("huangpu", PASSWORD, Tier.DISTRICT, huangpu["id"]),
        SeedAccount("zhibao", PASSWORD, Tier.INSURER),
    )
    return {"root": root, "xuhui": xuhui, "huangpu": huangpu, "g1": g1, "g2": g2}


async def _add_member(client: httpx.AsyncClient, org: dict, i: int) -> dict:
    row = _person(i, org)
    body = {"name": row[0], "id_type": "身份证", "id_number": row[2], "phone": row[3], "gender": row[4],
            "org_id": org["id"], "category": "灵活就业类", "work_unit": row[7]}  # fmt: skip

    async def created() -> dict | None:  # the members service learns the org from org.v1
        r = await client.post("/api/members", json=body)
        return r.json() if r.status_code == 201 else None

    member = await eventually(created)
    assert member, "the members service never accepted the member"
    return member


async def _done(client: httpx.AsyncClient, path: str) -> dict:
    async def finished() -> dict | None:
        body = (await client.get(path)).json()
        return body if body["state"] in ("已完成", "已失败", "比对完成", "比对失败") else None

    body = await eventually(finished, timeout=60)
    assert body, f"{path} did not finish"
    return body


async def test_members_screens_pass_through(members_platform: Platform):
    w = await _world(members_platform)
    gw = members_platform.gateway
    xuhui, huangpu = await gw.signed_in("xuhui"), await gw.signed_in("huangpu")
    member = await _add_member(xuhui, w["g1"], 1)
    assert member["id_number"].count("*") == 11 and "*" in member["phone"], "masked as the service returns it"

    listed = (await xuhui.get("/api/members", params={"name": "会员"})).json()
    assert listed["total"] == 1 and listed["items"][0]["id_number"] == member["id_number"]
    assert (await huangpu.get("/api/members")).json()["total"] == 0, "another district sees nothing"
    other = await huangpu.get(f"/api/members/{member['id']}")
    assert other.status_code == 404 and other.json()["code"] == "not_found"

    exported = await xuhui.get("/api/members/export")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert member["id_number"] in [c for row in sheet.iter_rows(values_only=True) for c in row]

    bad = await xuhui.delete(f"/api/members/{member['id']}", params={"reason": "跳槽"})
    assert bad.status_code == 422 and bad.json()["code"] == "member.delete_reason_invalid"
    assert bad.headers["content-type"].startswith("application/problem+json")

    template = await xuhui.get("/api/imports/template")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    content = roster_file([_person(i, w["g1"]) for i in (2, 3)] + [["", "身份证", "x", "1", "男", "", "", "", "", ""]])
    files = {"file": ("会员.xlsx", content, XLSX)}
    started = await xuhui.post("/api/imports", files=files, data={"data_type": "灵活就业类"})
    assert started.status_code == 202, started.text
    job = await _done(xuhui, f"/api/imports/{started.json()['id']}")
    rejected = (await xuhui.get(f"/api/imports/{job['id']}/rejections")).json()
    assert rejected["total"] >= 1 and {"row_no", "column", "reason"} <= set(rejected["items"][0])
    errors = await xuhui.get(f"/api/imports/{job['id']}/rejections.xlsx")
    assert errors.status_code == 200 and errors.content[:2] == b"PK"
    assert (await xuhui.get("/api/imports")).json()["total"] == 1
    missing = await xuhui.post("/api/imports", files=files)
    assert missing.status_code == 422 and missing.json()["code"].startswith("import.")

    moved = await xuhui.post(
        "/api/transfers", json={"member_ids": [member["id"]], "target_org_id": w["g2"]["id"], "reason": "工作调动"}
    )
    assert moved.status_code == 201, moved.text
    transfer = moved.json()[0]
    assert (await xuhui.get("/api/transfers", params={"direction": "out"})).json()["total"] == 1
    incoming = (await huangpu.get("/api/transfers", params={"direction": "in"})).json()
    assert [t["id"] for t in incoming["items"]] == [transfer["id"]]
    no_reason = await huangpu.post(f"/api/transfers/{transfer['id']}/reject", json={})
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "transfer.reject_reason_required"
    approved = await huangpu.post(f"/api/transfers/{transfer['id']}/approve", json={"note": "同意"})
    assert approved.status_code == 200 and approved.json()["state"] == "已通过", approved.text

    roster = roster_file([_person(9, w["g1"])])
    compared = await xuhui.post("/api/compares", files={"file": ("在册.xlsx", roster, XLSX)})
    assert compared.status_code == 202, compared.text
    done = await _done(xuhui, f"/api/compares/{compared.json()['id']}")
    (listed_compare,) = (await xuhui.get("/api/compares")).json()["items"]
    assert listed_compare["file_name"] == "在册.xlsx"
    # 操作账号 is the login, shown and searched as such (the members service records the account id)
    assert listed_compare["uploader_account"] == done["uploader_account"] == "xuhui" != done["uploader_id"]
    by_login = (await xuhui.get("/api/compares", params={"uploader_id": "XuHui"})).json()
    assert [c["id"] for c in by_login["items"]] == [done["id"]]
    assert (await xuhui.get("/api/compares", params={"uploader_id": "huangpu"})).json()["total"] == 0
    if done["state"] == "比对完成":
        extra = await xuhui.get(f"/api/compares/{done['id']}/extra.xlsx")
        assert extra.status_code == 200 and extra.content[:2] == b"PK"

    shizong = await gw.signed_in("shizong")
    log = (await shizong.get("/api/audit", params={"size": 200})).json()["items"]
    actions = {e["action"] for e in log}
    assert {"create_member", "export_members", "delete_member", "upload_import", "export_rejections"} <= actions
    assert {"request_transfers", "approve_transfer", "reject_transfer", "upload_compare"} <= actions
    denied = [e for e in log if e["action"] == "delete_member"]
    assert denied and denied[0]["outcome"] != "success"


async def test_a_down_members_service_is_a_503_and_other_tiers_are_kept_out(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"))
    await gateway.seed(
        SeedAccount("shizong", PASSWORD, Tier.CITY, 1),
        SeedAccount("zhibao", PASSWORD, Tier.INSURER),
    )
    city = await gateway.signed_in("shizong")
    for path in ("/api/members", "/api/imports", "/api/transfers", "/api/compares", "/api/imports/template"):
        down = await city.get(path)
        assert down.status_code == 503 and down.json()["code"] == "service.unavailable", path
        assert down.json()["title"] == "会员服务暂时不可用"
    insurer = await gateway.signed_in("zhibao")
    for method, path in (("GET", "/api/members"), ("POST", "/api/imports"), ("POST", "/api/transfers/1/approve")):
        r = await insurer.request(method, path)
        assert r.status_code == 403 and r.json()["code"] == "tier.forbidden", path
    me = (await city.get("/api/me")).json()["menus"]
    assert {"members", "member-imports", "member-reviews", "member-compares"} <= set(me)
    assert "members" not in (await insurer.get("/api/me")).json()["menus"]


async def test_roster_uploads_have_their_own_body_limit(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"))
    await gateway.seed(SeedAccount("shizong", PASSWORD, Tier.CITY, 1))
    city = await gateway.signed_in("shizong")
    five_mb = {"file": ("会员.xlsx", b"x" * (5 * 1024 * 1024), XLSX)}
    passed = await city.post("/api/imports", files=five_mb, data={"data_type": "灵活就业类"})
    assert passed.status_code == 503, "over 1 MB but under 20 MB: on its way to the (down) members service"
    passed = await city.post("/api/compares", files=five_mb)
    assert passed.status_code == 503
    huge = {"file": ("会员.xlsx", b"x" * (21 * 1024 * 1024), XLSX)}
    refused = await city.post("/api/imports", files=huge)
    assert refused.status_code == 413 and refused.json()["code"] == "request.too_large"
    assert "20 MB" in refused.json()["title"]
    elsewhere = await city.post("/api/transfers", content=b"x" * (2 * 1024 * 1024))
    assert elsewhere.status_code == 413, "every other route keeps 1 MB"
