"""会员转移 and 会籍审核管理: requests, review by the receiving side, the default 临时工会."""

from __future__ import annotations

from httpx import AsyncClient

from localstack import Tansu
from localstack.pytest_plugin import eventually
from members.settings import MembersSettings
from services.members.tests.conftest import City, events, import_rows, opened, person


async def _ids(client: AsyncClient, city: City, n: int) -> list[str]:
    clerk = city.clerk(city.g1)
    await import_rows(client, [person(i, city.g1) for i in range(n)], clerk)
    items = (await client.get("/members", params={"size": 50}, headers=clerk)).json()["items"]
    return [m["id"] for m in items]


async def test_an_approved_transfer_moves_the_member_and_is_announced(
    client: AsyncClient, city: City, kafka: Tansu, members_settings: MembersSettings
) -> None:
    [member_id] = await _ids(client, city, 1)
    sender, receiver = city.clerk(city.g1), city.clerk(city.g2)
    r = await client.post(
        "/transfers",
        json={"member_ids": [member_id], "target_district_id": city.xuhui.org_id, "target_org_id": city.g2.org_id,
              "reason": "调动到关联公司"},
        headers=sender,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    [request] = r.json()
    assert (request["state"], request["from_org_name"], request["to_org_name"]) == (
        "待审核",
        city.g1.name,
        city.g2.name,
    )

    # checked: the sender cannot approve its own request — only the receiving side
    own = await client.post(f"/transfers/{request['id']}/approve", headers=sender)
    assert (own.status_code, own.json()["code"]) == (403, "transfer.not_in_scope")
    incoming = (await client.get("/transfers", params={"direction": "in", "state": "待审核"}, headers=receiver)).json()
    assert [t["id"] for t in incoming["items"]] == [request["id"]]
    outgoing = (await client.get("/transfers", params={"direction": "out"}, headers=sender)).json()
    assert [t["id"] for t in outgoing["items"]] == [request["id"]]

    before = (await client.get(f"/members/{member_id}", headers=sender)).json()
    approved = await client.post(f"/transfers/{request['id']}/approve", json={"note": "同意"}, headers=receiver)
    assert approved.status_code == 200, approved.text
    assert (approved.json()["state"], approved.json()["reviewed_by"]) == ("已通过", f"clerk-{city.g2.org_id}")
    # checked: the member now belongs to the receiver and the sender no longer sees them
    moved = (await client.get(f"/members/{member_id}", headers=receiver)).json()
    assert moved["org_id"] == city.g2.org_id and moved["version"] == before["version"] + 1
    assert (await client.get(f"/members/{member_id}", headers=sender)).status_code == 404
    twice = await client.post(f"/transfers/{request['id']}/approve", headers=receiver)
    assert (twice.status_code, twice.json()["code"]) == (409, "transfer.already_reviewed")

    [event] = await eventually(lambda: events(kafka.bootstrap, "member.transferred", member_id))
    assert event["from_org_id"] == city.g1.org_id and event["member"]["org_id"] == city.g2.org_id
    assert event["member"]["version"] == moved["version"]
    # checked: the transfer carries the ID number sealed for the partners (cards pass it to the bank)
    assert opened(members_settings, event["member"]["id_sealed"]) == person(0, city.g1)[2]


async def test_a_rejected_transfer_leaves_the_member_and_shows_why(client: AsyncClient, city: City) -> None:
    [member_id] = await _ids(client, city, 1)
    sender, receiver = city.clerk(city.g1), city.clerk(city.huangpu)
    r = await client.post(
        "/transfers", json={"member_ids": [member_id], "target_org_id": city.h1.org_id, "reason": "跨区调动"},
        headers=sender,
    )  # fmt: skip
    request = r.json()[0]
    no_reason = await client.post(f"/transfers/{request['id']}/reject", json={"note": ""}, headers=receiver)
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "transfer.reject_reason_required")
    rejected = await client.post(f"/transfers/{request['id']}/reject", json={"note": "查无此人"}, headers=receiver)
    assert rejected.status_code == 200
    assert (rejected.json()["state"], rejected.json()["review_note"]) == ("已驳回", "查无此人")
    # checked: the member stays where they were, and the sender sees the reason
    assert (await client.get(f"/members/{member_id}", headers=sender)).json()["org_id"] == city.g1.org_id
    seen = (await client.get(f"/transfers/{request['id']}", headers=sender)).json()
    assert (seen["state"], seen["review_note"], seen["reviewed_by"]) == (
        "已驳回",
        "查无此人",
        f"clerk-{city.huangpu.org_id}",
    )
    # a third union sees neither side of it
    assert (await client.get(f"/transfers/{request['id']}", headers=city.clerk(city.g2))).status_code == 404


