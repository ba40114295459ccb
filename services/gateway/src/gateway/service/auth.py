"""登录 and 修改密码: captcha, rate limits, lockout with a visible unlock time, the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import SHANGHAI, Clock
from runtime.errors import DomainError, Forbidden, Unauthorized

from ..domain.lockout import LockoutPolicy, after_failure, is_locked, remaining_attempts
from ..domain.passwords import check_new_password
from ..errors import Locked, WrongAnswer
from ..models import Account, AccountStatus, Credentials, Registration
from .captcha import CaptchaStore
from .credentials import hash_password, verify_password
from .ratelimit import RateLimiter


@dataclass(frozen=True)
class LoginGuards:
    captchas: CaptchaStore
    limiter: RateLimiter
    lockout: LockoutPolicy
    per_ip: int
    per_account: int


async def find(session: AsyncSession, account: str, *, lock: bool = False) -> Account | None:
    stmt = select(Account).where(sa.func.lower(col(Account.account)) == account.strip().lower())
    return (await session.exec(stmt.with_for_update() if lock else stmt)).first()


async def login(session: AsyncSession, creds: Credentials, ip: str, guards: LoginGuards, clock: Clock) -> Account:
    await guards.limiter.hit("login-ip", ip, guards.per_ip)
    await guards.limiter.hit("login-account", creds.account.strip().lower(), guards.per_account)
    await guards.captchas.check(creds.captcha_id, creds.captcha_code)
    refusal: DomainError | None = None
    async with session.begin():
        account = await find(session, creds.account, lock=True)
        if account is None:
            refusal = await _unknown_account(creds, guards, clock)
        else:
            refusal = await _attempt(session, account, creds.password, guards.lockout, clock)
    if refusal is not None:
        raise refusal  # after the commit: a failure is counted even though the request fails
    assert account is not None
    return account


async def _attempt(
    session: AsyncSession, account: Account, password: str, policy: LockoutPolicy, clock: Clock
) -> DomainError | None:
    now = clock.now()
    if is_locked(account.locked_until, now):
        return _locked(account.locked_until)  # type: ignore[arg-type]  # is_locked checked it
    if not await verify_password(password, account.password_hash):
        account.failed_attempts, account.locked_until = after_failure(account.failed_attempts, now, policy)
        session.add(account)
        if account.locked_until is not None:
            return _locked(account.locked_until)
        return _bad_credentials(remaining_attempts(account.failed_attempts, policy))
    refusal = await _status_refusal(session, account)
    if refusal is None:
        account.failed_attempts, account.locked_until, account.last_login_at = 0, None, now
        session.add(account)
    return refusal


async def _unknown_account(creds: Credentials, guards: LoginGuards, clock: Clock) -> DomainError:
    """The same answers as for a real account, so the login form does not tell which names exist."""
    await verify_password(creds.password, None)
    seconds = int(guards.lockout.duration.total_seconds())
    failures, ttl = await guards.limiter.count("login-unknown", creds.account.strip().lower(), seconds)
    if failures >= guards.lockout.threshold:
        return _locked(clock.now() + timedelta(seconds=ttl))
    return _bad_credentials(remaining_attempts(failures, guards.lockout))


async def _status_refusal(session: AsyncSession, account: Account) -> DomainError | None:
    if account.status is AccountStatus.DISABLED:
        return Forbidden("auth.account_disabled", "账号已停用，请联系上级工会")
    if account.status is AccountStatus.PENDING:
        return Forbidden("auth.account_pending", "企业注册正在审核中，审核通过后方可登录")
    if account.status is AccountStatus.REJECTED:
        latest = (
            await session.exec(
                select(Registration).where(Registration.account_id == account.id).order_by(col(Registration.id).desc())
            )
        ).first()
        reason = latest.reason if latest else None
        return Forbidden(
            "auth.registration_rejected", f"企业注册未通过审核：{reason or '请联系平台'}，可修改信息后重新注册"
        )
    return None


def _bad_credentials(remaining: int) -> DomainError:
    return Unauthorized("auth.bad_credentials", f"账号或密码错误，还可尝试 {remaining} 次", remaining=remaining)


def _locked(until: datetime) -> DomainError:
    until = until.astimezone(SHANGHAI)
    return Locked(
        "auth.locked",
        f"密码错误次数过多，账号已锁定，请于 {until:%H:%M} 后再试或联系上级工会解锁",
        unlock_at=until.isoformat(),
    )


async def change_password(
    session: AsyncSession, account_id: int, old: str, new: str, policy: str, clock: Clock
) -> Account:
    async with session.begin():
        account = await session.get(Account, account_id, with_for_update=True)
        assert account is not None
        if not await verify_password(old, account.password_hash):
            raise WrongAnswer("password.wrong", "原密码不正确", field="old_password")
        check_new_password(new, policy, old=old, account=account.account)
        account.password_hash = await hash_password(new)
        account.must_change_password = False
        account.password_changed_at = clock.now()
        session.add(account)
    return account
