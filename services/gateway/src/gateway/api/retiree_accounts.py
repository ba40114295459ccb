"""退休住院计划 预派账号 (tuixiu+参保编码): the insurer's and the platform's list, and a password reset."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from runtime.db import Session

from ..models import Page, RetireeAccountPublic, RetireeLoginStatus, TemporaryPassword
from ..service import retiree_accounts
from ..service.retiree_accounts import RetireeAccountFilter
from .deps import AppClock, RetireeAccountManager

router = APIRouter(prefix="/api/retiree-accounts", tags=["retiree accounts"])


def retiree_account_filter(
    code: Annotated[str | None, Query(max_length=20, description="参保编码")] = None,
    unit_name: Annotated[str | None, Query(max_length=100, description="单位名称")] = None,
    login_status: Annotated[
        RetireeLoginStatus | None,
        Query(description="未登录 not_logged_in / 待修改密码 pending_change / 已修改密码 changed"),
    ] = None,
) -> RetireeAccountFilter:
    return RetireeAccountFilter(code, unit_name, login_status)


Filter = Annotated[RetireeAccountFilter, Depends(retiree_account_filter)]


@router.get("", response_model=Page[RetireeAccountPublic], summary="预派账号列表")
async def search_retiree_accounts(
    user: RetireeAccountManager,
    session: Session,
    clock: AppClock,
    f: Filter,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[RetireeAccountPublic]:
    items, total = await retiree_accounts.search(session, f, page, size, clock)
    return Page(items=items, total=total, page=page, size=size)


@router.post("/{account_id}/reset-password", response_model=TemporaryPassword, summary="重置预派账号密码")
async def reset_retiree_account_password(
    account_id: Annotated[int, Path(ge=1)], user: RetireeAccountManager, request: Request, session: Session
) -> TemporaryPassword:
    _, password = await retiree_accounts.reset_password(session, account_id)
    await request.app.state.session_store.close_all(account_id)
    return TemporaryPassword(temporary_password=password)
