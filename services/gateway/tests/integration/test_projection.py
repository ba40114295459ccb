"""The org tree heard on org.v1 (the real broker): creates, moves, deletes, stale news ignored."""

from __future__ import annotations

from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from gateway.models import OrgNode
from localstack.pytest_plugin import send_event
from runtime.inbox import InboxEntry
from runtime.tokens import Tier
from services.gateway.tests.conftest import PASSWORD, Platform, SeedAccount, eventually


async def node(platform: Platform, org_id: int) -> OrgNode | None:
    async with platform.gateway.app.state.sessions() as s:
        return await s.get(OrgNode, org_id)


async def test_the_projection_follows_creates_moves_and_deletes(platform: Platform):
    root = await platform.create_root()
    a = await platform.create_org(root, "甲区总工会", "区局（产业）工会", "310104000001")
    b = await platform.create_org(root, "乙区总工会", "区局（产业）工会", "310101000001")
    sec = await platform.create_org(a["id"], "甲区教育工会", "二级工会", "310104000100")
    gr = await platform.create_org(sec["id"], "甲区某科技公司工会", "单独基层工会", "310104000116")
    assert await platform.heard(7)  # the two districts' 临时工会 included
    assert (await node(platform, gr["id"])).path == gr["path"]  # type: ignore[union-attr]
    assert (await node(platform, gr["id"])).name == "甲区某科技公司工会"  # type: ignore[union-attr]

    gw = platform.gateway
    await gw.seed(
        SeedAccount("shizong", PASSWORD, Tier.CITY, root), SeedAccount("jc", PASSWORD, Tier.GRASSROOTS, gr["id"])
    )
    city = await gw.signed_in("shizong")
    moved = await city.post("/api/orgs/move", json={"org_ids": [sec["id"]], "target_parent_id": b["id"]})
    assert moved.status_code == 200, moved.text
    new_path = f"{root}.{b['id']}.{sec['id']}.{gr['id']}"

    async def rewritten():  # type: ignore[no-untyped-def]
        # the move (for sec) and the re-announced descendant (gr) travel on different partitions
        moved_root, descendant = await node(platform, sec["id"]), await node(platform, gr["id"])
        return (
            moved_root and descendant and moved_root.path == new_path.rsplit(".", 1)[0] and descendant.path == new_path
        )

    assert await eventually(rewritten)
    grassroots = await gw.signed_in("jc")
    assert (await grassroots.get("/api/me")).json()["org_path"] == new_path, "scopes follow the tree"

    stale = (await node(platform, sec["id"])).version  # type: ignore[union-attr]
    old = OrgSnapshot(
        org_id=sec["id"],
        parent_id=a["id"],
        path=sec["path"],
        name="旧名称",
        kind=OrgKind.SECONDARY,
        union_code="310104000100",
        version=stale - 1,
    )
    ce_id = await send_event(platform.gateway.app.state.settings.kafka_bootstrap_servers, UnionUpserted(org=old))

    async def consumed():  # type: ignore[no-untyped-def]
        async with platform.gateway.app.state.sessions() as s:
            return await s.get(InboxEntry, ("/tests", ce_id))

    assert await eventually(consumed)
    deleted = await city.delete(f"/api/orgs/{gr['id']}")
    assert deleted.status_code == 204

    async def gone():  # type: ignore[no-untyped-def]
        n = await node(platform, gr["id"])
        return n is not None and n.deleted

    assert await eventually(gone)
    kept = await node(platform, sec["id"])
    assert kept is not None and kept.name == "甲区教育工会" and kept.path.startswith(f"{root}.{b['id']}.")
