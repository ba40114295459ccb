"""互助保障 参保编码: 短信验证码, attachments, 参保编码申请 with the insurer's review queue, the codes with
their units, 经办人填报, 单位名称变更 — under /mutual-aid.

Units (a grassroots union's or an enterprise's account) apply and act on their own; the insurer
(职保会) and the platform read everything and review. `HandlerReady` is the dependency other mutual-aid
routes with a `{code}` take first: the caller's code with its 经办人填报 complete, else 409
`handler.incomplete`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response

from runtime.db import Session
from runtime.spreadsheet import xlsx_response
from runtime.tokens import Caller, Tier, require

from ..domain.mutual_aid.codes import Plan
from ..models import EnrollmentCode
from ..schemas import Page
from ..schemas.codes import (
    ApplicationDetail,
    ApplicationIn,
    ApplicationOut,
    AttachmentOut,
    CodeOut,
    HandlerIn,
    HandlerOut,
    NameChangeIn,
    NameChangeOut,
    ReviewIn,
    SmsIn,
    SmsOut,
    UnitIn,
)
from ..service import attachments, code_views, codes, name_changes, sms
from ..service.code_views import ApplicationFilter, NameChangeFilter
from .deps import CipherDep, ClockDep

router = APIRouter(prefix="/mutual-aid", tags=["mutual-aid codes"])
UNITS = require(Tier.GRASSROOTS, Tier.ENTERPRISE)
INSURER = require(Tier.INSURER, Tier.ADMIN)
READERS = require(Tier.GRASSROOTS, Tier.ENTERPRISE, Tier.INSURER, Tier.ADMIN)
PageNo = Annotated[int, Query(ge=1)]
Size = Annotated[int, Query(ge=1, le=200)]
STATUS = "申请中 / 审核通过 / 审核不通过"
PLAN = "参保项目: mutual_aid 互助保障 / retiree 退休住院计划"


def _gate(request: Request) -> sms.SmsGate:
    gate: sms.SmsGate = request.app.state.sms
    return gate


Gate = Annotated[sms.SmsGate, Depends(_gate)]


async def handler_ready(code: str, session: Session, caller: Caller) -> EnrollmentCode:
    """For routes with a `{code}`: the caller's code, its handler info saved (else 409 handler.incomplete)."""
    async with session.begin():
        return await codes.require_handler(session, caller, code)


HandlerReady = Annotated[EnrollmentCode, Depends(handler_ready)]


# --- 短信验证码, attachments ------------------------------------------------------------------------------


@router.post("/sms-codes", response_model=SmsOut, status_code=201, dependencies=[UNITS])
async def send_sms_code(data: SmsIn, session: Session, caller: Caller, gate: Gate, clock: ClockDep) -> SmsOut:
    sent = await sms.send(session, gate, caller, data.purpose, data.phone, clock.now())
    return SmsOut(
        phone=sent.phone_masked, expires_at=sent.expires_at, resend_after_seconds=sent.resend_after_seconds,
        code=sent.code,
    )  # fmt: skip


@router.post("/attachments", response_model=AttachmentOut, status_code=201, dependencies=[UNITS])
async def upload_attachment(
    request: Request, session: Session, caller: Caller, clock: ClockDep,
    file_name: Annotated[str, Query(min_length=1, max_length=200, description="the file's name (.png/.jpg/.pdf)")],
) -> AttachmentOut:  # fmt: skip
    """The file itself is the body (Content-Type: image/png, image/jpeg or application/pdf)."""
    limit = request.app.state.settings.attachment_max_bytes
    content = await attachments.read_body(request, limit)
    return await attachments.upload(session, caller, file_name, content, limit, clock.now())


@router.get("/attachments/{attachment_id}", dependencies=[READERS])
async def download_attachment(attachment_id: str, session: Session, caller: Caller) -> Response:
    row = await attachments.fetch(session, caller, attachment_id)
    return file_response(row.file_name, row.content_type, row.content)


