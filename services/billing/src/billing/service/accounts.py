"""The insurer's receiving accounts per category, and which category a programme pays into."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.dialects.postgresql import distinct_on
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.tokens import Principal

from ..domain.accounts import Account, AccountCategory, check_account, default_category
from ..models import Payable, ProgrammeAccount, ReceivingAccount
from ..schemas import AccountIn, AccountOut, ProgrammeAccountOut


async def category_of(session: AsyncSession, programme: str) -> AccountCategory:
    row = await session.get(ProgrammeAccount, programme)
    return AccountCategory(row.category) if row else default_category(programme)


async def account(session: AsyncSession, category: str) -> Account | None:
    row = await session.get(ReceivingAccount, category)
    return Account(row.payee_name, row.account_no, row.bank) if row else None


def account_out(row: ReceivingAccount) -> AccountOut:
    return AccountOut(
        category=AccountCategory(row.category), payee_name=row.payee_name, account_no=row.account_no, bank=row.bank,
        updated_by=row.updated_by, updated_at=row.updated_at,
    )  # fmt: skip


async def list_accounts(session: AsyncSession) -> list[AccountOut]:
    rows = await session.exec(select(ReceivingAccount).order_by(col(ReceivingAccount.category)))
    return [account_out(r) for r in rows]


async def put_account(
    session: AsyncSession, caller: Principal, category: AccountCategory, data: AccountIn
) -> AccountOut:
    checked = check_account(data.payee_name, data.account_no, data.bank)
    async with session.begin():
        row = await session.get(ReceivingAccount, category.value, with_for_update=True)
        row = row or ReceivingAccount(category=category.value, payee_name="", account_no="", bank="", updated_by="")
        row.payee_name, row.account_no, row.bank = checked.payee_name, checked.account_no, checked.bank
        row.updated_by, row.updated_at = caller.user_id, datetime.now(UTC)
        session.add(row)
    return account_out(row)


async def list_programmes(session: AsyncSession) -> list[ProgrammeAccountOut]:
    """Every programme billing has seen or the insurer configured, with its category."""
    configured = {r.programme: r for r in await session.exec(select(ProgrammeAccount))}
    seen = await _names(session)
    return [
        ProgrammeAccountOut(
            programme=p,
            programme_name=seen.get(p, ""),
            configured=p in configured,
            category=AccountCategory(configured[p].category) if p in configured else default_category(p),
        )  # fmt: skip
        for p in sorted(seen.keys() | configured.keys())
    ]


async def _names(session: AsyncSession, programme: str | None = None) -> dict[str, str]:
    """Each programme's name as its newest payable gives it (billing has no programme catalogue)."""
    newest = (
        select(Payable.programme, Payable.programme_name)
        .ext(distinct_on(col(Payable.programme)))
        .order_by(col(Payable.programme), col(Payable.submitted_at).desc())
    )
    if programme is not None:
        newest = newest.where(Payable.programme == programme)
    return dict((await session.exec(newest)).all())


async def put_programme(
    session: AsyncSession, caller: Principal, programme: str, category: AccountCategory
) -> ProgrammeAccountOut:
    """Applies to payables made from now on; a notice already issued can be re-issued (POST …/notice)."""
    async with session.begin():
        row = await session.get(ProgrammeAccount, programme, with_for_update=True)
        row = row or ProgrammeAccount(programme=programme, category=category.value, updated_by=caller.user_id)
        row.category, row.updated_by, row.updated_at = category.value, caller.user_id, datetime.now(UTC)
        session.add(row)
        name = (await _names(session, programme)).get(programme, "")
    return ProgrammeAccountOut(programme=programme, programme_name=name, category=category, configured=True)
