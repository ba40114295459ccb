"""Covered enterprises of a union (覆盖企业) and units without a union (未建会单位, 企业注册)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.org import EnterpriseRegistered, EnterpriseSnapshot
from runtime import outbox
from runtime.clock import Clock
from runtime.errors import DomainError, NotFound
from runtime.tokens import Principal

from ..domain import rules
from ..models import CoveredEnterprise, CoveredEnterpriseCreate, Enterprise, EnterpriseCreate
from . import SOURCE, rollup
from .orgs import get_in_scope


async def list_covered(session: AsyncSession, caller: Principal, org_id: int) -> list[CoveredEnterprise]:
    await get_in_scope(session, caller, org_id)
    rows = await session.exec(
        select(CoveredEnterprise).where(CoveredEnterprise.org_id == org_id).order_by(col(CoveredEnterprise.id))
    )
    return list(rows)


async def add_covered(
    session: AsyncSession, caller: Principal, org_id: int, data: CoveredEnterpriseCreate
) -> CoveredEnterprise:
    uscc = rules.check_uscc(data.uscc)
    async with session.begin():
        org = await get_in_scope(session, caller, org_id, lock=True)
        exists = (
            await session.exec(
                select(CoveredEnterprise.id).where(CoveredEnterprise.org_id == org_id, CoveredEnterprise.uscc == uscc)
            )
        ).first()
        if exists:
            raise DomainError("org.enterprise_already_covered", f"统一社会信用代码为 {uscc} 的企业已在覆盖企业中")
        row = CoveredEnterprise(org_id=org_id, name=data.name, uscc=uscc or "", address=data.address)
        session.add(row)
        await rollup.add(session, org.path, {"covered_enterprises": 1})
        await session.flush()
    return row


async def remove_covered(session: AsyncSession, caller: Principal, org_id: int, enterprise_id: int) -> None:
    async with session.begin():
        org = await get_in_scope(session, caller, org_id, lock=True)
        row = await session.get(CoveredEnterprise, enterprise_id)
        if row is None or row.org_id != org_id:
            raise NotFound("覆盖企业")
        await session.delete(row)
        await rollup.add(session, org.path, {"covered_enterprises": -1})


async def register(session: AsyncSession, data: EnterpriseCreate, clock: Clock) -> Enterprise:
    """企业注册: a unit without a union; the gateway creates its pending account around this call."""
    uscc = rules.check_uscc(data.uscc)
    phone = rules.check_phone(data.phone)
    async with session.begin():
        taken = (await session.exec(select(Enterprise).where(Enterprise.uscc == uscc))).first()
        if taken:
            raise DomainError(
                "enterprise.already_registered", f"统一社会信用代码 {uscc} 已注册（{taken.name}），请勿重复注册"
            )
        row = Enterprise(
            **data.model_dump(exclude={"uscc", "phone"}), uscc=uscc, phone=phone, registered_on=clock.today()
        )
        session.add(row)
        await session.flush()
        assert row.id is not None
        outbox.record(
            session,
            SOURCE,
            EnterpriseRegistered(
                enterprise=EnterpriseSnapshot(
                    enterprise_id=row.id,
                    name=row.name,
                    uscc=row.uscc,
                    district_id=row.district_id,
                    contact=row.contact,
                    registered_on=row.registered_on,
                    version=row.version,
                )
            ),
        )
    return row


async def search_enterprises(
    session: AsyncSession, name: str | None, uscc: str | None, district_id: int | None, page: int, size: int
) -> tuple[list[Enterprise], int]:
    conditions = []
    if name:
        conditions.append(col(Enterprise.name).contains(name))
    if uscc:
        conditions.append(Enterprise.uscc == uscc.strip().upper())
    if district_id is not None:
        conditions.append(Enterprise.district_id == district_id)
    total = (await session.exec(select(func.count()).select_from(Enterprise).where(*conditions))).one()
    rows = await session.exec(
        select(Enterprise)
        .where(*conditions)
        .order_by(sa.desc(col(Enterprise.id)))
        .offset((page - 1) * size)
        .limit(size)
    )
    return list(rows), total
