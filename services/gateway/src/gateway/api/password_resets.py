"""找回密码（未建会单位）and its review (平台管理员)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from runtime.db import Session
from runtime.identity import mask_phone

from ..models import (
    Page,
    PasswordResetApproved,
    PasswordResetCreate,
    PasswordResetCreated,
    PasswordResetPublic,
    PasswordResetStatus,
    Rejection,
)
from ..service import password_resets
from ..service.password_resets import PasswordResetFilter, PasswordResetGuards
from .deps import AppClock, PasswordResetReviewer, Settings, add_targets, client_ip
from .exports import EXPORT_LIMIT, xlsx

router = APIRouter(prefix="/api/password-resets", tags=["password resets"])
STATUS_LABELS = {"pending": "待审核", "approved": "已通过", "rejected": "已驳回"}


def password_reset_filter(
    status: PasswordResetStatus | None = None, name: str | None = None, uscc: str | None = None
) -> PasswordResetFilter:
    return PasswordResetFilter(status, name, uscc)


Filter = Annotated[PasswordResetFilter, Depends(password_reset_filter)]


def masked(r: PasswordResetPublic) -> PasswordResetPublic:
    return r.model_copy(update={"phone": mask_phone(r.phone)})


@router.post("", response_model=PasswordResetCreated, status_code=201, summary="申请重置密码（未建会单位）")
async def apply_password_reset(
    data: PasswordResetCreate, request: Request, session: Session, settings: Settings, clock: AppClock
) -> PasswordResetCreated:
    request.state.audit_account = data.uscc.strip().upper()
    guards = PasswordResetGuards(
        request.app.state.captchas,
        request.app.state.limiter,
        settings.password_reset_rate_per_ip,
        settings.password_reset_rate_per_account,
    )
    r = await password_resets.apply(session, data, client_ip(request), guards, clock)
    add_targets(request, f"password_reset_id={r.id}", f"account_id={r.account_id}")
    assert r.id is not None
    return PasswordResetCreated(id=r.id, status=r.status)


@router.get("", response_model=Page[PasswordResetPublic], summary="密码重置申请列表")
async def search_password_resets(
    _: PasswordResetReviewer,
    session: Session,
    f: Filter,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[PasswordResetPublic]:
    items, total = await password_resets.search(session, f, page, size)
    return Page(items=[masked(r) for r in items], total=total, page=page, size=size)


@router.get("/export", summary="导出密码重置申请")
async def export_password_resets(_: PasswordResetReviewer, session: Session, f: Filter) -> Response:
    rows = await password_resets.iter_all(session, f, EXPORT_LIMIT)
    header = [
        "单位名称",
        "统一社会信用代码",
        "联系人",
        "联系电话",
        "申请原因",
        "状态",
        "申请时间",
        "审核人",
        "审核时间",
        "驳回原因",
    ]
    return xlsx(
        "密码重置申请.xlsx",
        header,
        (
            [
                r.name,
                r.uscc,
                r.contact,
                mask_phone(r.phone),
                r.reason,
                STATUS_LABELS[r.status.value],
                r.created_at,
                r.reviewed_by,
                r.reviewed_at,
                r.rejection_reason,
            ]
            for r in rows
        ),
    )


@router.post("/{password_reset_id}/approve", response_model=PasswordResetApproved, summary="密码重置申请通过")
async def approve_password_reset(
    password_reset_id: int, reviewer: PasswordResetReviewer, request: Request, session: Session, clock: AppClock
) -> PasswordResetApproved:
    reviewed, password = await password_resets.approve(session, reviewer, password_reset_id, clock)
    add_targets(request, f"account_id={reviewed.account_id}")
    # Whoever holds a session of the account (the reason to apply, maybe) is signed out.
    await request.app.state.session_store.close_all(reviewed.account_id)
    return PasswordResetApproved(**masked(reviewed).model_dump(), temporary_password=password)


@router.post("/{password_reset_id}/reject", response_model=PasswordResetPublic, summary="密码重置申请驳回")
async def reject_password_reset(
    password_reset_id: int, data: Rejection, reviewer: PasswordResetReviewer, session: Session, clock: AppClock
) -> PasswordResetPublic:
    return masked(await password_resets.reject(session, reviewer, password_reset_id, data.reason, clock))
