"""找回密码（未建会单位）: a unit without a union has no upper union to reset its password, so it
applies with the contact and phone it registered with; the platform admin checks (by calling that
phone) and approves — a temporary password the unit must change at its next login — or rejects."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import Clock
from runtime.errors import DomainError, NotFound
from runtime.identity import validate_mobile, validate_uscc
from runtime.tokens import Tier

from ..domain import resets
from ..domain.passwords import temporary_password
from ..errors import Unknown, WrongAnswer
from ..models import (
    Account,
    AccountStatus,
    PasswordReset,
    PasswordResetCreate,
    PasswordResetPublic,
    PasswordResetStatus,
    Registration,
)
from .auth import find
from .captcha import CaptchaStore
from .credentials import hash_password
from .ratelimit import RateLimiter
from .registrations import identifier
from .users import User


@dataclass(frozen=True)
class PasswordResetFilter:
    status: PasswordResetStatus | None = None
    name: str | None = None
    uscc: str | None = None


@dataclass(frozen=True)
class PasswordResetGuards:
    captchas: CaptchaStore
    limiter: RateLimiter
    per_ip: int
    per_account: int


def _unknown(uscc: str) -> DomainError:
    return Unknown(
        "password_reset.unknown_account",
        f"统一社会信用代码 {uscc} 没有企业注册账号；尚未注册的单位请先进行企业注册，已建会单位请联系上级工会",
        field="uscc",
    )


def _mismatch() -> DomainError:
    return WrongAnswer(
        "password_reset.mismatch",
        "联系人或联系电话与企业注册时登记的不一致，请核对后重新填写；如已变更，请联系平台",
    )


async def apply(
    session: AsyncSession, data: PasswordResetCreate, ip: str, guards: PasswordResetGuards, clock: Clock
) -> PasswordReset:
    """A pending application for the enterprise account whose login is `uscc`.

    What the answers reveal is what the registration form already does: `unknown_account` exactly
    for the USCCs it would register as new. The account's status and an open application are told
    only to whoever named the registered contact and phone (as login tells a status only after the
    right password)."""
    await guards.limiter.hit("reset-ip", ip, guards.per_ip)
    await guards.limiter.hit("reset-account", data.uscc.strip().lower(), guards.per_account)
    await guards.captchas.check(data.captcha_id, data.captcha_code)
    uscc = identifier(data.uscc, validate_uscc, "uscc")
    phone = identifier(data.phone, validate_mobile, "phone")
    async with session.begin():
        account = await find(session, uscc, lock=True)
        if resets.is_unknown(account.status.value if account else None):
            raise _unknown(uscc)
        assert account is not None and account.id is not None
        registered = await _registered(session, account)
        if registered is None or not resets.matches_registration(
            data.contact, phone, registered.contact, registered.phone
        ):
            raise _mismatch()
        refusal = resets.status_refusal(account.status.value)
        if refusal:
            raise DomainError("password_reset.account_status", refusal, account_status=account.status.value)
        if await _open_application(session, account.id):
            raise DomainError(
                "password_reset.duplicate", "已有一份密码重置申请正在审核中，请等待平台电话联系，勿重复提交"
            )
        application = PasswordReset(
            account_id=account.id,
            uscc=uscc,
            name=account.name,
            contact=data.contact.strip(),
            phone=phone,
            reason=(data.reason or "").strip() or None,
            status=PasswordResetStatus.PENDING,
            created_at=clock.now(),
        )
        session.add(application)
        await session.flush()
    return application


async def _registered(session: AsyncSession, account: Account) -> Registration | None:
    """What the unit registered with (its latest registration); accounts that did not come from
    企业注册 (seeded ones, other tiers) have nothing to match and are reset in 账号管理."""
    if account.tier is not Tier.ENTERPRISE:
        return None
    stmt = select(Registration).where(Registration.account_id == account.id).order_by(col(Registration.id).desc())
    return (await session.exec(stmt)).first()


async def _open_application(session: AsyncSession, account_id: int) -> PasswordReset | None:
    stmt = select(PasswordReset).where(
        PasswordReset.account_id == account_id, PasswordReset.status == PasswordResetStatus.PENDING
    )
    return (await session.exec(stmt)).first()


def public(r: PasswordReset, account: str) -> PasswordResetPublic:
    return PasswordResetPublic.model_validate(r, update={"account": account})


def _filtered(f: PasswordResetFilter):  # type: ignore[no-untyped-def]
    conditions = []
    if f.status:
        conditions.append(PasswordReset.status == f.status)
    if f.name:
        conditions.append(col(PasswordReset.name).contains(f.name.strip()))
    if f.uscc:
        conditions.append(PasswordReset.uscc == f.uscc.strip().upper())
    return conditions


def _listed(f: PasswordResetFilter):  # type: ignore[no-untyped-def]
    return (
        select(PasswordReset, Account.account)
        .join(Account, col(Account.id) == PasswordReset.account_id)
        .where(*_filtered(f))
        .order_by(sa.desc(col(PasswordReset.id)))
    )


async def search(
    session: AsyncSession, f: PasswordResetFilter, page: int, size: int
) -> tuple[list[PasswordResetPublic], int]:
    counted = select(func.count()).select_from(PasswordReset).where(*_filtered(f))
    total = (await session.exec(counted)).one()
    rows = await session.exec(_listed(f).offset((page - 1) * size).limit(size))
    return [public(r, a) for r, a in rows], total


async def iter_all(session: AsyncSession, f: PasswordResetFilter, limit: int) -> list[PasswordResetPublic]:
    return [public(r, a) for r, a in await session.exec(_listed(f).limit(limit))]


async def _pending(session: AsyncSession, password_reset_id: int) -> tuple[PasswordReset, Account]:
    application = await session.get(PasswordReset, password_reset_id, with_for_update=True)
    if application is None:
        raise NotFound("密码重置申请")
    if application.status is not PasswordResetStatus.PENDING:
        raise DomainError(
            "password_reset.not_pending", "该密码重置申请已审核，不能重复处理", current=application.status.value
        )
    account = await session.get(Account, application.account_id, with_for_update=True)
    assert account is not None
    return application, account


async def approve(
    session: AsyncSession, reviewer: User, password_reset_id: int, clock: Clock
) -> tuple[PasswordResetPublic, str]:
    """A temporary password on the account (changed at its next login; failures and a lock are
    cleared); the caller ends the account's sessions once this has committed."""
    password = temporary_password()
    password_hash = await hash_password(password)
    async with session.begin():
        application, account = await _pending(session, password_reset_id)
        if account.status is not AccountStatus.ACTIVE:
            raise DomainError(
                "password_reset.account_status",
                f"账号当前状态为“{account.status.label}”，不能重置密码，请驳回该申请",
                account_status=account.status.value,
            )
        account.password_hash, account.must_change_password = password_hash, True
        account.failed_attempts, account.locked_until = 0, None
        application.status = PasswordResetStatus.APPROVED
        application.reviewed_by, application.reviewed_at = reviewer.account.account, clock.now()
        session.add_all([application, account])
    return public(application, account.account), password


async def reject(
    session: AsyncSession, reviewer: User, password_reset_id: int, reason: str, clock: Clock
) -> PasswordResetPublic:
    async with session.begin():
        application, account = await _pending(session, password_reset_id)
        application.status, application.rejection_reason = PasswordResetStatus.REJECTED, reason.strip()
        application.reviewed_by, application.reviewed_at = reviewer.account.account, clock.now()
        session.add(application)
    return public(application, account.account)
