"""参保批次管理 (the district's batches, the insurer's and the city's view of all), statistics download,
and a member's coverage history — all inside the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import Channel, EnrollmentType
from runtime.errors import NotFound
from runtime.money import fen_to_decimal
from runtime.spreadsheet import workbook_bytes
from runtime.tokens import Principal

from ..models import Batch, Enrollment, GuaranteeType, MemberRef, OrgRef, Programme, ProgrammeYear, Submission
from ..schemas import AmountsOut, BatchOut, CoverageOut, TypeCount
from . import orgs

STATISTICS_HEADER = [
    "批次编号", "单位名称", "工会编号", "上级工会", "保障类型", "参保通道", "参保类型", "参保人数", "保障费用(元)",
    "市总统一划拨(元)", "区局/各级工会缴费(元)", "基层单位缴费(元)",
]  # fmt: skip


@dataclass(frozen=True)
class BatchFilter:
    programme: str | None = None
    year: int | None = None
    batch_no: str | None = None
    state: str | None = None
    enrollment_type: EnrollmentType | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None


async def visible(session: AsyncSession, caller: Principal, batch_no: str) -> Batch:
    batch = await session.get(Batch, batch_no)
    payer = await session.get(OrgRef, batch.payer_org_id) if batch else None
    if batch is None or payer is None or not caller.covers(payer.path):
        raise NotFound("参保批次")
    return batch


async def search(
    session: AsyncSession, caller: Principal, f: BatchFilter, page: int, size: int
) -> tuple[list[BatchOut], int]:
    where: list = []  # type: ignore[type-arg]
    if caller.scope_prefix is not None:
        where.append(col(Batch.payer_org_id).in_(orgs.scoped_org_ids(caller)))
    for column, value in (
        (ProgrammeYear.programme_code, f.programme), (ProgrammeYear.year, f.year), (Batch.batch_no, f.batch_no),
        (Batch.state, f.state), (Batch.enrollment_type, f.enrollment_type),
    ):  # fmt: skip
        if value is not None:
            where.append(column == value)
    if f.submitted_from:
        where.append(col(Batch.submitted_at) >= f.submitted_from)
    if f.submitted_to:
        where.append(col(Batch.submitted_at) < f.submitted_to)
    base = select(Batch).join(ProgrammeYear, col(ProgrammeYear.id) == col(Batch.programme_year_id)).where(*where)
    total = (await session.exec(select(func.count()).select_from(base.subquery()))).one()
    rows = await session.exec(base.order_by(col(Batch.submitted_at).desc()).offset((page - 1) * size).limit(size))
    return [await out(session, b) for b in rows], int(total)


async def out(session: AsyncSession, b: Batch) -> BatchOut:
    year = await session.get(ProgrammeYear, b.programme_year_id)
    payer = await session.get(OrgRef, b.payer_org_id)
    assert year is not None
    return BatchOut(
        batch_no=b.batch_no, programme=year.programme_code, year=year.year, payer_org_id=b.payer_org_id,
        payer_org_name=payer.name if payer else "", enrollment_type=EnrollmentType(b.enrollment_type),
        persons=b.persons, persons_member_card=b.persons_member_card, persons_ss_card=b.persons_ss_card,
        amounts=AmountsOut(amount_fen=b.amount_fen, city_fen=b.city_fen, district_fen=b.district_fen,
                           grassroots_fen=b.grassroots_fen),
        by_type=await _by_type(session, b.batch_no), pay_by=b.pay_by, coverage_start=b.coverage_start,
        coverage_end=b.coverage_end, handler_name=b.handler_name, handler_phone=b.handler_phone_masked,
        handler_email=b.handler_email, state=b.state, submitted_by=b.submitted_by, submitted_at=b.submitted_at,
        paid_amount_fen=b.paid_amount_fen, confirmed_at=b.confirmed_at, lapsed_at=b.lapsed_at,
        roster_frozen=b.roster_frozen, frozen_at=b.frozen_at, voucher_no=b.voucher_no,
        voucher_submitted_at=b.voucher_submitted_at, updated_at=b.updated_at,
        notice_url=f"/batches/{b.batch_no}/notice",
    )  # fmt: skip


async def _by_type(session: AsyncSession, no: str) -> list[TypeCount]:
    rows = await session.exec(
        select(GuaranteeType.code, GuaranteeType.name, func.count(), func.sum(Enrollment.premium_fen))
        .join(Enrollment, col(Enrollment.guarantee_type_id) == col(GuaranteeType.id))
        .where(Enrollment.batch_no == no)
        .group_by(col(GuaranteeType.code), col(GuaranteeType.name))
        .order_by(col(GuaranteeType.code))
    )
    return [TypeCount(code=c, name=n, persons=int(p), amount_fen=int(a)) for c, n, p, a in rows]


async def statistics(session: AsyncSession, caller: Principal, batch_no: str) -> bytes:
    """下载集中参保统计表: one row per unit, type and channel, then the batch's total."""
    batch = await visible(session, caller, batch_no)
    rows = await session.exec(
        select(Submission, OrgRef, GuaranteeType)
        .join(OrgRef, col(OrgRef.org_id) == col(Submission.org_id))
        .join(GuaranteeType, col(GuaranteeType.id) == col(Submission.guarantee_type_id))
        .where(Submission.batch_no == batch_no)
        .order_by(col(OrgRef.union_code), col(Submission.id))
    )
    found = list(rows)
    parents = await orgs.names(session, {o.parent_id for _, o, _ in found if o.parent_id is not None})
    table = [
        [batch_no, o.name, o.union_code, parents[o.parent_id].name if o.parent_id in parents else "", t.name,
         Channel(s.channel).value, s.enrollment_type, s.persons, *_yuan(s.amount_fen, s.city_fen, s.district_fen,
                                                                           s.grassroots_fen)]
        for s, o, t in found
    ]  # fmt: skip
    table.append(["合计", "", "", "", "", "", "", batch.persons,
                  *_yuan(batch.amount_fen, batch.city_fen, batch.district_fen, batch.grassroots_fen)])  # fmt: skip
    return workbook_bytes("集中参保统计表", STATISTICS_HEADER, table)