async def test_leavers_go_to_the_districts_temporary_union_by_default(client: AsyncClient, city: City) -> None:
    ids = await _ids(client, city, 3)
    sender = city.clerk(city.g1)
    target = await client.get("/transfers/default-target", params={"member_id": ids[0]}, headers=sender)
    assert target.json()["org_id"] == city.xuhui_temp.org_id and target.json()["kind"] == "临时工会"
    other = await client.get(
        "/transfers/default-target", params={"member_id": ids[0], "district_id": city.huangpu.org_id}, headers=sender
    )
    assert other.json()["org_id"] == city.huangpu_temp.org_id

    r = await client.post("/transfers", json={"member_ids": ids[:2], "reason": "离职"}, headers=sender)
    assert r.status_code == 201
    batch = r.json()
    assert len(batch) == 2 and len({t["batch_id"] for t in batch}) == 1
    assert {t["to_org_id"] for t in batch} == {city.xuhui_temp.org_id}

    # checked: a member waits for one review at a time, and cannot be deleted meanwhile
    dup = await client.post("/transfers", json={"member_ids": ids[:1], "reason": "离职"}, headers=sender)
    assert (dup.status_code, dup.json()["code"]) == (409, "transfer.already_pending")
    delete = await client.delete(f"/members/{ids[0]}", params={"reason": "退休"}, headers=sender)
    assert (delete.status_code, delete.json()["code"]) == (409, "member.transfer_pending")
    # checked: a batch with one bad member creates no request at all
    mixed = await client.post("/transfers", json={"member_ids": [ids[2], ids[1]], "reason": "离职"}, headers=sender)
    assert mixed.status_code == 409
    out = (await client.get("/transfers", params={"direction": "out"}, headers=sender)).json()
    assert out["total"] == 2

    district = city.clerk(city.xuhui)  # the district's clerk reviews for its 临时工会
    for t in batch:
        assert (await client.post(f"/transfers/{t['id']}/approve", headers=district)).status_code == 200
    temp = (await client.get("/members", params={"org_id": city.xuhui_temp.org_id}, headers=district)).json()
    assert temp["total"] == 2


async def test_bad_transfer_requests_are_refused_with_a_code(client: AsyncClient, city: City) -> None:
    [member_id] = await _ids(client, city, 1)
    sender = city.clerk(city.g1)
    cases = {
        "transfer.reason_required": {"member_ids": [member_id], "target_org_id": city.g2.org_id, "reason": " "},
        "transfer.same_org": {"member_ids": [member_id], "target_org_id": city.g1.org_id, "reason": "调动"},
        "transfer.target_not_in_district": {
            "member_ids": [member_id], "target_district_id": city.huangpu.org_id, "target_org_id": city.g2.org_id,
            "reason": "调动",
        },
        "transfer.duplicate_members": {"member_ids": [member_id, member_id], "reason": "调动"},
    }  # fmt: skip
    for code, body in cases.items():
        r = await client.post("/transfers", json=body, headers=sender)
        assert r.json()["code"] == code, (code, r.text)
    # checked: none of them left a request behind
    assert (await client.get("/transfers", params={"direction": "out"}, headers=sender)).json()["total"] == 0
