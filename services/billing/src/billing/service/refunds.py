"""退款: the insurer pays an over-payment back (待退款 → 已退款, billing.refund.issued); lists and the
export. Insurer staff see the full account number (they make the transfer); everyone else a mask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.billing import BillingRefundIssued
from runtime import outbox
from runtime.errors import NotFound
from runtime.money import fen_to_decimal
from runtime.pii import PiiCipher
from runtime.spreadsheet import workbook_bytes
from runtime.tokens import Principal, Tier

from ..domain.refunds import RefundState, check_issuable
from ..models import Refund, VoucherBatch
from ..schemas import RefundIssueIn, RefundOut
from . import SOURCE, orgs, voucher_views
from .idempotency import Idempotent
from .vouchers import ACCOUNT_FIELD

FULL_ACCOUNT = frozenset({Tier.INSURER, Tier.ADMIN, Tier.SYSTEM})
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class RefundFilter:
    state: str | None = None
    payer_org_id: int | None = None
    programme: str | None = None
    year: int | None = None
    voucher_no: str | None = None


async def issue(
    session: AsyncSession, caller: Principal, refund_no: str, data: RefundIssueIn, key: str | None,
    cipher: PiiCipher, now: datetime,
) -> dict[str, Any]:  # fmt: skip
    idem = Idempotent(caller, key, f"POST /refunds/{refund_no}/issue", data.model_dump(mode="json"))
    async with session.begin():
        if (done := await idem.recall(session)) is not None:
            return done
        refund = await session.get(Refund, refund_no, with_for_update=True)
        if refund is None:
            raise NotFound("退款记录")
        check_issuable(RefundState(refund.state), data.paid_on, now.date())
        refund.state, refund.paid_on, refund.reference = RefundState.ISSUED, data.paid_on, data.reference.strip()
        refund.issued_by, refund.issued_at = caller.user_id, now
        refund.version += 1
        session.add(refund)
        batch_nos = await _batches(session, refund.voucher_no)
        outbox.record(
            session, SOURCE,
            BillingRefundIssued(
                refund_no=refund.refund_no, voucher_no=refund.voucher_no, batch_nos=batch_nos,
                payer_org_id=refund.payer_org_id, amount_fen=refund.amount_fen, method=refund.method, issued_at=now,
                version=refund.version,
            ),
        )  # fmt: skip
        body = (await out(session, refund, caller, cipher, batch_nos)).model_dump(mode="json")
        return idem.remember(session, body)


async def _batches(session: AsyncSession, voucher_no: str) -> list[str]:
    rows = await session.exec(select(VoucherBatch.batch_no).where(VoucherBatch.voucher_no == voucher_no))
    return sorted(rows)


async def out(
    session: AsyncSession, r: Refund, caller: Principal, cipher: PiiCipher, batch_nos: list[str] | None = None
) -> RefundOut:
    full = caller.tier in FULL_ACCOUNT
    names = await voucher_views.payer_names(session, [r])
    return RefundOut(
        refund_no=r.refund_no, voucher_no=r.voucher_no,
        batch_nos=batch_nos if batch_nos is not None else await _batches(session, r.voucher_no),
        payer_org_id=r.payer_org_id, payer_org_name=names[r.voucher_no], programme=r.programme,
        year=r.year, amount_fen=r.amount_fen, account_category=r.account_category, account_name=r.account_name,
        account_no=cipher.decrypt(r.account_enc, field=ACCOUNT_FIELD) if full else r.account_masked, bank=r.bank,
        method=r.method, state=r.state, paid_on=r.paid_on, reference=r.reference, created_at=r.created_at,
        issued_by=r.issued_by, issued_at=r.issued_at, version=r.version,
    )  # fmt: skip


async def one(session: AsyncSession, caller: Principal, refund_no: str, cipher: PiiCipher) -> RefundOut:
    refund = await session.get(Refund, refund_no)
    if refund is None or not await orgs.covers(session, caller, refund):
        raise NotFound("退款记录")
    return await out(session, refund, caller, cipher)


def where(caller: Principal, f: RefundFilter) -> list[Any]:
    clauses = orgs.scoped(Refund, caller)
    for column, value in (
        (Refund.state, f.state), (Refund.payer_org_id, f.payer_org_id), (Refund.programme, f.programme),
        (Refund.year, f.year), (Refund.voucher_no, f.voucher_no),
    ):  # fmt: skip
        if value is not None:
            clauses.append(col(column) == value)
    return clauses


async def search(
    session: AsyncSession, caller: Principal, f: RefundFilter, cipher: PiiCipher, page: int, size: int
) -> tuple[list[RefundOut], int]:
    clauses = where(caller, f)
    total = (await session.exec(select(func.count()).select_from(Refund).where(*clauses))).one()
    rows = list(
        await session.exec(
            select(Refund).where(*clauses).order_by(col(Refund.created_at).desc()).offset((page - 1) * size).limit(size)
        )
    )
    return [await out(session, r, caller, cipher) for r in rows], int(total)


EXPORT_HEADER = [
    "退款编号", "凭证编号", "缴费单位", "保障项目", "保障年度", "退款金额(元)", "退款帐户类别", "退款帐户名称",
    "退款帐号", "退款银行", "退款方式", "状态", "退款日期", "银行流水号",
]  # fmt: skip


async def export(session: AsyncSession, caller: Principal, f: RefundFilter, cipher: PiiCipher) -> bytes:
    rows = list(
        await session.exec(select(Refund).where(*where(caller, f)).order_by(col(Refund.created_at)).limit(EXPORT_LIMIT))
    )
    names = await voucher_views.payer_names(session, rows)
    full = caller.tier in FULL_ACCOUNT
    table = [
        [r.refund_no, r.voucher_no, names[r.voucher_no], r.programme, r.year, fen_to_decimal(r.amount_fen),
         r.account_category, r.account_name,
         cipher.decrypt(r.account_enc, field=ACCOUNT_FIELD) if full else r.account_masked, r.bank, r.method, r.state,
         _day(r.paid_on), r.reference]
        for r in rows
    ]  # fmt: skip
    return workbook_bytes("退款清单", EXPORT_HEADER, table)


def _day(d: date | None) -> str:
    return d.isoformat() if d else ""