def file_response(file_name: str, media_type: str, content: bytes) -> Response:
    """Always a download, never rendered in the browser's origin (nosniff, a sandboxing CSP)."""
    fallback = "attachment.pdf" if media_type == "application/pdf" else "attachment"
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )


# --- 参保编码申请 ------------------------------------------------------------------------------------------


def _app_filter(
    unit_name: str | None = None, status: Annotated[str | None, Query(description=STATUS)] = None,
    committee: str | None = None, code: str | None = None, submitted_from: datetime | None = None,
    submitted_to: datetime | None = None, plan: Annotated[Plan | None, Query(description=PLAN)] = None,
) -> ApplicationFilter:  # fmt: skip
    return ApplicationFilter(unit_name, status, committee, code, submitted_from, submitted_to, plan)


AppFilter = Annotated[ApplicationFilter, Depends(_app_filter)]


@router.post("/code-applications", response_model=ApplicationDetail, status_code=201, dependencies=[UNITS])
async def apply_for_code(
    data: ApplicationIn, session: Session, caller: Caller, gate: Gate, cipher: CipherDep, clock: ClockDep
) -> ApplicationDetail:
    application_id = await codes.apply(session, caller, data, gate, cipher, clock.now())
    return await code_views.application(session, caller, application_id, cipher)


