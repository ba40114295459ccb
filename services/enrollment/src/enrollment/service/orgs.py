"""The org projection from org.v1 (version-guarded, as members keeps it) and what use cases ask of it:
scope, the caller's own org, a union's district."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.org import OrgKind, OrgSnapshot, UnionDeleted, UnionMoved, UnionUpserted
from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.tokens import Principal

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
        await session.flush()
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
    row.union_code, row.uscc, row.district_id, row.version = org.union_code, org.uscc, org.district_id, org.version
    session.add(row)
    await session.flush()
    return True


async def _rewrite_subtree(session: AsyncSession, old_path: str, new_path: str) -> None:
    """Descendants still on the old path move with it (org re-announces each with a newer version)."""
    await session.exec(
        sa.update(OrgRef)
        .where(col(OrgRef.path).startswith(old_path + "."))
        .values(path=sa.func.concat(new_path, sa.func.substr(OrgRef.path, len(old_path) + 1)))
    )


# --- what use cases ask ---------------------------------------------------------------------------


def in_subtree(path: str):  # type: ignore[no-untyped-def]
    return or_(col(OrgRef.path) == path, col(OrgRef.path).startswith(path + "."))


def scoped_org_ids(caller: Principal):  # type: ignore[no-untyped-def]
    """A subquery of the org ids the caller may see, or None for city-wide callers."""
    prefix = caller.scope_prefix
    if prefix is None:
        return None
    return select(OrgRef.org_id).where(in_subtree(prefix))


async def get_ref(session: AsyncSession, org_id: int) -> OrgRef | None:
    row = await session.get(OrgRef, org_id)
    return None if row is None or row.deleted else row


async def get_visible(session: AsyncSession, caller: Principal, org_id: int, *, lock: bool = False) -> OrgRef:
    row = await session.get(OrgRef, org_id, with_for_update=lock)
    if row is None or row.deleted or not caller.covers(row.path):
        raise NotFound("工会组织")
    return row


async def acting_org(session: AsyncSession, caller: Principal, org_id: int | None, *, lock: bool = False) -> OrgRef:
    """The union a request acts on: the given one (inside the caller's scope) or the caller's own."""
    target = org_id if org_id is not None else caller.org_id
    if target is None:
        raise InvalidInput("org.required", "请指定工会组织")
    return await get_visible(session, caller, target, lock=lock)


def district_of(org: OrgRef) -> int | None:
    """The 区局（产业）工会 a union belongs to (itself for a district union)."""
    return org.org_id if org.kind == OrgKind.DISTRICT.value else org.district_id


async def caller_district(session: AsyncSession, caller: Principal) -> OrgRef:
    """The district union the caller acts for (保障金额设置, 提交至职保中心)."""
    org = await acting_org(session, caller, None)
    if org.kind != OrgKind.DISTRICT.value:
        raise DomainError("org.not_district", "只有区局（产业）工会可以办理此项")
    return org


async def names(session: AsyncSession, org_ids: Iterable[int]) -> dict[int, OrgRef]:
    ids = set(org_ids)
    if not ids:
        return {}
    rows = await session.exec(select(OrgRef).where(col(OrgRef.org_id).in_(ids)))
    return {r.org_id: r for r in rows}
