"""职保会审核 of rosters submitted with attachments: the insurer's queue (职保会待审核, oldest first), then
审核通过 (the unit goes on to 保障项目选择) or 审核不通过 with the reason in the operation log — the roster is
editable again and its people free until it is submitted anew."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.tokens import Principal

from ...domain.mutual_aid.batch import BatchAction, BatchStatus
from ...models import MutualAidBatch
from . import batches
from .batches import Actor


async def queue(session: AsyncSession, page: int, size: int) -> tuple[list[MutualAidBatch], int]:
    where = col(MutualAidBatch.status) == BatchStatus.INSURER_REVIEW
    total = (await session.exec(select(sa.func.count()).select_from(MutualAidBatch).where(where))).one()
    rows = await session.exec(
        select(MutualAidBatch)
        .where(where)
        .order_by(col(MutualAidBatch.roster_submitted_at), col(MutualAidBatch.batch_no))
        .offset((page - 1) * size)
        .limit(size)
    )
    return list(rows), int(total)


async def approve(session: AsyncSession, caller: Principal, no: str) -> None:
    async with session.begin():
        batch = await batches.locked(session, no)
        batches.step(session, batch, BatchAction.APPROVE, Actor.of(caller))


async def reject(session: AsyncSession, caller: Principal, no: str, reason: str) -> None:
    async with session.begin():
        batch = await batches.locked(session, no)
        batches.step(session, batch, BatchAction.REJECT, Actor.of(caller), reason=reason)
        await batches.release(session, batch)
