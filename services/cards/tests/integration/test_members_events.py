"""The member projection on the real broker: numbers arriving later, older news, deletion and transfer
taking a member out of the pending list, the org tree from org.v1."""

from __future__ import annotations

from contracts import topics
from contracts.members import MemberDeleted, MembersNumbered, MemberTransferred, MemberUpdated
from contracts.org import UnionUpserted
from localstack.pytest_plugin import eventually, send_event
from services.cards.tests.conftest import (
    City,
    Org,
    OrgKind,
    cards_listed,
    get_json,
    import_members,
    joined,
    payloads,
    processed,
    snapshot,
)


async def test_numbers_later_older_news_deletion_and_transfer(client, city: City, kafka):
    clerk = city.clerk(city.g1)
    await joined(client)
    waiting = [snapshot(i, city.g1, member_no=None, version=1) for i in range(3)]
    import_id = await import_members(kafka.bootstrap, waiting)
    listed = await cards_listed(client, clerk, 3)
    assert not any(c["addable"] for c in listed["items"])

    # members.numbered: the chunk's numbers arrive with newer versions → eligible, one change event
    numbered = [snapshot(i, city.g1, member_id=m.member_id, version=2) for i, m in enumerate(waiting)]
    await send_event(kafka.bootstrap, MembersNumbered(import_id=import_id, members=numbered))

    async def addable():  # type: ignore[no-untyped-def]
        items = (await get_json(client, "/cards", clerk))["items"]
        return items if all(c["addable"] for c in items) else None

    items = await eventually(addable, timeout=60)
    assert sorted(c["member_no"] for c in items) == ["SH0000000001", "SH0000000002", "SH0000000003"]
    changes = await eventually(lambda: payloads(kafka.bootstrap, topics.CARDS, "cards.eligibility.changed", import_id))
    assert [len(c["changes"]) for c in changes] == [3]

    # checked: an older snapshot arriving late does not take the number away
    stale = MemberUpdated(member=waiting[0])
    assert await processed(client, await send_event(kafka.bootstrap, stale))
    assert (await get_json(client, f"/cards/{waiting[0].member_id}", clerk))["member_no"] == "SH0000000001"

    # two members in the pending list; one is deleted, the other transferred to another union
    r = await client.post(
        "/cards/pending", json={"member_ids": [waiting[0].member_id, waiting[1].member_id]}, headers=clerk
    )
    assert r.status_code == 201
    gone = MemberDeleted(member_id=waiting[0].member_id, org_id=city.g1.org_id, reason="死亡", version=3)
    moved = MemberTransferred(
        member=snapshot(1, city.g2, member_id=waiting[1].member_id, version=3), from_org_id=city.g1.org_id
    )
    await send_event(kafka.bootstrap, gone)
    assert await processed(client, await send_event(kafka.bootstrap, moved))
    # checked: both left the pending list; the deleted member left the card list, the other moved with them
    assert (await get_json(client, "/pending/progress", clerk))["普通"]["total"] == 0
    assert (await client.get(f"/cards/{waiting[0].member_id}", headers=clerk)).status_code == 404
    assert (await client.get(f"/cards/{waiting[1].member_id}", headers=clerk)).status_code == 404
    there = await get_json(client, f"/cards/{waiting[1].member_id}", city.clerk(city.g2))
    assert (there["status"], there["addable"]) == ("未办卡", True)
    (deleted,) = await eventually(
        lambda: payloads(kafka.bootstrap, topics.CARDS, "cards.eligibility.changed", waiting[0].member_id)
    )
    assert deleted["changes"] == [
        {
            "member_id": waiting[0].member_id,
            "org_id": city.g1.org_id,
            "eligible": False,
            "reason": "会员已删除",
            "version": 3,
        }
    ]
    # checked: a transfer that keeps the member eligible is no eligibility change
    assert await payloads(kafka.bootstrap, topics.CARDS, "cards.eligibility.changed", waiting[1].member_id) == []


async def test_the_org_tree_comes_from_org_v1(client, kafka):
    await joined(client)
    city = City()
    for org in city.all:
        await send_event(kafka.bootstrap, UnionUpserted(org=org.snapshot()))
    branch = Org(
        city.root.org_id + 9, "研发部分工会", "310104000118", f"{city.g1.path}.{city.root.org_id + 9}", OrgKind.BRANCH
    )
    await send_event(kafka.bootstrap, UnionUpserted(org=branch.snapshot()))
    await import_members(kafka.bootstrap, [snapshot(1, branch)])
    # checked: the grassroots union above the branch sees the branch's member, the sibling union does not
    listed = await cards_listed(client, city.clerk(city.g1), 1)
    assert listed["items"][0]["union_name"] == "研发部分工会"
    assert (await get_json(client, "/cards", city.clerk(city.g2)))["total"] == 0
