"""The pending list's edits and refusals: special channel and 完善信息, removals, add-all, the batch
size limit, the card list export."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from services.cards.tests.conftest import OUTLET, City, cards_listed, get_json, import_members, joined, snapshot


async def test_special_channel_and_removals(client, city: City, kafka):
    clerk = city.clerk(city.g1)
    await joined(client)
    members = [snapshot(i, city.g1) for i in range(4)]
    await import_members(kafka.bootstrap, members)
    await cards_listed(client, clerk, 4)
    r = await client.post("/cards/pending/all", json={}, headers=clerk)
    assert r.json() == {"added": 4}
    nothing = await client.post("/cards/pending/all", headers=clerk)
    assert (nothing.status_code, nothing.json()["code"]) == (409, "cards.nothing_to_add")
    rows = {r["name"]: r for r in (await get_json(client, "/pending", clerk, channel="普通"))["items"]}

    # 完善信息 belongs to the special channel; the switch moves the row there
    first = rows["会员0"]["id"]
    info = {"id_type": "护照", "expiry": "2030-01-01", "nationality": "日本"}
    early = await client.put(f"/pending/{first}/info", json=info, headers=clerk)
    assert (early.status_code, early.json()["code"]) == (409, "cards.info_special_only")
    for name in ("会员0", "会员1"):
        switched = await client.put(f"/pending/{rows[name]['id']}/channel", json={"channel": "特殊"}, headers=clerk)
        assert switched.json()["channel"] == "特殊" and not switched.json()["info_complete"]
    assert (await get_json(client, f"/cards/{members[0].member_id}", clerk))["channel"] == "特殊"
    checked = await client.post("/pending/checks", json={"ids": [first]}, headers=clerk)
    assert (checked.status_code, checked.json()["code"]) == (409, "cards.not_checkable")
    bad = await client.put(f"/pending/{first}/info", json=info | {"id_type": "驾驶证"}, headers=clerk)
    assert (bad.status_code, bad.json()["code"]) == (422, "cards.id_type_invalid")
    bad = await client.put(f"/pending/{first}/info", json=info | {"expiry": "2026-01-01"}, headers=clerk)
    assert bad.json()["code"] == "cards.expiry_past"
    done = (await client.put(f"/pending/{first}/info", json=info, headers=clerk)).json()
    assert (done["id_type"], done["nationality"], done["info_complete"], done["ready"]) == ("护照", "日本", True, True)

    # checked: special submission needs every row complete, and a refused submission changes nothing
    r = await client.post("/batches", json={"channel": "特殊", **OUTLET}, headers=clerk)
    assert (r.status_code, r.json()["code"], r.json()["incomplete"]) == (409, "cards.info_incomplete", 1)
    progress = await get_json(client, "/pending/progress", clerk)
    assert (progress["特殊"]["total"], progress["特殊"]["complete"], progress["普通"]["total"]) == (2, 1, 2)
    bad_form = await client.post("/batches", json={"channel": "特殊", **(OUTLET | {"branch": " "})}, headers=clerk)
    assert (bad_form.status_code, bad_form.json()["code"]) == (422, "cards.branch_required")
    removed = await client.post("/pending/remove-unready", json={"channel": "特殊"}, headers=clerk)
    assert removed.json() == {"removed": 1}
    assert (await get_json(client, f"/cards/{members[1].member_id}", clerk))["status"] == "未办卡"

    # remove one row of the normal channel
    assert (await client.delete(f"/pending/{rows['会员2']['id']}", headers=clerk)).status_code == 204
    assert (await client.get(f"/pending/{rows['会员2']['id']}", headers=clerk)).status_code == 404
    assert (await get_json(client, "/pending/progress", clerk))["普通"]["total"] == 1

    r = await client.post("/batches", json={"channel": "特殊", **OUTLET}, headers=clerk)
    assert r.status_code == 201
    card = r.json()["cards"][0]
    assert (card["id_type"], card["nationality"], card["id_expiry"]) == ("护照", "日本", "2030-01-01")

    # the card list exported: masked ID numbers, each member's status
    export = await client.get("/cards/export", headers=clerk)
    sheet = load_workbook(io.BytesIO(export.content)).active
    lines = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert lines["会员0"][3] == members[0].id_number_masked and lines["会员0"][10] == "待办中"
    assert lines["会员2"][10] == "未办卡" and "*" in lines["会员3"][3]


async def test_a_batch_holds_at_most_a_thousand_cards(client, city: City, kafka):
    clerk = city.clerk(city.g1)
    await joined(client)
    members = [snapshot(i, city.g1) for i in range(1001)]
    await import_members(kafka.bootstrap, members[:1000])
    await import_members(kafka.bootstrap, members[1000:])
    await cards_listed(client, clerk, 1001)
    assert (await client.post("/cards/pending/all", headers=clerk)).json() == {"added": 1001}
    r = await client.post("/batches", json={"channel": "普通", **OUTLET}, headers=clerk)
    assert (r.status_code, r.json()["code"], r.json()["count"]) == (422, "cards.batch_too_large", 1001)
    assert "1000" in r.json()["title"]
    assert (await get_json(client, "/batches", clerk))["total"] == 0
