"""The shared org projection on a real PostgreSQL table: an upsert applies only when newer, a move carries
the descendants still on the old path, a delete of an org never seen leaves a tombstone that an older
upsert cannot bring back, and a delete applies only when newer."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Field, SQLModel, select

from contracts.org import OrgKind, OrgSnapshot, UnionDeleted, UnionMoved, UnionUpserted
from runtime.db import create_engine, session_factory
from runtime.org_projection import OrgProjection


class ProjectedOrg(SQLModel, table=True):
    __tablename__ = "projected_org"

    org_id: int = Field(primary_key=True)
    parent_id: int | None = None
    path: str
    name: str
    kind: str
    union_code: str
    district_id: int | None = None
    version: int
    deleted: bool = False


PROJECTION = OrgProjection(ProjectedOrg, fields=("union_code", "district_id"), blank={"union_code": ""})
NO_ENVELOPE: Any = None  # the projection does not read the envelope


def snapshot(org_id: int, path: str, version: int, name: str = "某工会") -> OrgSnapshot:
    parent = int(path.split(".")[-2]) if "." in path else None
    return OrgSnapshot(org_id=org_id, parent_id=parent, path=path, name=name, kind=OrgKind.STANDALONE,
                       union_code=f"U{org_id}", district_id=2, version=version)  # fmt: skip


@pytest.fixture
async def sessions(database: str):  # type: ignore[no-untyped-def]
    engine = create_engine(database, pool_size=1)
    async with engine.begin() as conn:
        await conn.run_sync(ProjectedOrg.metadata.create_all, tables=[ProjectedOrg.__table__])  # type: ignore[attr-defined]
    yield session_factory(engine)
    await engine.dispose()


async def rows(sessions) -> dict[int, tuple[str, str, int, bool]]:  # type: ignore[no-untyped-def]
    async with sessions() as s:
        found = await s.exec(select(ProjectedOrg))
        return {r.org_id: (r.path, r.name, r.version, r.deleted) for r in found}


async def test_upserts_moves_and_deletes_apply_only_when_newer(sessions) -> None:  # type: ignore[no-untyped-def]
    async def send(handler, event) -> None:  # type: ignore[no-untyped-def]
        async with sessions() as s, s.begin():
            await handler(s, event, NO_ENVELOPE)

    for org_id, path in ((1, "1"), (2, "1.2"), (3, "1.2.3"), (4, "1.2.3.4"), (5, "1.5")):
        await send(PROJECTION.on_upserted, UnionUpserted(org=snapshot(org_id, path, 1)))
    await send(PROJECTION.on_upserted, UnionUpserted(org=snapshot(3, "1.2.3", 1, name="重放")))  # a replay
    assert (await rows(sessions))[3] == ("1.2.3", "某工会", 1, False)

    # 3 moves under 5: its row, and 4 below it, take the new path; 2 stays
    await send(PROJECTION.on_moved, UnionMoved(org=snapshot(3, "1.5.3", 2), old_path="1.2.3", new_path="1.5.3"))
    after = await rows(sessions)
    assert (after[3][0], after[4][0], after[2][0]) == ("1.5.3", "1.5.3.4", "1.2")
    async with sessions() as s:
        moved = await s.get(ProjectedOrg, 3)
        assert moved is not None and (moved.parent_id, moved.union_code, moved.district_id) == (5, "U3", 2)

    # an org never seen is deleted: a tombstone that its older upsert, arriving late, cannot undo
    await send(PROJECTION.on_deleted, UnionDeleted(org_id=9, path="1.9", version=3))
    await send(PROJECTION.on_upserted, UnionUpserted(org=snapshot(9, "1.9", 2)))
    assert (await rows(sessions))[9] == ("1.9", "", 3, True)

    # an older delete does not remove a newer org; a newer one does
    await send(PROJECTION.on_deleted, UnionDeleted(org_id=5, path="1.5", version=1))
    assert (await rows(sessions))[5][3] is False
    await send(PROJECTION.on_deleted, UnionDeleted(org_id=5, path="1.5", version=2))
    assert (await rows(sessions))[5] == ("1.5", "某工会", 2, True)
