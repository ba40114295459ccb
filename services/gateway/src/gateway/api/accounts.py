"""账号管理: the accounts of the caller's subtree."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from runtime.db import Session
from runtime.tokens import Tier

from ..models import AccountCreate, AccountCreated, AccountPublic, Page, TemporaryPassword
from ..service import accounts
from ..service.accounts import AccountFilter
from .deps import AccountManager, AppClock, add_targets
from .exports import EXPORT_LIMIT, xlsx

router = APIRouter(prefix="/api/accounts", tags=["accounts"])
Status = Literal["active", "locked", "disabled", "pending", "rejected"]
TIER_LABELS = {
    "city": "市总工会",
    "district": "区局（产业）工会",
    "secondary": "二级工会",
    "grassroots": "基层工会",
    "enterprise": "未建会单位",
    "insurer": "职保会",
    "admin": "平台管理员",
}
STATUS_LABELS = {
    "active": "正常",
    "locked": "已锁定",
    "disabled": "已停用",
    "pending": "待审核",
    "rejected": "未通过审核",
}


def account_filter(
    account: str | None = None,
    name: str | None = None,
    tier: Tier | None = None,
    org_id: int | None = None,
    status: Status | None = None,
) -> AccountFilter:
    return AccountFilter(account, name, tier, org_id, status)


Filter = Annotated[AccountFilter, Depends(account_filter)]


@router.get("", response_model=Page[AccountPublic], summary="账号列表")
async def search_accounts(
    user: AccountManager,
    session: Session,
    clock: AppClock,
    f: Filter,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[AccountPublic]:
    items, total = await accounts.search(session, user, f, page, size, clock)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/export", summary="导出账号列表")
async def export_accounts(user: AccountManager, session: Session, clock: AppClock, f: Filter) -> Response:
    rows = await accounts.iter_all(session, user, f, EXPORT_LIMIT, clock)
    header = ["账号", "姓名/单位", "层级", "所属组织", "状态", "最近登录", "锁定至"]
    return xlsx(
        "账号列表.xlsx",
        header,
        (
            [
                a.account,
                a.name,
                TIER_LABELS[a.tier.value],
                a.org_name,
                STATUS_LABELS[a.status],
                a.last_login_at,
                a.locked_until,
            ]
            for a in rows
        ),
    )


@router.post("", response_model=AccountCreated, status_code=201, summary="新建账号")
async def create_account(
    data: AccountCreate, user: AccountManager, request: Request, session: Session, clock: AppClock
) -> AccountCreated:
    account, org, password = await accounts.create(session, user, data)
    add_targets(request, f"account_id={account.id}")
    shown = accounts.public(account, org.name if org else None, clock.now())
    return AccountCreated(**shown.model_dump(), temporary_password=password)


@router.post("/{account_id}/reset-password", response_model=TemporaryPassword, summary="重置密码")
async def reset_password(
    account_id: int, user: AccountManager, request: Request, session: Session
) -> TemporaryPassword:
    _, password = await accounts.reset_password(session, user, account_id)
    await request.app.state.session_store.close_all(account_id)
    return TemporaryPassword(temporary_password=password)


@router.post("/{account_id}/unlock", response_model=AccountPublic, summary="解锁账号")
async def unlock_account(account_id: int, user: AccountManager, session: Session, clock: AppClock) -> AccountPublic:
    account, org = await accounts.unlock(session, user, account_id)
    return accounts.public(account, org.name if org else None, clock.now())


@router.post("/{account_id}/disable", response_model=AccountPublic, summary="停用账号")
async def disable_account(
    account_id: int, user: AccountManager, request: Request, session: Session, clock: AppClock
) -> AccountPublic:
    account, org = await accounts.set_enabled(session, user, account_id, enabled=False)
    await request.app.state.session_store.close_all(account_id)
    return accounts.public(account, org.name if org else None, clock.now())


@router.post("/{account_id}/enable", response_model=AccountPublic, summary="启用账号")
async def enable_account(account_id: int, user: AccountManager, session: Session, clock: AppClock) -> AccountPublic:
    account, org = await accounts.set_enabled(session, user, account_id, enabled=True)
    return accounts.public(account, org.name if org else None, clock.now())
