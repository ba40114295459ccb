"""The org projection from org.v1 on the real broker: upserts, moves (subtree paths), older news."""

from __future__ import annotations

from httpx import AsyncClient
from sqlmodel import col, select

from contracts.org import OrgKind, OrgSnapshot, UnionMoved, UnionUpserted
from localstack import Tansu
from localstack.pytest_plugin import eventually, send_event
from members.models import OrgRef
from services.members.tests.conftest import City, Org, app_of, import_rows, person


async def _paths(client: AsyncClient, org_ids: list[int]) -> dict[int, str]:
    async with app_of(client).state.sessions() as s:
        rows = await s.exec(select(OrgRef).where(col(OrgRef.org_id).in_(org_ids)))
        return {r.org_id: r.path for r in rows}


async def test_org_events_build_the_projection_and_a_move_carries_its_subtree(
    client: AsyncClient, kafka: Tansu
) -> None:
    city = City()
    branch = Org(city.root.org_id + 8, "研发部分工会", "310104000118", f"{city.g1.path}.{city.root.org_id + 8}",
                 OrgKind.BRANCH)  # fmt: skip
    for org in [*city.all, branch]:
        await send_event(kafka.bootstrap, UnionUpserted(org=org.snapshot()))
    ids = [o.org_id for o in (*city.all, branch)]
    assert await eventually(lambda: _has(client, ids), timeout=60)

    # members can be imported into the projected unions right away
    await import_rows(client, [person(1, city.g1)], city.clerk(city.g1))
    assert (await client.get("/members", headers=city.clerk(city.huangpu))).json()["total"] == 0

    # g1 (with its branch) moves from 徐汇 to 黄浦
    new_path = f"{city.huangpu.path}.{city.g1.org_id}"
    under_huangpu = {"path": new_path, "parent_id": city.huangpu.org_id, "district_id": city.huangpu.org_id}
    moved = OrgSnapshot(**(city.g1.snapshot(version=2).model_dump() | under_huangpu))
    await send_event(kafka.bootstrap, UnionMoved(org=moved, old_path=city.g1.path, new_path=new_path))

    async def moved_over() -> dict[int, str] | None:
        paths = await _paths(client, [city.g1.org_id, branch.org_id])
        return paths if paths[branch.org_id].startswith(new_path + ".") else None

    paths = await eventually(moved_over, timeout=60)
    assert paths[city.g1.org_id] == new_path
    # checked: an older upsert of g1 arriving late does not put the old path back
    await send_event(kafka.bootstrap, UnionUpserted(org=city.g1.snapshot(version=1)))
    marker = Org(city.root.org_id + 9, "后来的工会", "310101000300", f"{city.huangpu.path}.{city.root.org_id + 9}",
                 OrgKind.STANDALONE)  # fmt: skip
    await send_event(kafka.bootstrap, UnionUpserted(org=marker.snapshot()))
    assert await eventually(lambda: _has(client, [marker.org_id]), timeout=60)
    assert (await _paths(client, [city.g1.org_id]))[city.g1.org_id] == new_path
    # checked: the member follows the move into 黄浦's scope, out of 徐汇's
    assert (await client.get("/members", headers=city.clerk(city.huangpu))).json()["total"] == 1
    assert (await client.get("/members", headers=city.clerk(city.xuhui))).json()["total"] == 0


async def _has(client: AsyncClient, ids: list[int]) -> bool:
    return len(await _paths(client, ids)) == len(ids)
