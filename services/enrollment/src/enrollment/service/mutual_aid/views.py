"""参保批次管理 as the screens read it: a batch with its status and the steps it offers (操作), its last
清册校验, its premium and voucher deadline; the list with its filters, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentType
from runtime.tokens import Principal

from ...domain.mutual_aid.batch import BatchStatus, allowed
from ...domain.mutual_aid.payment import voucher_late
from ...models import MutualAidBatch, Operation, ProgrammeYear
from ...schemas.mutual_aid import BatchOut, CheckOut, OperationOut, PremiumOut
from . import PROGRAMME, batches, rosters


@dataclass(frozen=True)
class BatchFilter:
    year: int | None = None
    enrollment_type: EnrollmentType | None = None
    status: str | None = None
    batch_no: str | None = None
    code: str | None = None
    unit_name: str | None = None


async def one(session: AsyncSession, caller: Principal, no: str, today: date) -> BatchOut:
    return await out(session, await batches.visible(session, caller, no), today)


async def search(
    session: AsyncSession, caller: Principal, f: BatchFilter, page: int, size: int, today: date
) -> tuple[list[BatchOut], int]:
    where = []
    if (scope := batches.readable(caller)) is not None:
        where.append(scope)
    if f.year is not None:
        where.append(col(ProgrammeYear.year) == f.year)
    if f.enrollment_type is not None:
        where.append(col(MutualAidBatch.enrollment_type) == f.enrollment_type.value)
    if f.status:
        where.append(col(MutualAidBatch.status) == f.status)
    if f.batch_no:
        where.append(col(MutualAidBatch.batch_no).startswith(f.batch_no.strip()))
    if f.code:
        where.append(col(MutualAidBatch.code) == f.code.strip())
    if f.unit_name:
        where.append(col(MutualAidBatch.unit_name).contains(f.unit_name.strip()))
    base = (
        select(MutualAidBatch)
        .join(ProgrammeYear, col(ProgrammeYear.id) == col(MutualAidBatch.programme_year_id))
        .where(ProgrammeYear.programme_code == PROGRAMME, *where)
    )
    total = (await session.exec(select(sa.func.count()).select_from(base.subquery()))).one()
    rows = await session.exec(
        base.order_by(col(MutualAidBatch.updated_at).desc(), col(MutualAidBatch.batch_no).desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    return [await out(session, b, today) for b in rows], int(total)


async def out(session: AsyncSession, b: MutualAidBatch, today: date) -> BatchOut:
    year = await session.get(ProgrammeYear, b.programme_year_id)
    assert year is not None
    status = BatchStatus(b.status)
    return BatchOut(
        batch_no=b.batch_no, programme=PROGRAMME, year=year.year, enrollment_type=EnrollmentType(b.enrollment_type),
        code=b.code, unit_name=b.unit_name, org_id=b.org_id, status=status.value,
        actions=[a.value for a in allowed(status)], handler_name=b.handler_name, handler_phone=b.handler_phone_masked,
        handler_email=b.handler_email, persons=await rosters.head_count(session, b.batch_no),
        check=CheckOut.model_validate(b.check_summary) if b.check_summary else None,
        roster_submitted_at=b.roster_submitted_at, cover_start=b.cover_start, cover_end=b.cover_end,
        half_year=b.half_year, items=b.items, premium=PremiumOut.model_validate(b.premium) if b.premium else None,
        amount_fen=b.amount_fen, premium_confirmed_at=b.premium_confirmed_at, voucher_due=b.voucher_due,
        voucher_late=status is BatchStatus.VOUCHER_PENDING and b.voucher_due is not None
        and voucher_late(b.voucher_due, today),
        payable_no=b.payable_no, voucher_no=b.voucher_no, voucher_submitted_at=b.voucher_submitted_at,
        paid_amount_fen=b.paid_amount_fen, completed_at=b.completed_at, created_by=b.created_by,
        created_at=b.created_at, updated_at=b.updated_at, version=b.version,
    )  # fmt: skip


def operation_out(o: Operation) -> OperationOut:
    assert o.id is not None
    return OperationOut(
        id=o.id, batch_no=o.batch_no, action=o.action, label=o.label, from_status=o.from_status,
        to_status=o.to_status, reason=o.reason, detail=o.detail, actor_id=o.actor_id, actor_tier=o.actor_tier, at=o.at,
    )  # fmt: skip
