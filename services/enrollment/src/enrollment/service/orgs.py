"""The org projection from org.v1 (version-guarded, as members keeps it) and what use cases ask of it:
scope, the caller's own org, a union's district."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.org import OrgKind
from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.org_projection import OrgProjection
from runtime.tokens import Principal

from ..models import OrgRef

# --- consuming org.v1 -------------------------------------------------------------------------------

PROJECTION = OrgProjection(OrgRef, fields=("union_code", "uscc", "district_id"), blank={"union_code": ""})
on_upserted, on_moved, on_deleted = PROJECTION.on_upserted, PROJECTION.on_moved, PROJECTION.on_deleted


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
