"""The org projection from org.v1 (version-guarded) and what the use cases ask of it: scope, union
codes, the 临时工会 of a district."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from contracts.envelope import Envelope
from contracts.org import OrgKind, OrgSnapshot, UnionDeleted, UnionMoved, UnionUpserted
from runtime.errors import InvalidInput, NotFound
from runtime.tokens import Principal

from ..domain.rows import OrgPlace
from ..models import OrgRef

# --- consuming org.v1 -------------------------------------------------------------------------------


async def on_upserted(session: AsyncSession, event: UnionUpserted, _: Envelope) -> None:
    await _apply(session, event.org)


async def on_moved(session: AsyncSession, event: UnionMoved, _: Envelope) -> None:
    if await _apply(session, event.org):
        await _rewrite_subtree(session, event.old_path, event.new_path)


async def on_deleted(session: AsyncSession, event: UnionDeleted, _: Envelope) -> None:
    row = await session.get(OrgRef, event.org_id, with_for_update=True)
    if row is None:  # a tombstone, so that an older upsert still on its way cannot bring it back
        session.add(
            OrgRef(org_id=event.org_id, path=event.path, name="", kind="", union_code="", deleted=True, version=0)
        )
        row = await session.get(OrgRef, event.org_id)
    assert row is not None
    if row.version < event.version:
        row.deleted, row.version = True, event.version
        session.add(row)


async def _apply(session: AsyncSession, org: OrgSnapshot) -> bool:
    """Upsert when newer; False for a replay or older news."""
    row = await session.get(OrgRef, org.org_id, with_for_update=True)
    if row is not None and row.version >= org.version:
        return False
    row = row or OrgRef(org_id=org.org_id, version=0, path="", name="", kind="", union_code="")
    row.parent_id, row.path, row.name, row.kind = org.parent_id, org.path, org.name, org.kind.value
    row.union_code, row.district_id, row.version = org.union_code, org.district_id, org.version
    session.add(row)
    await session.flush()
    return True


async def _rewrite_subtree(session: AsyncSession, old_path: str, new_path: str) -> None:
    """Descendants still on the old path move with it. Their versions stay: org announces each of
    them with a newer version, which still applies (and an already-applied one no longer matches)."""
    await session.exec(
        sa.update(OrgRef)
        .where(col(OrgRef.path).startswith(old_path + "."))
        .values(path=sa.func.concat(new_path, sa.func.substr(OrgRef.path, len(old_path) + 1)))
    )


# --- what use cases ask ---------------------------------------------------------------------------


def in_subtree(path: str) -> sa.ColumnElement[bool]:
    return or_(col(OrgRef.path) == path, col(OrgRef.path).startswith(path + "."))


def scoped_org_ids(caller: Principal) -> SelectOfScalar[int] | None:
    """A subquery of the org ids the caller may see, or None for city-wide callers."""
    prefix = caller.scope_prefix
    if prefix is None:
        return None
    return select(OrgRef.org_id).where(in_subtree(prefix))


async def get_ref(session: AsyncSession, org_id: int) -> OrgRef | None:
    row = await session.get(OrgRef, org_id)
    return None if row is None or row.deleted else row


async def get_visible(session: AsyncSession, caller: Principal, org_id: int) -> OrgRef:
    row = await get_ref(session, org_id)
    if row is None or not caller.covers(row.path):
        raise NotFound("工会组织")
    return row


async def places_by_code(session: AsyncSession, caller: Principal, codes: Iterable[str]) -> dict[str, OrgPlace]:
    rows = await session.exec(
        select(OrgRef).where(col(OrgRef.union_code).in_(set(codes)), col(OrgRef.deleted).is_(False))
    )
    return {r.union_code: OrgPlace(r.org_id, r.name, r.path, caller.covers(r.path)) for r in rows}


async def names(session: AsyncSession, org_ids: Iterable[int]) -> dict[int, OrgRef]:
    rows = await session.exec(select(OrgRef).where(col(OrgRef.org_id).in_(set(org_ids))))
    return {r.org_id: r for r in rows}


async def temporary_union(session: AsyncSession, district_id: int | None) -> OrgRef:
    """The 临时工会 of a district/bureau, where departed members go by default."""
    row = (
        await session.exec(
            select(OrgRef).where(
                OrgRef.kind == OrgKind.TEMPORARY.value,
                OrgRef.district_id == district_id,
                col(OrgRef.deleted).is_(False),
            )
        )
    ).first()
    if row is None:
        raise InvalidInput("transfer.no_temporary_union", "该区/产业局没有临时工会，请选择转入的工会组织")
    return row
