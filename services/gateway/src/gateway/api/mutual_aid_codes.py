"""互助保障 参保编码 (manual 002 二(二)): 短信验证码, attachments, 参保编码申请 and the insurer's review queue,
the codes with their units, 经办人填报, 单位名称变更 — passed on to the enrollment service under
/api/mutual-aid, by the service's own paths.

The service keeps a unit (a grassroots union's or an enterprise's account) to what its account applied
for (anything else 404) and lets the insurer and the platform read everything; the gateway keeps each
action to its tier: units apply, the insurer (职保会) and the platform review. Attachments are uploaded
as the body itself (`?file_name=`, their own body limit) and streamed back as the service sends them.
The `url` of an attachment in an answer names the service's path: it is rewritten to the gateway's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response

from .deps import EnrollmentService, MutualAidReader, MutualAidReviewer, MutualAidUnit, Settings
from .relay import file_urls, relay, relay_file

PREFIX = "/api/mutual-aid"
SERVICE = "/mutual-aid"
router = APIRouter(prefix=PREFIX, tags=["mutual-aid codes"])
# The upload route's own body limit (see main.py): the file itself, 10 MB at the service.
UPLOAD_ROUTES = (("POST", f"{PREFIX}/attachments"),)
ApplicationId = Annotated[int, Path(ge=1, description="参保编码申请编号")]
ChangeId = Annotated[int, Path(ge=1, description="单位名称变更申请编号")]
UnitId = Annotated[int, Path(ge=1)]
Code = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,10}$", description="参保编码")]
AttachmentId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
PageNo = Annotated[int, Query(ge=1)]
Size = Annotated[int, Query(ge=1, le=200)]
STATUS = "申请中 / 审核通过 / 审核不通过"
# 参保项目: an application is for 互助保障 or for the 退休住院计划 (its 新参保编码申请, manual 003 四)
PLAN = "mutual_aid (互助保障) / retiree (退休住院计划)"


gateway_urls = file_urls(SERVICE)


async def _relay(service: Any, user: Any, request: Request, path: str) -> Response:
    return await relay(service, user, request, SERVICE + path, reshape=gateway_urls)


# --- 短信验证码, attachments (units) ---------------------------------------------------------------------


@router.post("/sms-codes", status_code=201, summary="获取短信验证码")
async def send_sms_code(user: MutualAidUnit, request: Request, service: EnrollmentService) -> Response:
    return await _relay(service, user, request, "/sms-codes")


@router.post("/attachments", status_code=201, summary="上传附件")
async def upload_attachment(
    user: MutualAidUnit, request: Request, service: EnrollmentService,
    file_name: Annotated[str, Query(min_length=1, max_length=200)],
) -> Response:  # fmt: skip
    """The file itself is the body (image/png, image/jpeg or application/pdf)."""
    return await _relay(service, user, request, "/attachments")


@router.get("/attachments/{attachment_id}", summary="下载附件")
async def download_attachment(
    attachment_id: AttachmentId, user: MutualAidReader, request: Request, service: EnrollmentService,
    settings: Settings,
) -> Response:  # fmt: skip
    path = f"{SERVICE}/attachments/{attachment_id}"
    return await relay_file(service, user, request, path, timeout=settings.upstream_file_timeout_seconds)


# --- 参保编码申请 (units apply and resubmit; the insurer reviews) -----------------------------------------


@router.post("/code-applications", status_code=201, summary="申请参保编码")
async def apply_for_code(user: MutualAidUnit, request: Request, service: EnrollmentService) -> Response:
    return await _relay(service, user, request, "/code-applications")


@router.get("/code-applications", summary="参保编码申请列表")
async def search_code_applications(
    user: MutualAidReader, request: Request, service: EnrollmentService,
    unit_name: str | None = None, status: Annotated[str | None, Query(description=STATUS)] = None,
    committee: str | None = None, code: str | None = None, submitted_from: datetime | None = None,
    submitted_to: datetime | None = None, plan: Annotated[str | None, Query(description=PLAN)] = None,
    page: PageNo = 1, size: Size = 20,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, "/code-applications")


@router.get("/code-applications/export", summary="导出参保编码申请")
async def export_code_applications(
    user: MutualAidReader, request: Request, service: EnrollmentService, settings: Settings,
    unit_name: str | None = None, status: Annotated[str | None, Query(description=STATUS)] = None,
    committee: str | None = None, code: str | None = None, submitted_from: datetime | None = None,
    submitted_to: datetime | None = None, plan: Annotated[str | None, Query(description=PLAN)] = None,
) -> Response:  # fmt: skip
    path = f"{SERVICE}/code-applications/export"
    return await relay_file(service, user, request, path, timeout=settings.upstream_file_timeout_seconds)


@router.get("/code-applications/{application_id}", summary="参保编码申请详情")
async def get_code_application(
    application_id: ApplicationId, user: MutualAidReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/code-applications/{application_id}")


@router.put("/code-applications/{application_id}", summary="修改后重新提交参保编码申请")
async def resubmit_code_application(
    application_id: ApplicationId, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/code-applications/{application_id}")


@router.post("/code-applications/{application_id}/approve", summary="参保编码申请审核通过")
async def approve_code_application(
    application_id: ApplicationId, user: MutualAidReviewer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/code-applications/{application_id}/approve")


@router.post("/code-applications/{application_id}/reject", summary="参保编码申请审核不通过")
async def reject_code_application(
    application_id: ApplicationId, user: MutualAidReviewer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/code-applications/{application_id}/reject")


# --- codes, their units, 经办人填报 ---------------------------------------------------------------------------


def _code(code: str) -> str:
    return f"/codes/{quote(code, safe='')}"


@router.get("/codes", summary="参保编码列表")
async def search_codes(
    user: MutualAidReader, request: Request, service: EnrollmentService, code: str | None = None,
    unit_name: str | None = None, page: PageNo = 1, size: Size = 20,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, "/codes")


@router.get("/codes/{code}", summary="参保编码详情")
async def get_enrollment_code(
    code: Code, user: MutualAidReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _code(code))


@router.get("/codes/{code}/handler", summary="经办人信息")
async def get_code_handler(code: Code, user: MutualAidReader, request: Request, service: EnrollmentService) -> Response:
    return await _relay(service, user, request, f"{_code(code)}/handler")


@router.put("/codes/{code}/handler", summary="经办人填报")
async def save_code_handler(code: Code, user: MutualAidUnit, request: Request, service: EnrollmentService) -> Response:
    return await _relay(service, user, request, f"{_code(code)}/handler")


@router.post("/codes/{code}/units", status_code=201, summary="添加参保单位")
async def add_code_unit(code: Code, user: MutualAidUnit, request: Request, service: EnrollmentService) -> Response:
    return await _relay(service, user, request, f"{_code(code)}/units")


@router.delete("/codes/{code}/units/{unit_id}", summary="移除参保单位")
async def remove_code_unit(
    code: Code, unit_id: UnitId, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"{_code(code)}/units/{unit_id}")


# --- 单位名称变更 ------------------------------------------------------------------------------------------


@router.post("/codes/{code}/name-changes", status_code=201, summary="申请单位名称变更")
async def apply_for_name_change(
    code: Code, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"{_code(code)}/name-changes")


@router.get("/name-changes", summary="单位名称变更列表")
async def search_name_changes(
    user: MutualAidReader, request: Request, service: EnrollmentService,
    status: Annotated[str | None, Query(description=STATUS)] = None, code: str | None = None,
    unit_name: str | None = None, page: PageNo = 1, size: Size = 20,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, "/name-changes")


@router.get("/name-changes/export", summary="导出单位名称变更")
async def export_name_changes(
    user: MutualAidReader, request: Request, service: EnrollmentService, settings: Settings,
    status: Annotated[str | None, Query(description=STATUS)] = None, code: str | None = None,
    unit_name: str | None = None,
) -> Response:  # fmt: skip
    path = f"{SERVICE}/name-changes/export"
    return await relay_file(service, user, request, path, timeout=settings.upstream_file_timeout_seconds)


@router.get("/name-changes/{change_id}", summary="单位名称变更详情")
async def get_name_change(
    change_id: ChangeId, user: MutualAidReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/name-changes/{change_id}")


@router.post("/name-changes/{change_id}/approve", summary="单位名称变更审核通过")
async def approve_name_change(
    change_id: ChangeId, user: MutualAidReviewer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/name-changes/{change_id}/approve")


@router.post("/name-changes/{change_id}/reject", summary="单位名称变更审核不通过")
async def reject_name_change(
    change_id: ChangeId, user: MutualAidReviewer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/name-changes/{change_id}/reject")