def _yuan(*fen: int) -> list[Decimal]:
    return [fen_to_decimal(f) for f in fen]


async def coverage(session: AsyncSession, caller: Principal, member_id: str) -> list[CoverageOut]:
    member = await session.get(MemberRef, member_id)
    org = await session.get(OrgRef, member.org_id) if member else None
    if member is None or org is None or not caller.covers(org.path):
        raise NotFound("会员")
    rows = await session.exec(
        select(Enrollment, Submission, GuaranteeType, ProgrammeYear, Programme)  # type: ignore[call-overload]
        .join(Submission, col(Submission.id) == col(Enrollment.submission_id))
        .join(GuaranteeType, col(GuaranteeType.id) == col(Enrollment.guarantee_type_id))
        .join(ProgrammeYear, col(ProgrammeYear.id) == col(Enrollment.programme_year_id))
        .join(Programme, col(Programme.code) == col(ProgrammeYear.programme_code))
        .where(Enrollment.member_id == member_id)
        .order_by(col(ProgrammeYear.year).desc(), col(Submission.submitted_at).desc())
    )
    return [
        CoverageOut(
            programme=p.code,
            programme_name=p.name,
            year=y.year,
            enrollment_type=EnrollmentType(s.enrollment_type),
            channel=Channel(e.channel),
            type_code=t.code,
            type_name=t.name,
            premium_fen=e.premium_fen,
            org_id=e.org_id,
            state=e.state,
            cover_start=e.cover_start,
            cover_end=e.cover_end,
            batch_no=e.batch_no,
            submitted_at=s.submitted_at,
            updated_at=e.updated_at,
        )  # fmt: skip
        for e, s, t, y, p in rows
    ]
