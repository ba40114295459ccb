"""Payables as the payer, the insurer and the city see them: one, a filtered page, the xlsx export,
the batch's lines and its statistics (下载集中参保统计表) — all inside the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import NotFound
from runtime.money import fen_to_decimal
from runtime.spreadsheet import workbook_bytes
from runtime.tokens import Principal

from ..domain import payables as rules
from ..domain.accounts import AccountCategory
from ..domain.payables import PayableState, PayableStatus
from ..models import Payable, PayableLine, ReceivingAccount
from ..schemas import LineOut, PayableOut, SplitOut, TypeTotalOut
from . import accounts, orgs

EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class PayableFilter:
    programme: str | None = None
    year: int | None = None
    batch_no: str | None = None
    payer_org_id: int | None = None
    status: PayableStatus | None = None
    enrollment_type: str | None = None
    overdue: bool | None = None
    pay_by_from: date | None = None
    pay_by_to: date | None = None


async def visible(session: AsyncSession, caller: Principal, batch_no: str, *, lock: bool = False) -> Payable:
    payable = await session.get(Payable, batch_no, with_for_update=lock)
    if payable is None or not await orgs.covers(session, caller, payable):
        raise NotFound("应缴记录")
    return payable


def status_clause(status: PayableStatus) -> Any:
    awaiting = col(Payable.state) == PayableState.AWAITING
    return {
        PayableStatus.CONFIRMED: col(Payable.state) == PayableState.CONFIRMED,
        PayableStatus.LAPSED: col(Payable.state) == PayableState.LAPSED,
        PayableStatus.UNDER_REVIEW: sa.and_(awaiting, col(Payable.pending_fen) > 0),
        PayableStatus.SHORT: sa.and_(awaiting, col(Payable.pending_fen) == 0, col(Payable.paid_fen) > 0),
        PayableStatus.NO_VOUCHER: sa.and_(awaiting, col(Payable.pending_fen) == 0, col(Payable.paid_fen) == 0),
    }[status]


def where(caller: Principal, f: PayableFilter, today: date) -> list[Any]:
    clauses = orgs.scoped(Payable, caller)
    for column, value in (
        (Payable.programme, f.programme), (Payable.year, f.year), (Payable.batch_no, f.batch_no),
        (Payable.payer_org_id, f.payer_org_id), (Payable.enrollment_type, f.enrollment_type),
    ):  # fmt: skip
        if value is not None:
            clauses.append(col(column) == value)
    if f.status is not None:
        clauses.append(status_clause(f.status))
    if f.overdue is not None:
        late = sa.and_(col(Payable.state) == PayableState.AWAITING, col(Payable.pay_by) < today)
        clauses.append(late if f.overdue else sa.not_(late))
    if f.pay_by_from:
        clauses.append(col(Payable.pay_by) >= f.pay_by_from)
    if f.pay_by_to:
        clauses.append(col(Payable.pay_by) <= f.pay_by_to)
    return clauses


async def search(
    session: AsyncSession, caller: Principal, f: PayableFilter, today: date, page: int, size: int
) -> tuple[list[PayableOut], int]:
    clauses = where(caller, f, today)
    total = (await session.exec(select(func.count()).select_from(Payable).where(*clauses))).one()
    rows = await session.exec(
        select(Payable).where(*clauses).order_by(col(Payable.submitted_at).desc()).offset((page - 1) * size).limit(size)
    )
    found = list(rows)
    known = await _accounts(session)
    return [out(p, today, known) for p in found], int(total)


async def one(session: AsyncSession, caller: Principal, batch_no: str, today: date) -> PayableOut:
    return out(await visible(session, caller, batch_no), today, await _accounts(session))


async def _accounts(session: AsyncSession) -> dict[str, ReceivingAccount]:
    return {a.category: a for a in await session.exec(select(ReceivingAccount))}


def out(p: Payable, today: date, known: dict[str, ReceivingAccount]) -> PayableOut:
    state = PayableState(p.state)
    row = known.get(p.account_category)
    return PayableOut(
        batch_no=p.batch_no, programme=p.programme, programme_name=p.programme_name, year=p.year,
        enrollment_type=p.enrollment_type, payer_org_id=p.payer_org_id, payer_org_name=p.payer_org_name,
        persons=p.persons, persons_member_card=p.persons_member_card, persons_ss_card=p.persons_ss_card,
        guarantee_types=[TypeTotalOut.model_validate(g) for g in p.guarantee_types],
        split=SplitOut(amount_fen=p.amount_fen, city_fen=p.city_fen, district_fen=p.district_fen,
                       grassroots_fen=p.grassroots_fen),
        due_fen=p.amount_fen, withheld_fen=p.withheld_fen, withheld_persons=p.withheld_persons,
        payer_due_fen=rules.payer_due(p.amount_fen, p.withheld_fen), paid_fen=p.paid_fen, pending_fen=p.pending_fen,
        outstanding_fen=rules.outstanding(p.amount_fen, p.paid_fen, p.withheld_fen),
        shortfall_fen=_shortfall(p, state),
        state=state.value, status=rules.status(state, p.paid_fen, p.pending_fen).value,
        overdue=rules.overdue(state, p.pay_by, today), pay_by=p.pay_by, coverage_start=p.coverage_start,
        coverage_end=p.coverage_end, account_category=AccountCategory(p.account_category),
        account=accounts.account_out(row) if row else None, handler_name=p.handler_name,
        handler_phone=p.handler_phone_masked, handler_email=p.handler_email, submitted_at=p.submitted_at,
        complete=rules.complete(p.chunks_received, p.chunks, p.lines_received, p.lines_total),
        lines_received=p.lines_received, lines_total=p.lines_total, roster_frozen=p.roster_frozen,
        frozen_at=p.frozen_at, confirmed_at=p.confirmed_at, lapsed_at=p.lapsed_at, notice_version=p.notice_version,
        notice_url=f"/payables/{p.batch_no}/notice", statistics_url=f"/payables/{p.batch_no}/statistics",
        version=p.version, updated_at=p.updated_at,
    )  # fmt: skip


def _shortfall(p: Payable, state: PayableState) -> int:
    return (
        rules.shortfall(p.amount_fen, p.paid_fen, p.pending_fen, p.withheld_fen)
        if state is PayableState.AWAITING
        else 0
    )


EXPORT_HEADER = [
    "批次编号", "保障项目", "保障年度", "参保类型", "缴费单位", "参保人数", "应缴金额(元)", "市总统一划拨(元)",
    "区局/各级工会缴费(元)", "基层单位缴费(元)", "已代扣(元)", "已缴(元)", "审核中(元)", "差额(元)", "缴费状态",
    "缴费截止日", "是否逾期", "收款帐户类别", "提交时间",
]  # fmt: skip


async def export(session: AsyncSession, caller: Principal, f: PayableFilter, today: date) -> bytes:
    rows = await session.exec(
        select(Payable).where(*where(caller, f, today)).order_by(col(Payable.submitted_at).desc()).limit(EXPORT_LIMIT)
    )
    table = []
    for p in rows:
        state = PayableState(p.state)
        table.append([
            p.batch_no, p.programme_name, p.year, p.enrollment_type, p.payer_org_name, p.persons,
            *_yuan(p.amount_fen, p.city_fen, p.district_fen, p.grassroots_fen, p.withheld_fen, p.paid_fen,
                   p.pending_fen, _shortfall(p, state)),
            rules.status(state, p.paid_fen, p.pending_fen).value, p.pay_by.isoformat(),
            "是" if rules.overdue(state, p.pay_by, today) else "否", p.account_category,
            p.submitted_at.isoformat(timespec="minutes"),
        ])  # fmt: skip
    return workbook_bytes("应缴清单", EXPORT_HEADER, table)


def _yuan(*fen: int) -> list[Decimal]:
    return [fen_to_decimal(int(f)) for f in fen]


async def lines(
    session: AsyncSession, caller: Principal, batch_no: str, page: int, size: int
) -> tuple[list[LineOut], int]:
    await visible(session, caller, batch_no)
    total = (await session.exec(select(func.count()).where(PayableLine.batch_no == batch_no))).one()
    rows = list(
        await session.exec(
            select(PayableLine)
            .where(PayableLine.batch_no == batch_no)
            .order_by(col(PayableLine.org_id), col(PayableLine.member_id))
            .offset((page - 1) * size)
            .limit(size)
        )
    )
    names = await orgs.names(session, {r.org_id for r in rows})
    items = [
        LineOut(member_id=r.member_id, org_id=r.org_id, org_name=names.get(r.org_id, ""), name=r.name,
                id_number=r.id_number_masked, channel=r.channel, guarantee_type=r.guarantee_type,
                premium_fen=r.premium_fen)
        for r in rows
    ]  # fmt: skip
    return items, int(total)


STATISTICS_HEADER = ["批次编号", "单位名称", "单位编号", "保障类型", "参保通道", "参保人数", "保障费用(元)"]


async def statistics(session: AsyncSession, caller: Principal, batch_no: str) -> bytes:
    """下载集中参保统计表: persons and premium per unit, type and channel, then the batch's total."""
    p = await visible(session, caller, batch_no)
    rows = list(
        await session.exec(
            select(  # type: ignore[call-overload]
                PayableLine.org_id,
                PayableLine.guarantee_type,
                PayableLine.channel,
                func.count(),
                func.sum(PayableLine.premium_fen),
            )  # fmt: skip
            .where(PayableLine.batch_no == batch_no)
            .group_by(col(PayableLine.org_id), col(PayableLine.guarantee_type), col(PayableLine.channel))
            .order_by(col(PayableLine.org_id), col(PayableLine.guarantee_type), col(PayableLine.channel))
        )
    )
    names = await orgs.names(session, {r[0] for r in rows})
    type_names = {g["code"]: g["name"] for g in p.guarantee_types}
    table: list[list[Any]] = [
        [batch_no, names.get(org_id, ""), org_id, type_names.get(code, code), channel, int(n), *_yuan(int(fen))]
        for org_id, code, channel, n, fen in rows
    ]
    table.append(["合计", "", "", "", "", p.persons, *_yuan(p.amount_fen)])
    if p.withheld_fen:  # the retiree plan's 代扣行, and what the payer transfers itself
        table.append(["其中：已代扣", "", "", "", "个人代扣", p.withheld_persons, *_yuan(p.withheld_fen)])
        table.append(["需单位缴纳", "", "", "", "", "", *_yuan(rules.payer_due(p.amount_fen, p.withheld_fen))])
    return workbook_bytes("参保统计表", STATISTICS_HEADER, table)
