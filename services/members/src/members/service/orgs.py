"""The org projection from org.v1 (version-guarded) and what the use cases ask of it: scope, union
codes, the 临时工会 of a district."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from contracts.org import OrgKind
from runtime.errors import InvalidInput, NotFound
from runtime.org_projection import OrgProjection
from runtime.tokens import Principal

from ..domain.rows import OrgPlace
from ..models import OrgRef

# --- consuming org.v1 -------------------------------------------------------------------------------

PROJECTION = OrgProjection(OrgRef, fields=("union_code", "district_id"), blank={"union_code": ""})
on_upserted, on_moved, on_deleted = PROJECTION.on_upserted, PROJECTION.on_moved, PROJECTION.on_deleted


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
