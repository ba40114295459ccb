"""账号管理: the upper union creates its unions' accounts, resets, unlocks, disables and enables them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import Clock
from runtime.errors import DomainError, Forbidden, InvalidInput, NotFound
from runtime.tokens import Tier

from ..domain import access
from ..domain.lockout import is_locked
from ..domain.passwords import temporary_password
from ..models import Account, AccountCreate, AccountPublic, AccountStatus, OrgNode
from . import orgtree
from .auth import find
from .credentials import hash_password
from .users import User


@dataclass(frozen=True)
class AccountFilter:
    account: str | None = None
    name: str | None = None
    tier: Tier | None = None
    org_id: int | None = None
    status: str | None = None


def public(account: Account, org_name: str | None, now: datetime) -> AccountPublic:
    status = account.status.value
    if account.status is AccountStatus.ACTIVE and is_locked(account.locked_until, now):
        status = "locked"
    assert account.id is not None
    return AccountPublic(
        id=account.id,
        account=account.account,
        name=account.name,
        tier=account.tier,
        org_id=account.org_id,
        org_name=org_name,
        status=status,
        last_login_at=account.last_login_at,
        locked_until=account.locked_until if status == "locked" else None,
        must_change_password=account.must_change_password,
    )


def _visible(user: User):  # type: ignore[no-untyped-def]
    """The accounts a caller may list: admin all; a union its own org and everything below."""
    if user.account.tier is Tier.ADMIN:
        return []
    if not user.path:
        return [sa.false()]
    staff = col(Account.tier).not_in([Tier.ENTERPRISE, Tier.INSURER, Tier.ADMIN])
    return [staff, or_(col(OrgNode.path) == user.path, col(OrgNode.path).startswith(user.path + "."))]


def _filtered(user: User, f: AccountFilter, now: datetime):  # type: ignore[no-untyped-def]
    conditions = _visible(user)
    if f.account:
        conditions.append(col(Account.account).contains(f.account.strip()))
    if f.name:
        conditions.append(col(Account.name).contains(f.name.strip()))
    if f.tier:
        conditions.append(Account.tier == f.tier)
    if f.org_id is not None:
        conditions.append(Account.org_id == f.org_id)
    if f.status == "locked":
        conditions += [Account.status == AccountStatus.ACTIVE, col(Account.locked_until) > now]
    elif f.status:
        conditions.append(Account.status == f.status)
    return conditions


def _joined():  # type: ignore[no-untyped-def]
    return select(Account, OrgNode.name).join(OrgNode, col(OrgNode.org_id) == Account.org_id, isouter=True)


async def search(
    session: AsyncSession, user: User, f: AccountFilter, page: int, size: int, clock: Clock
) -> tuple[list[AccountPublic], int]:
    now = clock.now()
    conditions = _filtered(user, f, now)
    counted = (
        select(func.count()).select_from(Account).join(OrgNode, col(OrgNode.org_id) == Account.org_id, isouter=True)
    )
    total = (await session.exec(counted.where(*conditions))).one()
    rows = await session.exec(
        _joined().where(*conditions).order_by(col(Account.id)).offset((page - 1) * size).limit(size)
    )
    return [public(a, org_name, now) for a, org_name in rows], total


async def iter_all(
    session: AsyncSession, user: User, f: AccountFilter, limit: int, clock: Clock
) -> list[AccountPublic]:
    now = clock.now()
    rows = await session.exec(_joined().where(*_filtered(user, f, now)).order_by(col(Account.id)).limit(limit))
    return [public(a, org_name, now) for a, org_name in rows]


async def create(session: AsyncSession, user: User, data: AccountCreate) -> tuple[Account, OrgNode | None, str]:
    password = temporary_password()
    password_hash = await hash_password(password)
    async with session.begin():
        org = await _org_for_new_account(session, user, data)
        if await find(session, data.account):
            raise DomainError("account.duplicate", f"账号“{data.account}”已存在", field="account")
        account = Account(
            account=data.account,
            name=data.name,
            tier=data.tier,
            org_id=org.org_id if org else None,
            status=AccountStatus.ACTIVE,
            password_hash=password_hash,
            must_change_password=True,
            created_by=user.account.id,
        )
        session.add(account)
        await session.flush()
    return account, org, password


async def _org_for_new_account(session: AsyncSession, user: User, data: AccountCreate) -> OrgNode | None:
    if data.tier is Tier.ENTERPRISE:
        raise InvalidInput("account.enterprise_by_registration", "未建会单位的账号通过企业注册取得，不能手工新建")
    if data.tier in access.PLATFORM_TIERS:
        if user.account.tier is not Tier.ADMIN:
            raise Forbidden("account.tier_forbidden", "只有平台管理员可以建立该类账号")
        return await orgtree.live(session, data.org_id)
    if data.org_id is None:
        raise InvalidInput("account.org_required", "请选择账号所属的工会组织", field="org_id")
    org = await orgtree.live(session, data.org_id)
    if org is None or not access.can_see(user.account.tier, user.path, data.tier, org.path):
        raise NotFound("组织")
    if not access.can_manage(user.account.tier, user.path, data.tier, org.path):
        raise Forbidden("account.peer", "本级工会的账号由上级工会建立")
    access.tier_for_org(org.kind, data.tier)
    return org


async def manageable(session: AsyncSession, user: User, account_id: int) -> tuple[Account, OrgNode | None]:
    """The account if the caller may act on it: 404 outside what it sees, 403 for its peers and itself."""
    account = await session.get(Account, account_id, with_for_update=True)
    org = await orgtree.live(session, account.org_id) if account else None
    path = org.path if org else None
    if account is None or not access.can_see(user.account.tier, user.path, account.tier, path):
        raise NotFound("账号")
    if account.id == user.account.id:
        raise Forbidden("account.self", "不能对自己的账号执行此操作，请使用“修改密码”")
    if not access.can_manage(user.account.tier, user.path, account.tier, path):
        raise Forbidden("account.peer", "本级工会的账号由上级工会管理")
    return account, org


async def reset_password(session: AsyncSession, user: User, account_id: int) -> tuple[Account, str]:
    password = temporary_password()
    password_hash = await hash_password(password)
    async with session.begin():
        account, _ = await manageable(session, user, account_id)
        account.password_hash, account.must_change_password = password_hash, True
        account.failed_attempts, account.locked_until = 0, None
        session.add(account)
    return account, password


async def unlock(session: AsyncSession, user: User, account_id: int) -> tuple[Account, OrgNode | None]:
    async with session.begin():
        account, org = await manageable(session, user, account_id)
        account.failed_attempts, account.locked_until = 0, None
        session.add(account)
    return account, org


async def set_enabled(
    session: AsyncSession, user: User, account_id: int, enabled: bool
) -> tuple[Account, OrgNode | None]:
    async with session.begin():
        account, org = await manageable(session, user, account_id)
        before, after = (
            (AccountStatus.DISABLED, AccountStatus.ACTIVE)
            if enabled
            else (AccountStatus.ACTIVE, AccountStatus.DISABLED)
        )
        if account.status is not before:
            raise DomainError(
                "account.status", f"账号当前状态为“{account.status.label}”，不能{'启用' if enabled else '停用'}"
            )
        account.status = after
        session.add(account)
    return account, org


async def names_of(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    """Display names of these accounts: the person's name, or the login when no name was given."""
    if not ids:
        return {}
    rows = await session.exec(select(Account.id, Account.name, Account.account).where(col(Account.id).in_(ids)))
    return {account_id: name or login for account_id, name, login in rows if account_id is not None}


async def logins_of(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    """The logins of these accounts: a list's 操作账号 (who uploaded a file) shows the login."""
    if not ids:
        return {}
    rows = await session.exec(select(Account.id, Account.account).where(col(Account.id).in_(ids)))
    return {account_id: login for account_id, login in rows if account_id is not None}
