"""会员转移's target picker: every district/bureau (区/产业局) of the city, then the unions under one.

A member may move to any union of the city, while /api/orgs shows only the caller's subtree. This
directory is read from the gateway's own org tree (org.v1) and gives ids, names and kinds only —
no contacts, codes or covered enterprises — so it opens nothing else of another district.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.org import OrgKind
from runtime.errors import NotFound

from ..models import OrgNode


class TransferTarget(SQLModel):
    id: int
    name: str
    kind: str = ""


async def districts(session: AsyncSession, name: str | None, page: int, size: int) -> tuple[list[TransferTarget], int]:
    """The city's districts and industry bureaus, in the order they were created."""
    return await _page(session, [col(OrgNode.kind) == OrgKind.DISTRICT.value, *_named(name)], page, size)


async def unions_of(
    session: AsyncSession, district_id: int, name: str | None, page: int, size: int
) -> tuple[list[TransferTarget], int]:
    """The unions under a district, its 临时工会 first (where departed members go by default)."""
    district = await session.get(OrgNode, district_id)
    if district is None or district.deleted or district.kind != OrgKind.DISTRICT.value:
        raise NotFound("区/产业局")
    below = col(OrgNode.path).startswith(district.path + ".", autoescape=True)
    temporary_first = sa.case((col(OrgNode.kind) == OrgKind.TEMPORARY.value, 0), else_=1)
    return await _page(session, [below, *_named(name)], page, size, first=temporary_first)


def _named(name: str | None) -> list[Any]:
    text = (name or "").strip()
    return [col(OrgNode.name).contains(text, autoescape=True)] if text else []


async def _page(
    session: AsyncSession, where: list[Any], page: int, size: int, first: Any = None
) -> tuple[list[TransferTarget], int]:
    live = [col(OrgNode.deleted).is_(False), *where]
    total = (await session.exec(select(func.count()).select_from(OrgNode).where(*live))).one()
    order = [first, col(OrgNode.org_id)] if first is not None else [col(OrgNode.org_id)]
    rows = await session.exec(select(OrgNode).where(*live).order_by(*order).offset((page - 1) * size).limit(size))
    return [TransferTarget(id=o.org_id, name=o.name, kind=o.kind) for o in rows], total
