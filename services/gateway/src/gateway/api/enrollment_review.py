"""会员专享保障 (2/2): 参保信息管理, the review chain (secondary and district unions), batches to the
insurer (district) and a member's coverage — passed on to the enrollment service under /api/enrollment.

Notices (PDF) and the statistics workbook are streamed through as the service sends them; the
workbook is served as `…/statistics.xlsx` so the operation log records it like every other file of data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from .deps import (
    BatchReader,
    BatchSubmitter,
    EnrollmentReader,
    EnrollmentReviewer,
    EnrollmentService,
    LapseRunner,
    Settings,
    UnionStaff,
)
from .enrollment import PREFIX, MemberId, PageNo, gateway_urls
from .relay import relay, relay_file

router = APIRouter(prefix=PREFIX, tags=["enrollment"])
BatchNo = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,40}$", description="批次编号 CB…")]
RequestId = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,64}$")]
Size = Annotated[int, Query(ge=1, le=200)]
LineSize = Annotated[int, Query(ge=1, le=500)]
EnrollmentType = Annotated[str | None, Query(description="集中参保 / 即时参保")]
STATES = "待审核 / 待提交 / 待缴费 / 已生效 / 已退回 / 已替代 / 已失效"


# --- 参保信息管理 (every union, scoped; the insurer city-wide) ------------------------------------------


@router.get("/submissions", summary="参保信息查询")
async def search_submissions(
    user: EnrollmentReader, request: Request, service: EnrollmentService, programme: str, year: int,
    enrollment_type: EnrollmentType = None,
    state: Annotated[str | None, Query(description=STATES)] = None,
    org_id: int | None = None, channel: str | None = None, batch_no: str | None = None,
    submitted_from: datetime | None = None, submitted_to: datetime | None = None,
    page: PageNo = 1, size: Size = 20,
) -> Response:  # fmt: skip
    return await relay(service, user, request, "/submissions")


@router.get("/submissions/{submission_id}", summary="参保提交详情")
async def get_submission(
    submission_id: int, user: EnrollmentReader, request: Request, service: EnrollmentService
) -> Response:
    return await relay(service, user, request, f"/submissions/{submission_id}")


@router.get("/submissions/{submission_id}/lines", summary="参保人员明细")
async def list_submission_lines(
    submission_id: int, user: EnrollmentReader, request: Request, service: EnrollmentService,
    page: PageNo = 1, size: LineSize = 50,
) -> Response:  # fmt: skip
    return await relay(service, user, request, f"/submissions/{submission_id}/lines")


@router.get("/requests/{request_id}/notice", summary="下载参保告知书")
async def download_request_notice(
    request_id: RequestId, user: UnionStaff, request: Request, service: EnrollmentService, settings: Settings
) -> Response:
    path = f"/requests/{request_id}/notice"
    return await relay_file(service, user, request, path, timeout=settings.upstream_file_timeout_seconds)


# --- 集中参保审核 / 即时参保审核 (secondary and district unions) ---------------------------------------------


@router.get("/review/pending", summary="待审批参保列表")
async def list_review_pending(
    user: EnrollmentReviewer, request: Request, service: EnrollmentService, programme: str, year: int,
    enrollment_type: EnrollmentType = None,
    unit_name: Annotated[str | None, Query(description="单位名称 (part)")] = None,
    unit_code: Annotated[str | None, Query(description="组织机构代码: union code or USCC")] = None,
    submitted_from: datetime | None = None, submitted_to: datetime | None = None,
    type_code: Annotated[str | None, Query(description="保障类型")] = None,
    channel: Annotated[str | None, Query(description="参保通道")] = None,
    upper_org_id: Annotated[int | None, Query(description="上级工会: unions under it")] = None,
    page: PageNo = 1, size: Size = 20,
) -> Response:  # fmt: skip
    return await relay(service, user, request, "/review/pending")


@router.get("/review/staged", summary="待提交参保列表")
async def list_review_staged(
    user: EnrollmentReviewer, request: Request, service: EnrollmentService, programme: str, year: int,
    enrollment_type: EnrollmentType = None, page: PageNo = 1, size: Size = 20,
) -> Response:  # fmt: skip
    return await relay(service, user, request, "/review/staged")


@router.post("/review/stage", summary="添加至待提交")
async def stage_submissions(user: EnrollmentReviewer, request: Request, service: EnrollmentService) -> Response:
    return await relay(service, user, request, "/review/stage")


@router.post("/review/unstage", summary="移出待提交")
async def unstage_submissions(user: EnrollmentReviewer, request: Request, service: EnrollmentService) -> Response:
    return await relay(service, user, request, "/review/unstage")


@router.post("/review/return", summary="退回参保信息")
async def return_submissions(user: EnrollmentReviewer, request: Request, service: EnrollmentService) -> Response:
    return await relay(service, user, request, "/review/return")


# --- 参保批次管理 (district submits; district, secondary, city and the insurer read) -----------------------


@router.post("/batches", status_code=201, summary="提交列表中的参保信息至职保中心")
async def submit_batch(user: BatchSubmitter, request: Request, service: EnrollmentService) -> Response:
    return await relay(service, user, request, "/batches", reshape=gateway_urls)


@router.get("/batches", summary="参保批次管理")
async def search_batches(
    user: BatchReader, request: Request, service: EnrollmentService,
    programme: str | None = None, year: int | None = None, batch_no: str | None = None,
    state: Annotated[str | None, Query(description="待缴费 / 已完成 / 已失效")] = None,
    enrollment_type: EnrollmentType = None,
    submitted_from: datetime | None = None, submitted_to: datetime | None = None,
    page: PageNo = 1, size: Size = 20,
) -> Response:  # fmt: skip
    return await relay(service, user, request, "/batches", reshape=gateway_urls)


@router.post("/batches/lapse-overdue", summary="逾期未缴费批次失效")
async def lapse_overdue_batches(user: LapseRunner, request: Request, service: EnrollmentService) -> Response:
    return await relay(service, user, request, "/batches/lapse-overdue")


@router.get("/batches/{batch_no}", summary="参保批次详情")
async def get_batch(batch_no: BatchNo, user: BatchReader, request: Request, service: EnrollmentService) -> Response:
    return await relay(service, user, request, f"/batches/{batch_no}", reshape=gateway_urls)


@router.get("/batches/{batch_no}/notice", summary="下载集中参保告知书")
async def download_batch_notice(
    batch_no: BatchNo, user: BatchReader, request: Request, service: EnrollmentService, settings: Settings
) -> Response:
    path = f"/batches/{batch_no}/notice"
    return await relay_file(service, user, request, path, timeout=settings.upstream_file_timeout_seconds)


@router.get("/batches/{batch_no}/statistics.xlsx", summary="下载集中参保统计表")
async def export_batch_statistics(
    batch_no: BatchNo, user: BatchReader, request: Request, service: EnrollmentService, settings: Settings
) -> Response:
    path = f"/batches/{batch_no}/statistics"
    return await relay_file(service, user, request, path, timeout=settings.upstream_file_timeout_seconds)


@router.get("/batches/{batch_no}/lines", summary="批次参保人员")
async def list_batch_lines(
    batch_no: BatchNo, user: BatchReader, request: Request, service: EnrollmentService,
    page: PageNo = 1, size: LineSize = 50,
) -> Response:  # fmt: skip
    return await relay(service, user, request, f"/batches/{batch_no}/lines")


# --- 保障信息查询 -------------------------------------------------------------------------------------------


@router.get("/members/{member_id}/coverage", summary="会员参保记录")
async def get_member_coverage(
    member_id: MemberId, user: EnrollmentReader, request: Request, service: EnrollmentService
) -> Response:
    return await relay(service, user, request, f"/members/{member_id}/coverage")
