"""业务工作台's member figures (/statistics) on a small roster built through the API on a fixed
Shanghai clock: counts by status and data type, e-cards, member numbers, joins today / this week /
this month, transfers waiting for review, the latest imports — each in the caller's scope."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest

from localstack.pytest_plugin import eventually, running
from members.main import create_app
from members.settings import MembersSettings
from runtime.clock import SHANGHAI, FixedClock
from services.members.tests.conftest import City, import_rows, person

TODAY = datetime(2024, 3, 13, 10, 0, tzinfo=SHANGHAI)  # a Wednesday: the week began on Monday the 11th
FLEXIBLE = {"data_type": "灵活就业类"}
OUTSIDE = {"data_type": "企业外入会类"}


@pytest.fixture
async def world(members_settings: MembersSettings) -> AsyncIterator[tuple[Any, City, FixedClock]]:
    clock = FixedClock(datetime(2024, 2, 20, 10, 0, tzinfo=SHANGHAI))
    app = create_app(members_settings.model_copy(update={"import_processes": 0}), clock)
    async with running(app) as client:
        yield client, await City().project(app), clock


async def _stats(client, headers, **params) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    r = await client.get("/statistics", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def _ids(client, headers, org_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    r = await client.get("/members", params={"org_id": org_id, "size": 50}, headers=headers)
    return sorted(m["id"] for m in r.json()["items"])


async def _seed(client, city: City, clock: FixedClock) -> list[str]:  # type: ignore[no-untyped-def]
    """Six imports in 徐汇 (oldest first), one member added by hand in 黄浦; returns the import ids."""
    g1, district = city.clerk(city.g1), city.clerk(city.xuhui)
    jobs = [await import_rows(client, [person(i, city.g1) for i in (1, 2)], g1)]  # February: not this month
    clock.set(datetime(2024, 3, 4, 9, 0, tzinfo=SHANGHAI))  # this month, last week
    flexible = [person(i, city.g2, tag="快递物流") for i in (3, 4, 5)]
    jobs.append(await import_rows(client, flexible, district, **FLEXIBLE))
    clock.set(datetime(2024, 3, 11, 9, 0, tzinfo=SHANGHAI))  # Monday: this week
    jobs.append(await import_rows(client, [person(6, city.g1)], g1, **OUTSIDE))
    clock.set(TODAY)
    today_rows = [person(i, city.g1) for i in (7, 8)]
    bad = person(9, city.g1)
    bad[2] = bad[2][:-1] + ("0" if bad[2][-1] != "0" else "1")  # a wrong check digit: rejected
    jobs.append(await import_rows(client, [*today_rows, bad], g1))
    jobs.append(await import_rows(client, [person(10, city.g1, tag="外包工")], g1, **FLEXIBLE))  # refused: 已失败
    jobs.append(await import_rows(client, today_rows, g1))  # the same two again: unchanged
    added = person(11, city.h1)
    body = {"name": added[0], "id_type": "身份证", "id_number": added[2], "phone": added[3], "gender": added[4],
            "org_id": city.h1.org_id, "category": "企业外入会类"}  # fmt: skip
    assert (await client.post("/members", json=body, headers=city.clerk(city.h1))).status_code == 201
    return [j["id"] for j in jobs]


async def _act(client, city: City) -> None:  # type: ignore[no-untyped-def]
    """Two e-cards activated (the February members), one 退休, two transfers waiting for review."""
    g1, g2 = city.clerk(city.g1), city.clerk(city.g2)
    listed = await client.get("/members", params={"org_id": city.g1.org_id, "size": 50}, headers=g1)
    february = [m for m in listed.json()["items"] if m["name"] in ("会员一", "会员二")]
    assert len(february) == 2
    for m in february:
        r = await client.patch(f"/members/{m['id']}", json={"e_card_activated": True}, headers=g1)
        assert r.status_code == 200, r.text
    flexible = await _ids(client, g2, city.g2.org_id)
    gone = await client.delete(f"/members/{flexible[0]}", params={"reason": "退休"}, headers=g2)
    assert gone.status_code == 200, gone.text
    to_g1 = {"member_ids": [flexible[1]], "target_org_id": city.g1.org_id, "reason": "调入关联公司"}
    assert (await client.post("/transfers", json=to_g1, headers=g2)).status_code == 201
    outside = await client.get("/members", params={"category": "企业外入会类"}, headers=g1)
    to_h1 = {"member_ids": [outside.json()["items"][0]["id"]], "target_org_id": city.h1.org_id, "reason": "跨区调动"}
    assert (await client.post("/transfers", json=to_h1, headers=g1)).status_code == 201


async def test_the_workbench_figures_of_each_scope(world: tuple[Any, City, FixedClock]) -> None:
    client, city, clock = world
    jobs = await _seed(client, city, clock)
    await _act(client, city)
    district = city.clerk(city.xuhui)

    async def numbered() -> dict[str, Any] | None:  # 会员编号 come from the service's own consumer
        stats = await _stats(client, city.clerk(city.root))
        return stats if stats["member_no"]["pending"] == 0 else None

    city_wide = await eventually(numbered, timeout=60)
    assert city_wide, "members were never numbered"
    # checked: the city sees all 8 active members (7 in 徐汇, 1 in 黄浦) and the deleted one apart
    assert (city_wide["members"], city_wide["by_status"]) == (8, {"正常": 8, "已删除": 1})
    assert city_wide["by_category"] == {"灵活就业类": 2, "企业外入会类": 2, "关联企业类": 4}
    assert city_wide["member_no"] == {"assigned": 8, "pending": 0}
    assert city_wide["pending_transfers"] == 2
    assert [j["id"] for j in city_wide["recent_imports"]] == jobs[:0:-1], "newest first, five at most"

    xuhui = await _stats(client, district)
    # checked: exact figures of the district: joins counted on the Shanghai calendar, the deleted
    # member still joined this month, the rate is of active members (2 of 7)
    assert xuhui["as_of"] == "2024-03-13" and xuhui["org_id"] is None
    assert (xuhui["members"], xuhui["by_status"]) == (7, {"正常": 7, "已删除": 1})
    assert xuhui["by_category"] == {"灵活就业类": 2, "企业外入会类": 1, "关联企业类": 4}
    assert xuhui["e_card"] == {"activated": 2, "rate": 0.2857}
    assert xuhui["joins"] == {"today": 2, "week": 3, "month": 6}
    assert xuhui["pending_transfers"] == 1, "only the request into 徐汇 waits for 徐汇's review"
    latest = xuhui["recent_imports"][:3]
    assert [(j["state"], j["error_code"], j["rows_created"], j["rows_unchanged"]) for j in latest] == [
        ("已完成", None, 0, 2),
        ("已失败", "import.flexible_tag_required", 0, 0),
        ("已完成", None, 2, 0),
    ]
    assert latest[2]["rows_rejected"] == 1 and latest[2]["category"] == "关联企业类"

    # checked: a chosen org inside the scope narrows everything to its subtree
    g1 = await _stats(client, district, org_id=city.g1.org_id)
    assert (g1["org_id"], g1["members"], g1["by_category"]["灵活就业类"], g1["pending_transfers"]) == (
        city.g1.org_id,
        5,
        0,
        1,
    )
    assert [j["id"] for j in g1["recent_imports"]] == [jobs[5], jobs[4], jobs[3], jobs[2], jobs[0]]


async def test_other_branches_see_only_their_own(world: tuple[Any, City, FixedClock]) -> None:
    client, city, clock = world
    await _seed(client, city, clock)
    await _act(client, city)
    huangpu = await _stats(client, city.clerk(city.huangpu))
    # checked: 黄浦 sees its one member and the transfer it must review, none of 徐汇's imports
    assert (huangpu["members"], huangpu["joins"], huangpu["pending_transfers"]) == (
        1,
        {"today": 1, "week": 1, "month": 1},
        1,
    )
    assert huangpu["recent_imports"] == [] and huangpu["e_card"] == {"activated": 0, "rate": 0.0}
    g2 = await _stats(client, city.clerk(city.g2))
    # checked: a grassroots union counts its own members; its outgoing request is not its to review
    assert (g2["members"], g2["by_status"]["已删除"], g2["pending_transfers"], g2["recent_imports"]) == (2, 1, 0, [])
    for outsider, org in ((city.clerk(city.xuhui), city.h1), (city.clerk(city.g1), city.xuhui)):
        r = await client.get("/statistics", params={"org_id": org.org_id}, headers=outsider)
        assert (r.status_code, r.json()["code"]) == (404, "not_found"), "outside the scope: as if absent"
