"""Events in and out of org on the real broker: outbox after a crash, duplicates, poison, restarts."""

from __future__ import annotations

import json
from datetime import date

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlmodel import text

from contracts import topics
from contracts.members import MemberDeleted, MembersImported, MemberSnapshot, MemberTransferred
from localstack.pytest_plugin import eventually, read_topic, running, send_event, send_raw
from org.main import MIGRATIONS, create_app
from org.service.orgs import create_root
from runtime.db import migrate
from runtime.dlq import read_dead_letters, replay
from services.org.tests.conftest import SYSTEM, City


def member(
    mid: str, org_id: int, version: int = 1, *, joined: date = date(2024, 3, 5), ecard: bool = True, active: bool = True
) -> MemberSnapshot:
    return MemberSnapshot(
        member_id=mid,
        org_id=org_id,
        category="关联企业类",
        joined_on=joined,
        e_card_activated=ecard,
        active=active,
        version=version,
    )


async def stats_of(client, org_id: int) -> dict:  # type: ignore[no-untyped-def]
    return (await client.get(f"/orgs/{org_id}/stats", headers=SYSTEM)).json()


async def members_become(client, org_id: int, n: int) -> bool:  # type: ignore[no-untyped-def]
    return await eventually(lambda: _has(client, org_id, n))


async def _has(client, org_id: int, n: int) -> bool:  # type: ignore[no-untyped-def]
    return (await stats_of(client, org_id))["members"] == n


async def test_outbox_delivers_what_was_committed_before_a_crash(org_settings, kafka):
    """An org committed while no relay ran (the process died after commit) is published on restart."""
    app = create_app(org_settings)
    await migrate(MIGRATIONS, org_settings.database_url)
    async with app.state.sessions() as session:
        root = await create_root(session, "崩溃前提交的市总工会", "310000000777")
    await app.state.engine.dispose()
    assert not [r for r in await read_topic(kafka.bootstrap, topics.ORG) if b"310000000777" in r.value]

    async with running(create_app(org_settings)):

        async def published():  # type: ignore[no-untyped-def]
            return [r for r in await read_topic(kafka.bootstrap, topics.ORG) if b"310000000777" in r.value]

        records = await eventually(published)
    assert len(records) == 1
    headers = {k: v.decode() for k, v in records[0].headers}
    assert headers["ce_type"] == "org.union.upserted" and headers["ce_source"] == "/services/org"
    assert records[0].key == str(root.id).encode()
    assert json.loads(records[0].value)["org"]["version"] == 1


async def test_members_count_once_however_often_an_event_arrives(client, city, kafka):
    g = city.grassroots["id"]
    imported = MembersImported(import_id="imp-1", members=[member("m1", g), member("m2", g, ecard=False)])
    ce_id = await send_event(kafka.bootstrap, imported)
    await send_event(kafka.bootstrap, imported, ce_id=ce_id)  # the same delivery again
    await send_event(kafka.bootstrap, imported)  # a replay under a new id: versions keep it harmless
    assert await members_become(client, city.root, 2)
    for org_id in (g, city.secondary["id"], city.xuhui["id"], city.root):
        s = await stats_of(client, org_id)
        assert (s["members"], s["e_cards"]) == (2, 1), org_id
    assert (await stats_of(client, city.huangpu["id"]))["members"] == 0
    joins = (
        await client.get(
            f"/orgs/{city.root}/joins",
            headers=SYSTEM,
            params={"granularity": "month", "start": "2024-01-01", "end": "2024-12-31"},
        )
    ).json()
    assert joins["total"] == 2 and joins["points"] == [{"period": "2024-03-01", "joined": 2}]


async def test_transfer_and_delete_move_the_counts(client, city, kafka):
    g, temp = city.grassroots["id"], city.huangpu["id"]
    await send_event(kafka.bootstrap, MembersImported(import_id="imp-2", members=[member("m1", g), member("m2", g)]))
    assert await members_become(client, g, 2)
    await send_event(kafka.bootstrap, MemberTransferred(member=member("m1", temp, version=2), from_org_id=g))
    await send_event(kafka.bootstrap, MemberDeleted(member_id="m2", org_id=g, reason="退休", version=2))
    assert await members_become(client, g, 0)
    assert (await stats_of(client, temp))["members"] == 1
    assert (await stats_of(client, city.root))["members"] == 1
    # older news about m2 (version 1) after its deletion changes nothing
    await send_event(kafka.bootstrap, MembersImported(import_id="imp-old", members=[member("m2", g)]))
    await send_event(kafka.bootstrap, MembersImported(import_id="imp-3", members=[member("m3", temp)]))
    assert await members_become(client, temp, 2)
    assert (await stats_of(client, g))["members"] == 0


