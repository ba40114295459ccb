"""企业注册: a unit without a union registers itself; the platform admin approves (the org service
then registers the enterprise and announces it) or rejects with a reason."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import Clock
from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.identity import InvalidIdentifier, validate_mobile, validate_uscc
from runtime.tokens import Tier

from ..domain.passwords import check_new_password
from ..models import Account, AccountStatus, Registration, RegistrationCreate, RegistrationPublic, RegistrationStatus
from .auth import find
from .captcha import CaptchaStore
from .credentials import hash_password
from .ratelimit import RateLimiter
from .upstream import SYSTEM, Upstream, UpstreamProblem
from .users import User


@dataclass(frozen=True)
class RegistrationFilter:
    status: RegistrationStatus | None = None
    name: str | None = None
    uscc: str | None = None


def identifier(value: str, check, field: str) -> str:  # type: ignore[no-untyped-def]
    try:
        return str(check(value))
    except InvalidIdentifier as exc:
        raise InvalidInput(exc.code, exc.message, field=field) from None


@dataclass(frozen=True)
class RegistrationGuards:
    captchas: CaptchaStore
    limiter: RateLimiter
    per_ip: int


async def register(
    session: AsyncSession, data: RegistrationCreate, ip: str, guards: RegistrationGuards, policy: str, clock: Clock
) -> Registration:
    """A pending enterprise account (login: its USCC) and the application an admin reviews."""
    await guards.limiter.hit("register-ip", ip, guards.per_ip)
    await guards.captchas.check(data.captcha_id, data.captcha_code)
    uscc = identifier(data.uscc, validate_uscc, "uscc")
    phone = identifier(data.phone, validate_mobile, "phone")
    check_new_password(data.password, policy)
    password_hash = await hash_password(data.password)
    async with session.begin():
        account = await find(session, uscc, lock=True)
        if account is not None and account.status is not AccountStatus.REJECTED:
            raise DomainError(
                "registration.duplicate",
                f"统一社会信用代码 {uscc} 已注册，请勿重复注册；忘记密码请向平台申请重置",
                field="uscc",
            )
        account = account or Account(
            account=uscc, name=data.name, tier=Tier.ENTERPRISE, password_hash="", status=AccountStatus.PENDING
        )
        account.name, account.password_hash, account.status = data.name, password_hash, AccountStatus.PENDING
        account.must_change_password = False
        session.add(account)
        await session.flush()
        assert account.id is not None
        registration = Registration(
            uscc=uscc,
            name=data.name,
            contact=data.contact,
            phone=phone,
            account_id=account.id,
            status=RegistrationStatus.PENDING,
            created_at=clock.now(),
        )
        session.add(registration)
        await session.flush()
    return registration


def public(r: Registration, account: str) -> RegistrationPublic:
    return RegistrationPublic.model_validate(r, update={"account": account})


def _filtered(f: RegistrationFilter):  # type: ignore[no-untyped-def]
    conditions = []
    if f.status:
        conditions.append(Registration.status == f.status)
    if f.name:
        conditions.append(col(Registration.name).contains(f.name.strip()))
    if f.uscc:
        conditions.append(Registration.uscc == f.uscc.strip().upper())
    return conditions


async def search(
    session: AsyncSession, f: RegistrationFilter, page: int, size: int
) -> tuple[list[RegistrationPublic], int]:
    conditions = _filtered(f)
    total = (await session.exec(select(func.count()).select_from(Registration).where(*conditions))).one()
    rows = await session.exec(
        select(Registration, Account.account)
        .join(Account, col(Account.id) == Registration.account_id)
        .where(*conditions)
        .order_by(sa.desc(col(Registration.id)))
        .offset((page - 1) * size)
        .limit(size)
    )
    return [public(r, a) for r, a in rows], total


async def iter_all(session: AsyncSession, f: RegistrationFilter, limit: int) -> list[RegistrationPublic]:
    rows = await session.exec(
        select(Registration, Account.account)
        .join(Account, col(Account.id) == Registration.account_id)
        .where(*_filtered(f))
        .order_by(sa.desc(col(Registration.id)))
        .limit(limit)
    )
    return [public(r, a) for r, a in rows]


async def _pending(session: AsyncSession, registration_id: int) -> tuple[Registration, Account]:
    registration = await session.get(Registration, registration_id, with_for_update=True)
    if registration is None:
        raise NotFound("注册申请")
    if registration.status is not RegistrationStatus.PENDING:
        raise DomainError(
            "registration.not_pending", "该注册申请已审核，不能重复处理", current=registration.status.value
        )
    account = await session.get(Account, registration.account_id, with_for_update=True)
    assert account is not None
    return registration, account


async def approve(
    session: AsyncSession, reviewer: User, registration_id: int, org: Upstream, clock: Clock
) -> RegistrationPublic:
    async with session.begin():
        registration, account = await _pending(session, registration_id)
        enterprise_id = await _register_at_org(org, registration)
        registration.status, registration.enterprise_id = RegistrationStatus.APPROVED, enterprise_id
        registration.reviewed_by, registration.reviewed_at = reviewer.account.account, clock.now()
        account.status, account.enterprise_id = AccountStatus.ACTIVE, enterprise_id
        session.add_all([registration, account])
    return public(registration, account.account)


async def _register_at_org(org: Upstream, registration: Registration) -> int:
    """POST /enterprises as the platform; an earlier attempt whose answer got lost is adopted."""
    body = {
        "name": registration.name,
        "uscc": registration.uscc,
        "contact": registration.contact,
        "phone": registration.phone,
    }
    try:
        created = await org.fetch(SYSTEM, "POST", "/enterprises", json=body)
        return int(created["id"])
    except UpstreamProblem as problem:
        if problem.response.status_code != 409:
            raise
        found = await org.fetch(SYSTEM, "GET", "/enterprises", params={"uscc": registration.uscc})
        if not found["items"]:
            raise
        return int(found["items"][0]["id"])


async def reject(
    session: AsyncSession, reviewer: User, registration_id: int, reason: str, clock: Clock
) -> RegistrationPublic:
    async with session.begin():
        registration, account = await _pending(session, registration_id)
        registration.status, registration.reason = RegistrationStatus.REJECTED, reason.strip()
        registration.reviewed_by, registration.reviewed_at = reviewer.account.account, clock.now()
        account.status = AccountStatus.REJECTED
        session.add_all([registration, account])
    return public(registration, account.account)
