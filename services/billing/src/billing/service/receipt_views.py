"""Receipts as lists (payer and insurer), the export, one batch's receipts, a receipt's PDF — scoped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import NotFound
from runtime.money import fen_to_decimal
from runtime.spreadsheet import workbook_bytes
from runtime.tokens import Principal

from ..models import Document, Payable, Receipt
from ..schemas import ReceiptOut, ReceiptsOut
from . import documents, orgs, payable_views, receipts

EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class ReceiptFilter:
    state: str | None = None
    batch_no: str | None = None
    payer_org_id: int | None = None
    programme: str | None = None
    year: int | None = None
    title: str | None = None


async def of_batch(session: AsyncSession, caller: Principal, batch_no: str) -> ReceiptsOut:
    return await receipts.listing(session, await payable_views.visible(session, caller, batch_no))


def where(caller: Principal, f: ReceiptFilter) -> list[Any]:
    clauses = orgs.scoped(Receipt, caller)
    for column, value in (
        (Receipt.state, f.state), (Receipt.batch_no, f.batch_no), (Receipt.payer_org_id, f.payer_org_id),
        (Payable.programme, f.programme), (Payable.year, f.year),
    ):  # fmt: skip
        if value is not None:
            clauses.append(col(column) == value)
    if f.title:
        clauses.append(col(Receipt.title).contains(f.title.strip(), autoescape=True))
    return clauses


def _joined() -> Any:
    return select(Receipt, Payable).join(Payable, col(Payable.batch_no) == col(Receipt.batch_no))


async def search(
    session: AsyncSession, caller: Principal, f: ReceiptFilter, page: int, size: int
) -> tuple[list[ReceiptOut], int]:
    clauses = where(caller, f)
    count = select(func.count()).select_from(Receipt).join(Payable, col(Payable.batch_no) == col(Receipt.batch_no))
    total = (await session.exec(count.where(*clauses))).one()
    rows = list(
        await session.exec(
            _joined()
            .where(*clauses)
            .order_by(col(Receipt.requested_at).desc(), col(Receipt.id))
            .offset((page - 1) * size)
            .limit(size)
        )  # fmt: skip
    )
    return receipts.outs([r for r, _ in rows], {p.batch_no: p for _, p in rows}), int(total)


EXPORT_HEADER = [
    "票据号码", "参保批次", "缴费单位", "保障项目", "保障年度", "专用收据抬头", "统一社会信用代码", "金额(元)", "备注",
    "状态", "开具时间",
]  # fmt: skip


async def export(session: AsyncSession, caller: Principal, f: ReceiptFilter) -> bytes:
    rows = list(await session.exec(_joined().where(*where(caller, f)).order_by(col(Receipt.id)).limit(EXPORT_LIMIT)))
    table = [
        [r.receipt_no or "", r.batch_no, p.payer_org_name, p.programme_name, p.year, r.title, r.uscc,
         fen_to_decimal(r.amount_fen), r.remark, r.state, _at(r.issued_at)]
        for r, p in rows
    ]  # fmt: skip
    return workbook_bytes("专用收据", EXPORT_HEADER, table)


def _at(moment: datetime | None) -> str:
    return moment.isoformat(timespec="minutes") if moment else ""


async def pdf(session: AsyncSession, caller: Principal, receipt_no: str) -> Document:
    r = (await session.exec(select(Receipt).where(Receipt.receipt_no == receipt_no))).first()
    if r is None or not await orgs.covers(session, caller, r):
        raise NotFound("专用收据")
    return await documents.fetch(session, documents.receipt_ref(receipt_no), "专用收据")
