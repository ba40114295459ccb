"""The signed-in user: the account behind a session and its principal (scope) from the org tree."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.tokens import Principal

from ..domain.access import menus
from ..models import Account, AccountStatus, EnterpriseNode, Me, OrgNode
from . import orgtree


@dataclass(frozen=True)
class User:
    account: Account
    org: OrgNode | None
    sid: str

    @property
    def principal(self) -> Principal:
        return principal_of(self.account, self.org)

    @property
    def path(self) -> str:
        return self.org.path if self.org else ""


def principal_of(account: Account, org: OrgNode | None) -> Principal:
    return Principal(
        user_id=str(account.id), tier=account.tier, org_id=account.org_id, org_path=org.path if org else ""
    )


async def load(session: AsyncSession, account_id: int, sid: str) -> User | None:
    """The active account of a session, or None when it was disabled or removed meanwhile."""
    account = await session.get(Account, account_id)
    if account is None or account.status is not AccountStatus.ACTIVE:
        return None
    return User(account, await orgtree.live(session, account.org_id), sid)


async def me(session: AsyncSession, account: Account) -> Me:
    org = await orgtree.live(session, account.org_id)
    org_name = org.name if org else None
    if account.enterprise_id is not None:
        enterprise = await session.get(EnterpriseNode, account.enterprise_id)
        org_name = enterprise.name if enterprise else account.name
    assert account.id is not None
    return Me(
        account_id=account.id,
        account=account.account,
        name=account.name,
        tier=account.tier,
        org_id=account.org_id,
        org_name=org_name,
        org_path=org.path if org else "",
        must_change_password=account.must_change_password,
        menus=menus(account.tier),
    )
