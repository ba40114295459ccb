"""会员比对: the complete roster against the platform, its two results and their handling."""

from __future__ import annotations

import io

from httpx import AsyncClient
from openpyxl import load_workbook

from services.members.tests.conftest import City, finished, import_rows, person, roster, upload


async def test_a_roster_compare_lists_both_differences_and_handles_them(client: AsyncClient, city: City) -> None:
    clerk = city.clerk(city.g1)
    await import_rows(client, [person(i, city.g1) for i in range(5)], clerk)
    file_rows = [person(i, city.g1) for i in (0, 1, 2)] + [person(100, city.g1), person(101, city.g1)]
    r = await upload(client, "/compares", roster(file_rows), clerk, name="会员比对模板-某某0415.xlsx")
    assert r.status_code == 202, r.text
    job = await finished(client, f"/compares/{r.json()['id']}", clerk)
    assert (job["state"], job["rows_total"], job["missing_from_file"], job["missing_from_platform"]) == (
        "比对完成", 5, 2, 2
    )  # fmt: skip

    listed = (await client.get("/compares", params={"file_name": "0415"}, headers=clerk)).json()
    assert [(c["file_name"], c["uploader_id"], c["state"]) for c in listed["items"]] == [
        ("会员比对模板-某某0415.xlsx", f"clerk-{city.g1.org_id}", "比对完成")
    ]
    missing = (await client.get(f"/compares/{job['id']}/missing", headers=clerk)).json()
    assert sorted(m["name"] for m in missing["items"]) == sorted([person(3, city.g1)[0], person(4, city.g1)[0]])
    assert all("*" in m["id_number"] for m in missing["items"])

    # (b) the people to import, ready for the import template
    extra = await client.get(f"/compares/{job['id']}/extra.xlsx", headers=clerk)
    sheet = load_workbook(io.BytesIO(extra.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["姓名*", "证件类型*", "证件号码*"]
    assert [r[2] for r in rows[1:]] == [person(100, city.g1)[2], person(101, city.g1)[2]]
    imported = await import_rows(client, rows[1:], clerk)
    assert imported["rows_created"] == 2

    # (a) handled one by one: 退休 deletes, 转出 asks for a transfer to the 临时工会
    retired, leaver = (m["member_id"] for m in missing["items"])
    bad = await client.post(f"/compares/{job['id']}/missing/{retired}/handling", json={"action": "辞退"}, headers=clerk)
    assert (bad.status_code, bad.json()["code"]) == (422, "compare.handling_invalid")
    ok = await client.post(f"/compares/{job['id']}/missing/{retired}/handling", json={"action": "退休"}, headers=clerk)
    assert ok.status_code == 200 and ok.json()["handling"] == "退休"
    assert (await client.get(f"/members/{retired}", headers=clerk)).json()["deleted_reason"] == "退休"
    out = await client.post(f"/compares/{job['id']}/missing/{leaver}/handling", json={"action": "转出"}, headers=clerk)
    assert out.status_code == 200
    [request] = (await client.get("/transfers", params={"direction": "out"}, headers=clerk)).json()["items"]
    assert (request["member_id"], request["to_org_id"]) == (leaver, city.xuhui_temp.org_id)
    twice = await client.post(
        f"/compares/{job['id']}/missing/{leaver}/handling", json={"action": "保留"}, headers=clerk
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "compare.already_handled")
    handled = (await client.get(f"/compares/{job['id']}/missing", headers=clerk)).json()["items"]
    assert {m["handling"] for m in handled} == {"退休", "转出"}


async def test_compares_are_private_to_their_union(client: AsyncClient, city: City) -> None:
    clerk = city.clerk(city.g1)
    r = await upload(client, "/compares", roster([person(1, city.g1)]), clerk)
    job = await finished(client, f"/compares/{r.json()['id']}", clerk)
    # checked: another union neither lists nor opens it
    other = city.clerk(city.g2)
    assert (await client.get("/compares", headers=other)).json()["total"] == 0
    assert (await client.get(f"/compares/{job['id']}", headers=other)).status_code == 404
    assert (await client.get(f"/compares/{job['id']}/extra.xlsx", headers=other)).status_code == 404
    assert (await client.get("/compares", headers=city.clerk(city.xuhui))).json()["total"] == 1
