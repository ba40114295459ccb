"""The org projection from org.v1 (version-guarded, as the members service keeps it) and the scope
questions every use case asks of it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.org import OrgKind
from runtime.errors import NotFound
from runtime.org_projection import OrgProjection
from runtime.tokens import Principal

from ..models import OrgRef

# --- consuming org.v1 -------------------------------------------------------------------------------

PROJECTION = OrgProjection(OrgRef, fields=("union_code", "district_id"), blank={"union_code": ""})
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


def scope_condition(column, caller: Principal):  # type: ignore[no-untyped-def]
    """`column` (an org id) inside the caller's scope; None when the caller sees everything. Rows
    without an org (the platform's personal queue) are only city-wide callers' business."""
    scoped = scoped_org_ids(caller)
    return None if scoped is None else col(column).in_(scoped)


async def subtree_ids(session: AsyncSession, caller: Principal, org_id: int):  # type: ignore[no-untyped-def]
    """The ids of one visible org's subtree, as a subquery (the lists' org filter)."""
    org = await get_visible(session, caller, org_id)
    return select(OrgRef.org_id).where(in_subtree(org.path))


async def get_visible(session: AsyncSession, caller: Principal, org_id: int) -> OrgRef:
    row = await session.get(OrgRef, org_id)
    if row is None or row.deleted or not caller.covers(row.path):
        raise NotFound("工会组织")
    return row


async def covers(session: AsyncSession, caller: Principal, org_id: int | None) -> bool:
    """Whether a row of `org_id` is in the caller's scope (None: the personal queue)."""
    if caller.scope_prefix is None:
        return True
    if org_id is None:
        return False
    row = await session.get(OrgRef, org_id)
    return row is not None and caller.covers(row.path)


async def names(session: AsyncSession, org_ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {o for o in org_ids if o is not None}
    if not wanted:
        return {}
    rows = await session.exec(select(OrgRef.org_id, OrgRef.name).where(col(OrgRef.org_id).in_(wanted)))
    return dict(rows.all())


async def platform_org_id(session: AsyncSession) -> int:
    """The city federation's org: where the personal queue's batches belong (0 before org.v1 told us)."""
    row = (
        await session.exec(
            select(OrgRef.org_id).where(OrgRef.kind == OrgKind.CITY.value, col(OrgRef.deleted).is_(False))
        )
    ).first()
    return row or 0


async def visible_orgs(session: AsyncSession, caller: Principal, org_ids: Iterable[int | None]) -> set[int | None]:
    """Which of these orgs the caller may see, in one query (None: the personal queue)."""
    wanted = set(org_ids)
    if caller.scope_prefix is None:
        return wanted
    known = [o for o in wanted if o is not None]
    rows = await session.exec(select(OrgRef.org_id, OrgRef.path).where(col(OrgRef.org_id).in_(known)))
    return {org_id for org_id, path in rows.all() if caller.covers(path)}
