"""退休住院计划 预派账号 (manual 003 一(一)): "上年度参保的、且匹配到正确统一信用代码的单位，已预派登录账号密码：
账号：tuixiu+参保编码，初始密码：Txbz123456".

Enrollment announces each unit of last year's plan (`enrollment.retiree_unit.registered`); a unit whose
USCC matched a union (the event's org_id) or a registered enterprise gets the account `tuixiu<code>`
once, with the initial password, to be changed at its first login; enrollment then learns that the
account owns the unit (PUT /retiree/units/{code}/owner). The account and the binding commit together:
a refused or unanswered binding rolls the account back and the consumer retries. A unit heard again
keeps its account as it is (a changed password stays) and is bound again. The insurer and the
platform list these accounts and reset one to a temporary password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentRetireeUnitRegistered
from contracts.envelope import Envelope
from runtime.clock import Clock
from runtime.errors import NotFound
from runtime.logs import get_logger
from runtime.state_gauge import count_by
from runtime.tokens import Tier

from ..domain.access import TIER_OF_KIND
from ..domain.lockout import is_locked
from ..domain.passwords import temporary_password
from ..domain.retiree_accounts import CODE, login_of, login_status
from ..models import (
    Account,
    AccountStatus,
    EnterpriseNode,
    OrgNode,
    PreIssueOutcome,
    RetireeAccountPublic,
    RetireeLoginStatus,
    RetireeUnitAccount,
)
from .auth import find
from .credentials import hash_password
from .upstream import SYSTEM, Upstream, UpstreamProblem

log = get_logger(__name__)


class OrgNotHeardYet(RuntimeError):
    """The unit's union is not in the org tree yet (org.v1 travels apart): the consumer retries."""


@dataclass(frozen=True)
class Match:
    tier: Tier
    org_id: int | None = None
    enterprise_id: int | None = None


@dataclass
class PreIssuer:
    """The consumer of enrollment's retiree units. The enrollment client is set once the service's
    clients start (main._wire), before any consumer joins."""

    initial_password: str
    enrollment: Upstream | None = None

    async def on_unit_registered(
        self, session: AsyncSession, event: EnrollmentRetireeUnitRegistered, _: Envelope
    ) -> None:
        if self.enrollment is None:
            raise RuntimeError("the enrollment client is not wired yet")
        account = await pre_issue(session, event, self.initial_password)
        if account is not None:
            await bind_owner(self.enrollment, event.code, account)


async def pre_issue(
    session: AsyncSession, event: EnrollmentRetireeUnitRegistered, initial_password: str
) -> Account | None:
    """The unit's account, issued now or before; None when the unit gets none."""
    if not CODE.fullmatch(event.code):
        raise ValueError(f"参保编码 {event.code!r} cannot make a login")  # no retry mends it: dead-lettered
    row = await session.get(RetireeUnitAccount, event.code, with_for_update=True)
    if row is not None and row.account_id is not None:
        return await session.get(Account, row.account_id)  # issued before: kept as it is
    row = row or RetireeUnitAccount(
        code=event.code, unit_name=event.unit_name, uscc=event.uscc, outcome=PreIssueOutcome.UNMATCHED
    )
    row.unit_name, row.uscc = event.unit_name, event.uscc
    match = await _match(session, event)
    login = login_of(event.code)
    if match is None:
        row.outcome, row.org_id, row.enterprise_id = PreIssueOutcome.UNMATCHED, None, None
        session.add(row)
        log.warning("retiree.account_unmatched", code=event.code, org_id=event.org_id)
        return None
    if await find(session, login) is not None:
        row.outcome, row.org_id, row.enterprise_id = PreIssueOutcome.NAME_TAKEN, match.org_id, match.enterprise_id
        session.add(row)
        log.warning("retiree.account_name_taken", code=event.code, account=login)
        return None
    account = Account(
        account=login,
        name=event.unit_name[:100],
        tier=match.tier,
        org_id=match.org_id,
        enterprise_id=match.enterprise_id,
        status=AccountStatus.ACTIVE,
        password_hash=await hash_password(initial_password),
        must_change_password=True,
    )
    session.add(account)
    await session.flush()
    row.outcome, row.account_id = PreIssueOutcome.ISSUED, account.id
    row.org_id, row.enterprise_id = match.org_id, match.enterprise_id
    session.add(row)
    log.info("retiree.account_issued", code=event.code, account_id=account.id, tier=match.tier.value)
    return account


