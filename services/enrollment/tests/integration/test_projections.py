"""The projections on the real broker: org.v1, every members.v1 event type (version-guarded), cards.v1."""

from __future__ import annotations

from sqlmodel import select

from contracts.members import MemberDeleted, MembersNumbered, MemberTransferred, MemberUpdated
from contracts.org import UnionUpserted
from localstack.pytest_plugin import eventually, send_event
from runtime.inbox import InboxEntry
from services.enrollment.tests.conftest import BASE, City, app_of, card, configure_year, member, ok, publish_people


async def _roster(client, headers) -> dict[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    body = await ok(await client.get(f"{BASE}/collective/members", params={"size": 500}, headers=headers))
    return {row["member_id"]: row for row in body["items"]}


async def test_members_cards_and_orgs_arrive_from_their_topics_and_older_news_changes_nothing(client, kafka):
    """Checked: an older member.updated consumed after a newer one leaves the newer name."""
    await configure_year(client)
    city = City()
    for org in city.all:
        await send_event(kafka.bootstrap, UnionUpserted(org=org.snapshot()))
    a, b, c = (member(city, city.g1, i) for i in range(3))
    await publish_people(kafka.bootstrap, [a, b, c], [card(a), card(b), card(c)])
    g1 = city.clerk(city.g1)

    async def arrived():  # type: ignore[no-untyped-def]
        try:
            roster = await _roster(client, g1)
        except AssertionError:  # the org is not projected yet: 404
            return None
        return roster if len(roster) == 3 else None

    assert await eventually(arrived, timeout=120), "the orgs, members and cards never arrived"

    # numbered (v2), renamed (v3), then an older update (v2) arrives late: the newest stays
    numbered = a.model_copy(update={"member_no": "SH0000000001", "version": 2})
    await send_event(kafka.bootstrap, MembersNumbered(import_id="imp-n", members=[numbered]))
    await send_event(
        kafka.bootstrap, MemberUpdated(member=numbered.model_copy(update={"name": "新名字", "version": 3}))
    )
    late = MemberUpdated(member=numbered.model_copy(update={"name": "旧名字", "version": 2}))
    late_id = await send_event(kafka.bootstrap, late)
    # b moves to g2, c is deleted (退休)
    moved = b.model_copy(update={"org_id": city.g2.org_id, "version": 2})
    await send_event(kafka.bootstrap, MemberTransferred(member=moved, from_org_id=city.g1.org_id))
    await send_event(kafka.bootstrap, MemberDeleted(member_id=c.member_id, org_id=c.org_id, reason="退休", version=2))

    async def settled():  # type: ignore[no-untyped-def]
        roster = await _roster(client, g1)
        return roster if set(roster) == {a.member_id} and roster[a.member_id]["name"] == "新名字" else None

    roster = await eventually(settled, timeout=60)
    assert roster, f"the member events did not arrive: {await _roster(client, g1)}"
    assert roster[a.member_id]["member_no"] == "SH0000000001"
    assert set(await _roster(client, city.clerk(city.g2))) == {b.member_id}
    # checked: once the late older update has been consumed, the name is still the newer one
    assert await eventually(lambda: _seen(client, late_id), timeout=60)
    assert (await _roster(client, g1))[a.member_id]["name"] == "新名字"


async def _seen(client, ce_id: str) -> bool:  # type: ignore[no-untyped-def]
    async with app_of(client).state.sessions() as s:
        return (await s.exec(select(InboxEntry).where(InboxEntry.ce_id == ce_id))).first() is not None