async def test_poison_goes_to_the_dlq_and_the_partition_moves_on(client, city, kafka):
    g = city.grassroots["id"]
    headers = {
        "ce_id": "poison-1",
        "ce_source": "/tests",
        "ce_type": "members.imported",
        "ce_specversion": "1.0",
        "ce_time": "2026-01-01T00:00:00+08:00",
    }
    await send_raw(kafka.bootstrap, topics.MEMBERS, b"{not json", headers, key=b"same-key")
    unknown_org = MembersImported(import_id="same-key", members=[member("ghost", 999_999)])
    await send_event(kafka.bootstrap, unknown_org)
    await send_event(kafka.bootstrap, MembersImported(import_id="same-key", members=[member("m9", g)]))
    # checked: the good event behind the two bad ones on the same partition was applied
    assert await members_become(client, g, 1)

    async def parked():  # type: ignore[no-untyped-def]
        letters = await read_dead_letters(kafka.bootstrap, topics.MEMBERS)
        return {d.ce_id: d for d in letters if d.ce_id == "poison-1" or "ghost" in d.body.decode()}

    letters = await eventually(lambda: _at_least(parked, 2))
    poison = letters["poison-1"]
    assert poison.headers["x-error-type"] == "Poison" and poison.headers["x-attempts"] == "0"
    ghost = next(d for d in letters.values() if d.ce_id != "poison-1")
    assert ghost.headers["x-error-type"] == "DomainError" and ghost.headers["x-attempts"] == "3"
    assert "org.unknown_org" in ghost.headers["x-error"]
    # checked: a dead-lettered event left no trace in the counts
    assert (await stats_of(client, city.root))["members"] == 1


async def _at_least(check, n: int):  # type: ignore[no-untyped-def]
    found = await check()
    return found if len(found) >= n else None


async def test_a_replayed_dead_letter_applies_once_its_cause_is_fixed(client, city, kafka):
    app = client._transport.app  # noqa: SLF001
    async with app.state.sessions() as s:
        next_id = (await s.exec(text("SELECT max(id) + 1 FROM org"))).one()[0]
    early = MembersImported(import_id="early", members=[member("early-bird", next_id)])
    ce_id = await send_event(kafka.bootstrap, early)  # a member of an org org has not heard of yet

    async def parked():  # type: ignore[no-untyped-def]
        return [d for d in await read_dead_letters(kafka.bootstrap, topics.MEMBERS) if d.ce_id == ce_id]

    assert await eventually(parked)
    late = await city.create(city.secondary["id"], "后建的基层工会", "单独基层工会", "310104000300")
    assert late["id"] == next_id
    assert await replay(kafka.bootstrap, topics.MEMBERS, [ce_id]) == 1
    assert await members_become(client, next_id, 1)
    assert (await stats_of(client, city.root))["members"] == 1


async def test_a_restarted_consumer_resumes_from_its_committed_offset(org_settings, kafka):
    async with running(create_app(org_settings)) as client:
        city = await City(client).build()
        await send_event(
            kafka.bootstrap, MembersImported(import_id="r1", members=[member("r1", city.grassroots["id"])])
        )
        assert await members_become(client, city.root, 1)
    # while the service is down, two more chunks arrive
    for i in (2, 3):
        await send_event(
            kafka.bootstrap, MembersImported(import_id=f"r{i}", members=[member(f"r{i}", city.grassroots["id"])])
        )
    async with running(create_app(org_settings)) as client:
        assert await members_become(client, city.root, 3)
        app = client._transport.app  # noqa: SLF001
        async with app.state.sessions() as s:
            inbox_rows = (await s.exec(text("SELECT count(*) FROM inbox"))).one()[0]
    # checked: nothing was applied twice (3 events, 3 inbox rows) and the group's offsets reach the end
    assert inbox_rows == 3
    ends = {}
    for r in await read_topic(kafka.bootstrap, topics.MEMBERS):
        ends[TopicPartition(r.topic, r.partition)] = r.offset + 1
    reader = AIOKafkaConsumer(bootstrap_servers=kafka.bootstrap, group_id="org", enable_auto_commit=False)
    await reader.start()
    try:
        committed = {tp: await reader.committed(tp) for tp in ends}
    finally:
        await reader.stop()
    assert committed == ends
