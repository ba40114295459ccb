"""The payment notice (告知书) of a payable: rendered, stored, announced (billing.notice.issued); the
insurer re-issues it when the receiving account changed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.billing import BillingNoticeIssued
from runtime import outbox
from runtime.errors import NotFound

from ..domain.accounts import Account
from ..domain.documents import Notice, Split, TypeCount, notice_html
from ..models import Payable
from . import SOURCE, accounts, documents


def notice_of(p: Payable, account: Account | None, issuer: str, today: date) -> Notice:
    return Notice(
        payer_name=p.payer_org_name, batch_no=p.batch_no, programme_name=p.programme_name, year=p.year,
        enrollment_type=p.enrollment_type,
        by_type=[TypeCount(g["name"], int(g["persons"]), int(g["amount_fen"])) for g in p.guarantee_types],
        persons=p.persons, split=Split(p.amount_fen, p.city_fen, p.district_fen, p.grassroots_fen), pay_by=p.pay_by,
        coverage_start=p.coverage_start, coverage_end=p.coverage_end, account=account, issuer=issuer, issued_on=today,
        withheld_fen=p.withheld_fen, withheld_persons=p.withheld_persons,
    )  # fmt: skip


async def issue(session: AsyncSession, p: Payable, issuer: str, today: date) -> None:
    """Render with the account the payable's category has now, keep it, announce it (caller's transaction)."""
    account = await accounts.account(session, p.account_category)
    await documents.replace_pdf(
        session, documents.notice_ref(p.batch_no), f"告知书-{p.batch_no}.pdf",
        notice_html(notice_of(p, account, issuer, today)),
    )  # fmt: skip
    p.notice_version += 1
    p.updated_at = datetime.now(UTC)
    session.add(p)
    outbox.record(
        session, SOURCE,
        BillingNoticeIssued(
            batch_no=p.batch_no, payer_org_id=p.payer_org_id, programme=p.programme, year=p.year,
            amount_fen=p.amount_fen, pay_by=p.pay_by, account_category=p.account_category, issued_at=p.updated_at,
            version=p.notice_version,
        ),
    )  # fmt: skip


async def reissue(session: AsyncSession, batch_no: str, issuer: str, today: date) -> None:
    """The insurer's re-issue: the account as configured now; the category too while no voucher names one."""
    async with session.begin():
        p = await session.get(Payable, batch_no, with_for_update=True)
        if p is None:
            raise NotFound("应缴记录")
        if not p.roster_frozen:
            p.account_category = (await accounts.category_of(session, p.programme)).value
        await issue(session, p, issuer, today)
