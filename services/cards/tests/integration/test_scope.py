"""Scope: another union's members, pending rows and batches answer 404, as if they did not exist."""

from __future__ import annotations

from runtime.tokens import Tier
from services.cards.tests.conftest import (
    City,
    bearer,
    cards_listed,
    get_json,
    import_members,
    joined,
    snapshot,
    special_batch,
)


async def test_another_unions_cards_are_invisible(client, city: City, kafka):
    clerk = city.clerk(city.g1)
    await joined(client)
    members = [snapshot(i, city.g1) for i in range(2)]
    batch_no = await special_batch(client, kafka, city.g1, clerk, members[:1])
    await import_members(kafka.bootstrap, members[1:])
    await cards_listed(client, clerk, 2)
    r = await client.post("/cards/pending", json={"member_ids": [members[1].member_id]}, headers=clerk)
    assert r.status_code == 201
    (row,) = (await get_json(client, "/pending", clerk, channel="普通"))["items"]

    for outsider in (city.clerk(city.g2), city.clerk(city.huangpu)):
        # checked: lists are empty, single rows are 404, writes are refused without a hint
        assert (await get_json(client, "/cards", outsider))["total"] == 0
        assert (await get_json(client, "/batches", outsider))["total"] == 0
        assert (await get_json(client, "/pending/progress", outsider))["普通"]["total"] == 0
        assert (await client.get(f"/cards/{members[0].member_id}", headers=outsider)).status_code == 404
        assert (await client.get(f"/pending/{row['id']}", headers=outsider)).status_code == 404
        for path in (f"/batches/{batch_no}", f"/batches/{batch_no}/roster.pdf", f"/batches/{batch_no}/roster.xlsx"):
            assert (await client.get(path, headers=outsider)).status_code == 404
        edit = await client.put(f"/pending/{row['id']}/expiry", json={"long_term": True}, headers=outsider)
        assert (edit.status_code, edit.json()["code"]) == (404, "not_found")
        assert (await client.delete(f"/pending/{row['id']}", headers=outsider)).status_code == 404
        assert (await client.post("/pending/checks", json={"ids": [row["id"]]}, headers=outsider)).status_code == 404
        revoke = {"applicant_name": "某人", "applicant_phone": "13800001111"}
        assert (await client.post(f"/batches/{batch_no}/revocations", json=revoke, headers=outsider)).status_code == 404
        taken = await client.post("/cards/pending", json={"member_ids": [members[1].member_id]}, headers=outsider)
        assert taken.json()["members"][0]["reason"] == "会员不存在或无权访问"
        assert (await client.get("/cards", params={"org_id": city.g1.org_id}, headers=outsider)).status_code == 404
    # checked: nothing an outsider tried changed the row
    assert (await client.get(f"/pending/{row['id']}", headers=clerk)).json()["id_long_term"] is False

    # the district and the city see the union's cards; the insurer reads but cannot change
    for insider in (city.clerk(city.xuhui), city.clerk(city.root), bearer(Tier.INSURER, user="zhibao")):
        assert (await get_json(client, "/cards", insider))["total"] == 2
        assert (await get_json(client, f"/batches/{batch_no}", insider))["total"] == 1
    g1_only = await get_json(client, "/cards", city.clerk(city.xuhui), org_id=city.g1.org_id)
    assert (
        g1_only["total"] == 2
        and (await get_json(client, "/cards", city.clerk(city.xuhui), org_id=city.g2.org_id))["total"] == 0
    )
    insurer = await client.delete(f"/pending/{row['id']}", headers=bearer(Tier.INSURER, user="zhibao"))
    assert (insurer.status_code, insurer.json()["code"]) == (403, "tier.forbidden")