async def _match(session: AsyncSession, event: EnrollmentRetireeUnitRegistered) -> Match | None:
    """A union enrollment matched (its org_id), else a registered enterprise of the same USCC."""
    if event.org_id is not None:
        org = await session.get(OrgNode, event.org_id)
        if org is None:
            raise OrgNotHeardYet(f"org {event.org_id} of retiree unit {event.code}")
        tier = TIER_OF_KIND.get(org.kind)
        return None if org.deleted or tier is None else Match(tier, org_id=org.org_id)
    stmt = select(EnterpriseNode).where(EnterpriseNode.uscc == event.uscc.strip().upper())
    enterprise = (await session.exec(stmt.order_by(col(EnterpriseNode.enterprise_id)))).first()
    return Match(Tier.ENTERPRISE, enterprise_id=enterprise.enterprise_id) if enterprise else None


async def bind_owner(enrollment: Upstream, code: str, account: Account) -> None:
    """Tell enrollment the unit's owner; a refusal or no answer raises, so the whole use case retries."""
    body = {"user_id": str(account.id), "tier": account.tier.value, "org_id": account.org_id}
    try:
        await enrollment.fetch(SYSTEM, "PUT", f"/retiree/units/{quote(code, safe='')}/owner", json=body)
    except UpstreamProblem as exc:
        log.warning("retiree.owner_binding_refused", code=code, status=exc.response.status_code)
        raise


# --- the insurer's and the platform's list ------------------------------------------------------------


@dataclass(frozen=True)
class RetireeAccountFilter:
    code: str | None = None
    unit_name: str | None = None
    login_status: RetireeLoginStatus | None = None


def _login_condition(status: RetireeLoginStatus) -> sa.ColumnElement[bool]:
    """login_status (the domain rule) as SQL."""
    if status is RetireeLoginStatus.CHANGED:
        return col(Account.must_change_password).is_(False)
    last_login = col(Account.last_login_at)
    signed_in = last_login.is_(None) if status is RetireeLoginStatus.NOT_LOGGED_IN else last_login.is_not(None)
    return sa.and_(col(Account.must_change_password).is_(True), signed_in)


def _conditions(f: RetireeAccountFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if f.code:
        conditions.append(col(RetireeUnitAccount.code).contains(f.code.strip()))
    if f.unit_name:
        conditions.append(col(RetireeUnitAccount.unit_name).contains(f.unit_name.strip()))
    if f.login_status:
        conditions.append(_login_condition(f.login_status))
    return conditions


def _issued():  # type: ignore[no-untyped-def]
    return (
        select(RetireeUnitAccount, Account, OrgNode.name)
        .join(Account, col(Account.id) == RetireeUnitAccount.account_id)
        .join(OrgNode, col(OrgNode.org_id) == Account.org_id, isouter=True)
    )


async def search(
    session: AsyncSession, f: RetireeAccountFilter, page: int, size: int, clock: Clock
) -> tuple[list[RetireeAccountPublic], int]:
    conditions = _conditions(f)
    counted = (
        select(func.count())
        .select_from(RetireeUnitAccount)
        .join(Account, col(Account.id) == RetireeUnitAccount.account_id)
        .where(*conditions)
    )
    total = (await session.exec(counted)).one()
    rows = await session.exec(
        _issued().where(*conditions).order_by(col(RetireeUnitAccount.code)).offset((page - 1) * size).limit(size)
    )
    now = clock.now()
    return [public(unit, account, org_name, now) for unit, account, org_name in rows], total


def public(unit: RetireeUnitAccount, account: Account, org_name: str | None, now: datetime) -> RetireeAccountPublic:
    status = account.status.value
    if account.status is AccountStatus.ACTIVE and is_locked(account.locked_until, now):
        status = "locked"
    assert account.id is not None
    return RetireeAccountPublic(
        account_id=account.id,
        account=account.account,
        code=unit.code,
        unit_name=unit.unit_name,
        uscc=unit.uscc,
        tier=account.tier,
        org_id=account.org_id,
        org_name=org_name,
        login_status=RetireeLoginStatus(login_status(account.last_login_at, account.must_change_password)),
        status=status,
        last_login_at=account.last_login_at,
        password_changed_at=account.password_changed_at,
        issued_at=unit.created_at,
    )


async def reset_password(session: AsyncSession, account_id: int) -> tuple[Account, str]:
    """A temporary password for a pre-issued account (its holder lost the changed one): changed again at
    the next login. Only the accounts issued here: other accounts have their upper union for that."""
    password = temporary_password()
    password_hash = await hash_password(password)
    async with session.begin():
        issued = await session.exec(select(RetireeUnitAccount).where(RetireeUnitAccount.account_id == account_id))
        account = await session.get(Account, account_id, with_for_update=True) if issued.first() else None
        if account is None:
            raise NotFound("预派账号")
        account.password_hash, account.must_change_password = password_hash, True
        account.failed_attempts, account.locked_until = 0, None
        session.add(account)
    return account, password


async def count_units(session: AsyncSession) -> dict[str, int]:
    """aggregates_by_state{aggregate="gateway.retiree_unit"}: issued, unmatched (no account), name_taken."""
    return await count_by(session, RetireeUnitAccount.outcome, PreIssueOutcome)
