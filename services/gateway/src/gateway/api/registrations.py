"""企业注册 and its review (平台管理员)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from runtime.db import Session
from runtime.identity import mask_phone

from ..models import (
    Page,
    RegistrationCreate,
    RegistrationCreated,
    RegistrationPublic,
    RegistrationStatus,
    Rejection,
)
from ..service import registrations
from ..service.registrations import RegistrationFilter, RegistrationGuards
from .deps import AppClock, OrgService, RegistrationReader, RegistrationReviewer, Settings, add_targets, client_ip
from .exports import EXPORT_LIMIT, xlsx

router = APIRouter(prefix="/api/registrations", tags=["registrations"])


def registration_filter(
    status: RegistrationStatus | None = None, name: str | None = None, uscc: str | None = None
) -> RegistrationFilter:
    return RegistrationFilter(status, name, uscc)


Filter = Annotated[RegistrationFilter, Depends(registration_filter)]


def masked(r: RegistrationPublic) -> RegistrationPublic:
    return r.model_copy(update={"phone": mask_phone(r.phone)})


@router.post("", response_model=RegistrationCreated, status_code=201, summary="企业注册")
async def register(
    data: RegistrationCreate, request: Request, session: Session, settings: Settings, clock: AppClock
) -> RegistrationCreated:
    request.state.audit_account = data.uscc.strip().upper()
    guards = RegistrationGuards(
        request.app.state.captchas, request.app.state.limiter, settings.registration_rate_per_ip
    )
    r = await registrations.register(session, data, client_ip(request), guards, settings.password_policy, clock)
    add_targets(request, f"registration_id={r.id}", f"account_id={r.account_id}")
    assert r.id is not None
    return RegistrationCreated(id=r.id, status=r.status, account=r.uscc)


@router.get("", response_model=Page[RegistrationPublic], summary="企业注册审核列表")
async def search_registrations(
    _: RegistrationReader,
    session: Session,
    f: Filter,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[RegistrationPublic]:
    items, total = await registrations.search(session, f, page, size)
    return Page(items=[masked(r) for r in items], total=total, page=page, size=size)


@router.get("/export", summary="导出企业注册列表")
async def export_registrations(_: RegistrationReader, session: Session, f: Filter) -> Response:
    rows = await registrations.iter_all(session, f, EXPORT_LIMIT)
    header = [
        "单位名称",
        "统一社会信用代码",
        "联系人",
        "联系电话",
        "登录账号",
        "状态",
        "申请时间",
        "审核人",
        "审核时间",
        "原因",
    ]
    status = {"pending": "待审核", "approved": "已通过", "rejected": "未通过"}
    return xlsx(
        "企业注册列表.xlsx",
        header,
        (
            [
                r.name,
                r.uscc,
                r.contact,
                mask_phone(r.phone),
                r.account,
                status[r.status.value],
                r.created_at,
                r.reviewed_by,
                r.reviewed_at,
                r.reason,
            ]
            for r in rows
        ),
    )


@router.post("/{registration_id}/approve", response_model=RegistrationPublic, summary="企业注册审核通过")
async def approve_registration(
    registration_id: int, reviewer: RegistrationReviewer, session: Session, org: OrgService, clock: AppClock
) -> RegistrationPublic:
    return masked(await registrations.approve(session, reviewer, registration_id, org, clock))


@router.post("/{registration_id}/reject", response_model=RegistrationPublic, summary="企业注册审核不通过")
async def reject_registration(
    registration_id: int, data: Rejection, reviewer: RegistrationReviewer, session: Session, clock: AppClock
) -> RegistrationPublic:
    return masked(await registrations.reject(session, reviewer, registration_id, data.reason, clock))
