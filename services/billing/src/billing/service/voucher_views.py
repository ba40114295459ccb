"""Vouchers as the payer and the insurer's review queue see them: one, a filtered page, the export,
the uploaded files (only ever as attachments) — inside the caller's scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import NotFound
from runtime.money import fen_to_decimal
from runtime.spreadsheet import workbook_bytes
from runtime.tokens import Principal

from ..models import Document, Payable, Refund, Voucher, VoucherBatch
from ..schemas import AppliedOut, FileOut, RefundAccountOut, VoucherOut
from . import orgs

EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class VoucherFilter:
    state: str | None = None
    batch_no: str | None = None
    payer_org_id: int | None = None
    programme: str | None = None
    year: int | None = None
    account_category: str | None = None
    method: str | None = None
    paying_unit: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    oldest_first: bool = False


async def visible(session: AsyncSession, caller: Principal, voucher_no: str, *, lock: bool = False) -> Voucher:
    voucher = await session.get(Voucher, voucher_no, with_for_update=lock)
    if voucher is None or not await orgs.covers(session, caller, voucher):
        raise NotFound("缴费凭证")
    return voucher


async def out(session: AsyncSession, v: Voucher, caller: Principal, confirmed: list[str] | None = None) -> VoucherOut:
    links = list(
        await session.exec(
            select(VoucherBatch, Payable.amount_fen, Payable.payer_org_name)
            .join(Payable, col(Payable.batch_no) == col(VoucherBatch.batch_no))
            .where(VoucherBatch.voucher_no == v.voucher_no)
            .order_by(col(Payable.pay_by), col(Payable.batch_no))
        )
    )
    refund_no = (await session.exec(select(Refund.refund_no).where(Refund.voucher_no == v.voucher_no))).first()
    payer_name = links[0][2] if links else (await orgs.names(session, [v.payer_org_id])).get(v.payer_org_id, "")
    return VoucherOut(
        voucher_no=v.voucher_no, payer_org_id=v.payer_org_id, payer_org_name=payer_name, programme=v.programme,
        year=v.year, paying_unit=v.paying_unit, method=v.method, amount_fen=v.amount_fen,
        account_category=v.account_category, transfer_date=v.transfer_date,
        batches=[AppliedOut(batch_no=link.batch_no, due_fen=due, outstanding_fen=link.outstanding_fen,
                            applied_fen=link.applied_fen) for link, due, _ in links],
        due_fen=v.due_fen, applied_fen=v.applied_fen, refund_fen=v.refund_fen, shortfall_fen=v.shortfall_fen,
        refund=_refund_out(v), refund_no=refund_no,
        file=await _file(session, v.file_ref, f"/vouchers/{v.voucher_no}/file"),
        refund_file=await _file(session, v.refund_file_ref, f"/vouchers/{v.voucher_no}/refund-file"),
        state=v.state, review_reason=v.review_reason, reviewed_by=v.reviewed_by, reviewed_at=v.reviewed_at,
        confirmed_batches=confirmed or [], submitted_by=v.submitted_by, submitted_at=v.submitted_at,
        updated_at=v.updated_at, version=v.version,
    )  # fmt: skip


async def payer_names(session: AsyncSession, rows: Sequence[Voucher | Refund]) -> dict[str, str]:
    """Each voucher's (or refund's) payer name by voucher number: the union's as org.v1 names it now, else
    — a unit without a union is in no org projection — the name its payables carry."""
    named = await orgs.names(session, {r.payer_org_id for r in rows})
    unnamed = [r.voucher_no for r in rows if r.payer_org_id not in named]
    carried: dict[str, str] = {}
    if unnamed:
        found = await session.exec(
            select(VoucherBatch.voucher_no, func.max(Payable.payer_org_name))
            .join(Payable, col(Payable.batch_no) == col(VoucherBatch.batch_no))
            .where(col(VoucherBatch.voucher_no).in_(unnamed))
            .group_by(col(VoucherBatch.voucher_no))
        )
        carried = dict(found.all())
    return {r.voucher_no: named.get(r.payer_org_id) or carried.get(r.voucher_no, "") for r in rows}


def _refund_out(v: Voucher) -> RefundAccountOut | None:
    if v.refund_account_name is None:
        return None
    return RefundAccountOut(
        account_category=v.refund_account_category or "", account_name=v.refund_account_name,
        account_no=v.refund_account_masked or "", bank=v.refund_bank or "", method=v.refund_method or "",
    )  # fmt: skip


async def _file(session: AsyncSession, ref: str | None, url: str) -> FileOut | None:
    if ref is None:
        return None
    row = (
        await session.exec(select(Document.file_name, Document.media_type, Document.size).where(Document.ref == ref))
    ).first()
    return FileOut(file_name=row[0], media_type=row[1], size=row[2], url=url) if row else None


def where(caller: Principal, f: VoucherFilter) -> list[Any]:
    clauses = orgs.scoped(Voucher, caller)
    for column, value in (
        (Voucher.state, f.state), (Voucher.payer_org_id, f.payer_org_id), (Voucher.programme, f.programme),
        (Voucher.year, f.year), (Voucher.account_category, f.account_category), (Voucher.method, f.method),
    ):  # fmt: skip
        if value is not None:
            clauses.append(col(column) == value)
    if f.batch_no:
        paying = select(VoucherBatch.voucher_no).where(VoucherBatch.batch_no == f.batch_no)
        clauses.append(col(Voucher.voucher_no).in_(paying))
    if f.paying_unit:
        clauses.append(col(Voucher.paying_unit).contains(f.paying_unit.strip(), autoescape=True))
    if f.submitted_from:
        clauses.append(col(Voucher.submitted_at) >= f.submitted_from)
    if f.submitted_to:
        clauses.append(col(Voucher.submitted_at) < f.submitted_to)
    return clauses


def _order(f: VoucherFilter) -> Any:
    return col(Voucher.submitted_at).asc() if f.oldest_first else col(Voucher.submitted_at).desc()


async def search(
    session: AsyncSession, caller: Principal, f: VoucherFilter, page: int, size: int
) -> tuple[list[VoucherOut], int]:
    clauses = where(caller, f)
    total = (await session.exec(select(func.count()).select_from(Voucher).where(*clauses))).one()
    rows = list(
        await session.exec(select(Voucher).where(*clauses).order_by(_order(f)).offset((page - 1) * size).limit(size))
    )
    return [await out(session, v, caller) for v in rows], int(total)


EXPORT_HEADER = [
    "凭证编号", "缴费单位", "付款单位", "保障项目", "保障年度", "缴费方式", "缴费金额(元)", "收款帐户类别", "转账日期",
    "参保批次", "应缴(元)", "抵缴(元)", "退款(元)", "差额(元)", "退款帐户名称", "退款帐号", "退款银行", "状态",
    "职保会反馈", "提交时间",
]  # fmt: skip


async def export(session: AsyncSession, caller: Principal, f: VoucherFilter) -> bytes:
    rows = list(await session.exec(select(Voucher).where(*where(caller, f)).order_by(_order(f)).limit(EXPORT_LIMIT)))
    batches: dict[str, list[str]] = {}
    if rows:
        links = await session.exec(
            select(VoucherBatch.voucher_no, VoucherBatch.batch_no).where(
                col(VoucherBatch.voucher_no).in_([v.voucher_no for v in rows])
            )
        )
        for no, batch_no in links:
            batches.setdefault(no, []).append(batch_no)
    names = await payer_names(session, rows)
    table = [
        [v.voucher_no, names[v.voucher_no], v.paying_unit, v.programme, v.year, v.method,
         fen_to_decimal(v.amount_fen), v.account_category, v.transfer_date.isoformat(),
         "、".join(sorted(batches.get(v.voucher_no, []))), fen_to_decimal(v.due_fen), fen_to_decimal(v.applied_fen),
         fen_to_decimal(v.refund_fen), fen_to_decimal(v.shortfall_fen), v.refund_account_name or "",
         v.refund_account_masked or "", v.refund_bank or "", v.state, v.review_reason,
         v.submitted_at.isoformat(timespec="minutes")]
        for v in rows
    ]  # fmt: skip
    return workbook_bytes("缴费凭证", EXPORT_HEADER, table)


async def file(session: AsyncSession, caller: Principal, voucher_no: str, part: str) -> Document:
    voucher = await visible(session, caller, voucher_no)
    ref = voucher.file_ref if part == "file" else voucher.refund_file_ref
    if ref is None:
        raise NotFound("凭证文件")
    document = await session.get(Document, ref)
    if document is None:
        raise NotFound("凭证文件")
    return document
