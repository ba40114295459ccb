"""对账: per programme-year and payer — due, received, withheld from pensions (the retiree plan's 代扣行),
paid, under review, refunds due and paid back, outstanding, overdue batches; and the city federation's
view of the split. Lapsed batches owe nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.money import fen_to_decimal
from runtime.spreadsheet import workbook_bytes
from runtime.tokens import Principal

from ..domain.payables import PayableState
from ..domain.refunds import RefundState
from ..domain.vouchers import VoucherState
from ..models import Payable, Refund, Voucher
from ..schemas import BalanceOut, BalanceRow, SplitRow, SplitViewOut
from . import orgs

Payer = tuple[int, str | None]  # (payer_org_id, payer_account when payer_org_id is NO_UNION)
TOTAL = "合计"
NO_UNION = 0  # enrollment's payer_org_id for a unit without a union


def _payer(table: Any) -> tuple[Any, Any]:
    """Who a row's payer is: its union — or, for a unit without a union (all under payer_org_id 0), its
    account, so that two enterprises are two rows."""
    # a literal, not a parameter: GROUP BY must repeat the selected expression exactly
    no_union = sa.literal_column(str(NO_UNION), sa.Integer)
    return col(table.payer_org_id), sa.case((col(table.payer_org_id) == no_union, col(table.payer_account)))


def _open(caller: Principal, programme: str, year: int) -> list[Any]:
    return [
        *orgs.scoped(Payable, caller),
        col(Payable.programme) == programme,
        col(Payable.year) == year,
        col(Payable.state) != PayableState.LAPSED,
    ]


async def balance(session: AsyncSession, caller: Principal, programme: str, year: int, today: date) -> BalanceOut:
    rows = await _due(session, caller, programme, year, today)
    received = await _sums(session, Voucher, caller, programme, year, col(Voucher.state) == VoucherState.APPROVED)
    refunds = await _refunds(session, caller, programme, year)
    items = [
        BalanceRow(
            payer_org_id=payer,
            payer_account=account,
            payer_org_name=name,
            batches=int(n),
            persons=int(persons),
            due_fen=int(due),
            received_fen=received.get((payer, account), 0),
            withheld_fen=int(withheld),
            paid_fen=int(paid),
            pending_fen=int(pending),
            refund_due_fen=refunds[payer, account][RefundState.PENDING],
            refunded_fen=refunds[payer, account][RefundState.ISSUED],
            outstanding_fen=int(due) - int(withheld) - int(paid),
            overdue_batches=int(overdue),
        )
        for payer, account, name, n, persons, due, withheld, paid, pending, overdue in rows
    ]
    items.sort(key=lambda r: r.payer_org_name)
    return BalanceOut(programme=programme, year=year, items=items, totals=_total(BalanceRow, items))


async def _due(session: AsyncSession, caller: Principal, programme: str, year: int, today: date) -> list[Any]:
    late = sa.case((sa.and_(col(Payable.state) == PayableState.AWAITING, col(Payable.pay_by) < today), 1), else_=0)
    rows = await session.exec(
        select(  # type: ignore[call-overload]
            *_payer(Payable),
            func.max(Payable.payer_org_name),
            func.count(),
            func.sum(Payable.persons),
            func.sum(Payable.amount_fen),
            func.sum(Payable.withheld_fen),
            func.sum(Payable.paid_fen),
            func.sum(Payable.pending_fen),
            func.sum(late),
        )  # fmt: skip
        .where(*_open(caller, programme, year))
        .group_by(*_payer(Payable))
    )
    return list(rows)


async def _sums(
    session: AsyncSession, table: Any, caller: Principal, programme: str, year: int, *extra: Any
) -> dict[Payer, int]:
    rows = await session.exec(
        select(*_payer(table), func.sum(table.amount_fen))
        .where(*orgs.scoped(table, caller), table.programme == programme, table.year == year, *extra)
        .group_by(*_payer(table))
    )
    return {(payer, account): int(fen) for payer, account, fen in rows}


async def _refunds(session: AsyncSession, caller: Principal, programme: str, year: int) -> dict[Payer, dict[str, int]]:
    out: dict[Payer, dict[str, int]] = defaultdict(lambda: {RefundState.PENDING: 0, RefundState.ISSUED: 0})
    for state in RefundState:
        for payer, fen in (
            await _sums(session, Refund, caller, programme, year, col(Refund.state) == state)
        ).items():  # fmt: skip
            out[payer][state] = fen
    return out


def _total(cls: Any, items: list[Any]) -> Any:
    fields = [name for name in cls.model_fields if name not in ("payer_org_id", "payer_account", "payer_org_name")]
    return cls(payer_org_id=0, payer_org_name=TOTAL, **{f: sum(getattr(i, f) for i in items) for f in fields})


async def split(session: AsyncSession, caller: Principal, programme: str, year: int) -> SplitViewOut:
    """What the city allocates (市总统一划拨) and what districts and grassroots units pay, per payer."""
    rows = await session.exec(
        select(  # type: ignore[call-overload]
            *_payer(Payable),
            func.max(Payable.payer_org_name),
            func.count(),
            func.sum(Payable.persons),
            func.sum(Payable.amount_fen),
            func.sum(Payable.city_fen),
            func.sum(Payable.district_fen),
            func.sum(Payable.grassroots_fen),
        )  # fmt: skip
        .where(*_open(caller, programme, year))
        .group_by(*_payer(Payable))
    )
    items = [
        SplitRow(payer_org_id=payer, payer_account=account, payer_org_name=name, batches=int(n), persons=int(persons),
                 amount_fen=int(amount), city_fen=int(city), district_fen=int(district),
                 grassroots_fen=int(grassroots))
        for payer, account, name, n, persons, amount, city, district, grassroots in rows
    ]  # fmt: skip
    items.sort(key=lambda r: r.payer_org_name)
    return SplitViewOut(programme=programme, year=year, items=items, totals=_total(SplitRow, items))


BALANCE_HEADER = [
    "缴费单位", "批次数", "参保人数", "应缴(元)", "已到账(元)", "已代扣(元)", "已抵缴(元)", "审核中(元)", "待退款(元)",
    "已退款(元)", "未缴(元)", "逾期批次",
]  # fmt: skip
SPLIT_HEADER = [
    "缴费单位",
    "批次数",
    "参保人数",
    "保障费用(元)",
    "市总统一划拨(元)",
    "区局/各级工会缴费(元)",
    "基层单位缴费(元)",
]


def balance_xlsx(view: BalanceOut) -> bytes:
    table = [
        [r.payer_org_name, r.batches, r.persons, *(fen_to_decimal(f) for f in (
            r.due_fen, r.received_fen, r.withheld_fen, r.paid_fen, r.pending_fen, r.refund_due_fen, r.refunded_fen,
            r.outstanding_fen,
        )), r.overdue_batches]
        for r in [*view.items, view.totals]
    ]  # fmt: skip
    return workbook_bytes(f"对账-{view.year}", BALANCE_HEADER, table)


def split_xlsx(view: SplitViewOut) -> bytes:
    table = [
        [r.payer_org_name, r.batches, r.persons,
         *(fen_to_decimal(f) for f in (r.amount_fen, r.city_fen, r.district_fen, r.grassroots_fen))]
        for r in [*view.items, view.totals]
    ]  # fmt: skip
    return workbook_bytes(f"分摊-{view.year}", SPLIT_HEADER, table)