@router.get("/code-applications", response_model=Page[ApplicationOut], dependencies=[READERS])
async def list_code_applications(
    session: Session, caller: Caller, f: AppFilter, page: PageNo = 1, size: Size = 20
) -> Page[ApplicationOut]:
    items, total = await code_views.applications(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/code-applications/export", dependencies=[READERS])
async def export_code_applications(session: Session, caller: Caller, f: AppFilter) -> Response:
    return xlsx_response("参保编码申请.xlsx", await code_views.export_applications(session, caller, f))


@router.get("/code-applications/{application_id}", response_model=ApplicationDetail, dependencies=[READERS])
async def get_code_application(
    application_id: int, session: Session, caller: Caller, cipher: CipherDep
) -> ApplicationDetail:
    return await code_views.application(session, caller, application_id, cipher)


@router.put("/code-applications/{application_id}", response_model=ApplicationDetail, dependencies=[UNITS])
async def resubmit_code_application(
    application_id: int, data: ApplicationIn, session: Session, caller: Caller, gate: Gate, cipher: CipherDep,
    clock: ClockDep,
) -> ApplicationDetail:  # fmt: skip
    await codes.resubmit(session, caller, application_id, data, gate, cipher, clock.now())
    return await code_views.application(session, caller, application_id, cipher)


@router.post("/code-applications/{application_id}/approve", response_model=ApplicationDetail, dependencies=[INSURER])
async def approve_code_application(
    application_id: int, session: Session, caller: Caller, cipher: CipherDep, clock: ClockDep
) -> ApplicationDetail:
    await codes.approve(session, caller, application_id, cipher, clock.now())
    return await code_views.application(session, caller, application_id, cipher)


@router.post("/code-applications/{application_id}/reject", response_model=ApplicationDetail, dependencies=[INSURER])
async def reject_code_application(
    application_id: int, data: ReviewIn, session: Session, caller: Caller, cipher: CipherDep, clock: ClockDep
) -> ApplicationDetail:
    await codes.reject(session, caller, application_id, data.reason, clock.now())
    return await code_views.application(session, caller, application_id, cipher)


# --- codes, their units, 经办人填报 ---------------------------------------------------------------------------


@router.get("/codes", response_model=Page[CodeOut], dependencies=[READERS])
async def list_codes(
    session: Session, caller: Caller, code: str | None = None, unit_name: str | None = None,
    page: PageNo = 1, size: Size = 20,
) -> Page[CodeOut]:  # fmt: skip
    items, total = await code_views.codes(session, caller, code, unit_name, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/codes/{code}", response_model=CodeOut, dependencies=[READERS])
async def get_code(code: str, session: Session, caller: Caller) -> CodeOut:
    return await code_views.code(session, caller, code)


@router.get("/codes/{code}/handler", response_model=HandlerOut, dependencies=[READERS])
async def get_handler(code: str, session: Session, caller: Caller, cipher: CipherDep) -> HandlerOut:
    return await code_views.handler(session, caller, code, cipher)


@router.put("/codes/{code}/handler", response_model=HandlerOut, dependencies=[UNITS])
async def save_handler(
    code: str, data: HandlerIn, session: Session, caller: Caller, gate: Gate, cipher: CipherDep, clock: ClockDep
) -> HandlerOut:
    await codes.save_handler(session, caller, code, data, gate, cipher, clock.now())
    return await code_views.handler(session, caller, code, cipher)


@router.post("/codes/{code}/units", response_model=CodeOut, status_code=201, dependencies=[UNITS])
async def add_code_unit(
    ready: HandlerReady, data: UnitIn, session: Session, caller: Caller, cipher: CipherDep, clock: ClockDep
) -> CodeOut:
    await codes.add_unit(session, caller, ready.code, data, cipher, clock.now())
    return await code_views.code(session, caller, ready.code)


@router.delete("/codes/{code}/units/{unit_id}", response_model=CodeOut, dependencies=[UNITS])
async def remove_code_unit(ready: HandlerReady, unit_id: int, session: Session, caller: Caller) -> CodeOut:
    await codes.remove_unit(session, caller, ready.code, unit_id)
    return await code_views.code(session, caller, ready.code)


# --- 单位名称变更 ------------------------------------------------------------------------------------------


def _change_filter(
    status: Annotated[str | None, Query(description=STATUS)] = None, code: str | None = None,
    unit_name: str | None = None,
) -> NameChangeFilter:  # fmt: skip
    return NameChangeFilter(status, code, unit_name)


ChangeFilter = Annotated[NameChangeFilter, Depends(_change_filter)]


@router.post("/codes/{code}/name-changes", response_model=NameChangeOut, status_code=201, dependencies=[UNITS])
async def apply_for_name_change(
    ready: HandlerReady, data: NameChangeIn, session: Session, caller: Caller, cipher: CipherDep, clock: ClockDep
) -> NameChangeOut:
    change_id = await name_changes.apply(session, caller, ready.code, data, cipher, clock.now())
    return await code_views.name_change(session, caller, change_id)


@router.get("/name-changes", response_model=Page[NameChangeOut], dependencies=[READERS])
async def list_name_changes(
    session: Session, caller: Caller, f: ChangeFilter, page: PageNo = 1, size: Size = 20
) -> Page[NameChangeOut]:
    items, total = await code_views.name_changes(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/name-changes/export", dependencies=[READERS])
async def export_name_changes(session: Session, caller: Caller, f: ChangeFilter) -> Response:
    return xlsx_response("单位名称变更.xlsx", await code_views.export_name_changes(session, caller, f))


@router.get("/name-changes/{change_id}", response_model=NameChangeOut, dependencies=[READERS])
async def get_name_change(change_id: int, session: Session, caller: Caller) -> NameChangeOut:
    return await code_views.name_change(session, caller, change_id)


@router.post("/name-changes/{change_id}/approve", response_model=NameChangeOut, dependencies=[INSURER])
async def approve_name_change(
    change_id: int, session: Session, caller: Caller, cipher: CipherDep, clock: ClockDep
) -> NameChangeOut:
    await name_changes.approve(session, caller, change_id, cipher, clock.now())
    return await code_views.name_change(session, caller, change_id)


@router.post("/name-changes/{change_id}/reject", response_model=NameChangeOut, dependencies=[INSURER])
async def reject_name_change(
    change_id: int, data: ReviewIn, session: Session, caller: Caller, clock: ClockDep
) -> NameChangeOut:
    await name_changes.reject(session, caller, change_id, data.reason, clock.now())
    return await code_views.name_change(session, caller, change_id)
