"""会员信息: search with the manual's filters, inside the caller's scope; the masked export."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from contracts.members import MemberCategory
from runtime.tokens import Principal

from ..domain.membership import MemberStatus
from ..models import Member, OrgRef
from . import orgs
from .vault import Vault


@dataclass(frozen=True)
class MemberFilter:
    name: str | None = None  # 姓名: prefix
    id_number: str | None = None  # 证件号: exact, through the blind index
    phone: str | None = None  # 手机号: exact, through the blind index
    union_name: str | None = None  # 所在工会: part of the name
    union_code: str | None = None
    org_id: int | None = None
    work_unit: str | None = None  # 单位名称: part of the name
    tag: str | None = None  # 会员标签
    source: str | None = None  # 会员来源
    e_card_activated: bool | None = None  # 是否激活电子会员证
    category: MemberCategory | None = None
    status: str | None = MemberStatus.ACTIVE  # "" or None: every status


def _conditions(caller: Principal, vault: Vault, f: MemberFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    scoped = orgs.scoped_org_ids(caller)
    if scoped is not None:
        conditions.append(col(Member.org_id).in_(scoped))
    if f.name:
        conditions.append(col(Member.name).startswith(f.name.strip(), autoescape=True))
    if f.id_number:
        conditions.append(col(Member.id_number_bi) == vault.id_digest(f.id_number))
    if f.phone:
        conditions.append(col(Member.phone_bi) == vault.phone_digest(f.phone))
    if f.org_id is not None:
        conditions.append(col(Member.org_id) == f.org_id)
    if f.union_name or f.union_code:
        conditions.append(col(Member.org_id).in_(_orgs_named(f.union_name, f.union_code)))
    if f.work_unit:
        conditions.append(col(Member.work_unit).contains(f.work_unit.strip(), autoescape=True))
    if f.tag:
        conditions.append(sa.literal(f.tag) == sa.any_(col(Member.tags)))
    if f.source:
        conditions.append(col(Member.source) == f.source)
    if f.e_card_activated is not None:
        conditions.append(col(Member.e_card_activated) == f.e_card_activated)
    if f.category:
        conditions.append(col(Member.category) == f.category)
    if f.status:
        conditions.append(col(Member.status) == f.status)
    return conditions


def _orgs_named(name: str | None, code: str | None) -> SelectOfScalar[int]:
    stmt = select(OrgRef.org_id)
    if name:
        stmt = stmt.where(col(OrgRef.name).contains(name.strip(), autoescape=True))
    if code:
        stmt = stmt.where(col(OrgRef.union_code) == code.strip())
    return stmt


async def search(
    session: AsyncSession, caller: Principal, vault: Vault, f: MemberFilter, page: int, size: int
) -> tuple[list[tuple[Member, OrgRef | None]], int]:
    conditions = _conditions(caller, vault, f)
    total = (await session.exec(select(func.count()).select_from(Member).where(*conditions))).one()
    rows = await session.exec(
        select(Member, OrgRef)
        .join(OrgRef, col(OrgRef.org_id) == col(Member.org_id), isouter=True)
        .where(*conditions)
        .order_by(col(Member.id).desc())  # time-ordered ids: newest first
        .offset((page - 1) * size)
        .limit(size)
    )
    return list(rows.all()), total


async def stream(
    session: AsyncSession, caller: Principal, vault: Vault, f: MemberFilter, limit: int
) -> AsyncIterator[tuple[Member, OrgRef | None]]:
    """Rows for the export, fetched in batches rather than all at once."""
    result = await session.stream(
        select(Member, OrgRef)
        .join(OrgRef, col(OrgRef.org_id) == col(Member.org_id), isouter=True)
        .where(*_conditions(caller, vault, f))
        .order_by(col(Member.id).desc())
        .limit(limit)
        .execution_options(yield_per=2000)
    )
    async for member, org in result:
        yield member, org
