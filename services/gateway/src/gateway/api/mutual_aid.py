"""互助保障 参保批次 (manual 002 二(三)–(四), 三): the programme year, 参保批次管理, 参保清册 (uploads in the
background, from last year, from the member registry, 设置在职), 清册校验 and 清册提交, attachments and the
insurer's review (职保会审核), 保障项目选择 and the operation log — passed on to the enrollment service under
/api/mutual-aid, by the service's own paths.

The service scopes every batch (a unit works its own code's batches, upper unions read their subtree's,
the city, the insurer and the platform read all; anything else is 404), masks ID numbers and phones,
enforces windows and statuses; the gateway keeps each action to its tier: units act, the insurer and the
platform review, the city sets the year's rules. Roster files and attachments are the request body
itself (`?file_name=`, their own body limit), passed on with their content type; files come back as
the service streams them. An attachment's `url` is rewritten to the gateway's path, and each operation
of the log gets its actor's name.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from ..service.accounts import names_of
from .deps import (
    EnrollmentService,
    MutualAidBatchReader,
    MutualAidReviewer,
    MutualAidUnit,
    ProgrammeEditor,
    Settings,
)
from .mutual_aid_codes import gateway_urls
from .relay import relay, relay_file

PREFIX = "/api/mutual-aid"
SERVICE = "/mutual-aid"
router = APIRouter(prefix=PREFIX, tags=["mutual-aid batches"])
# The upload routes' own body limit (see main.py): the roster (20 MB) and attachments (10 MB) at the service.
UPLOAD_ROUTES = (
    ("POST", f"{PREFIX}/batches/{{batch_no}}/imports"),
    ("POST", f"{PREFIX}/batches/{{batch_no}}/attachments"),
    ("POST", f"{PREFIX}/years/{{year}}/suggested/upload"),
    ("POST", f"{PREFIX}/years/{{year}}/headcounts/upload"),
)
Year = Annotated[int, Path(ge=2000, le=2999, description="保障年度 (July 1 → June 30)")]
BatchNo = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,40}$", description="参保批次号 (HZ…)")]
RowId = Annotated[int, Path(ge=1)]
ImportId = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,64}$")]
CheckId = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,64}$")]
AttachmentId = Annotated[int, Path(ge=1)]
PageNo = Annotated[int, Query(ge=1)]
Size = Annotated[int, Query(ge=1, le=200)]
RowSize = Annotated[int, Query(ge=1, le=500)]
FileName = Annotated[str, Query(min_length=1, max_length=200, description="the file's name")]
BATCH_STATUS = (
    "清册待校验 / 清册校验不通过 / 清册校验通过 / 职保会待审核 / 职保会审核通过 / 职保会审核不通过 / "
    "缴费凭证待上传 / 审核中 / 参保已完成"
)
ATTACHMENT_KIND = (
    "情况说明 / 社保缴费申报表 / 退工单 / 人员转出核定表 / 人员转入核定表 / 劳务派遣说明 / 任命书 / 人员确认承诺书"
)


def _batch(batch_no: str, rest: str = "") -> str:
    return f"/batches/{quote(batch_no, safe='')}{rest}"


async def _relay(service: Any, user: Any, request: Request, path: str, timeout: float | None = None) -> Response:
    return await relay(service, user, request, SERVICE + path, reshape=gateway_urls, timeout=timeout)


# --- the year ------------------------------------------------------------------------------------------


@router.get("/years/open", summary="当前可办理的保障年度")
async def list_open_mutual_aid_years(
    user: MutualAidBatchReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, "/years/open")


@router.get("/years/{year}", summary="互助保障年度（保障项目、缴费标准、窗口、规则）")
async def get_mutual_aid_year(
    year: Year, user: MutualAidBatchReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/years/{year}")


@router.put("/years/{year}/rules", summary="设置年度校验规则")
async def put_mutual_aid_rules(
    year: Year, user: ProgrammeEditor, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/years/{year}/rules")


@router.put("/years/{year}/suggested", summary="导入建议清册")
async def put_suggested_roster(
    year: Year, user: MutualAidReviewer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/years/{year}/suggested")


@router.put("/years/{year}/headcounts", summary="导入单位社保在职人数")
async def put_unit_headcounts(
    year: Year, user: MutualAidReviewer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/years/{year}/headcounts")


# 建议清册 and 社保在职人数 as files: loaded whole or not at all (the service answers every wrong row), listed
# with the ID numbers masked, exported with the list's filters.


@router.get("/suggested-template", summary="下载建议清册导入模板")
async def download_suggested_template(
    user: MutualAidReviewer, request: Request, service: EnrollmentService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, f"{SERVICE}/suggested-template", timeout=timeout)


@router.post("/years/{year}/suggested/upload", summary="上传建议清册文件")
async def upload_suggested_roster(
    year: Year, file_name: FileName, user: MutualAidReviewer, request: Request, service: EnrollmentService,
    settings: Settings,
) -> Response:  # fmt: skip
    """The .xlsx itself is the body; a file with a wrong row loads nothing (422 with every wrong row).
    Read and saved in the request (50,000 rows take about a minute): the file wait, not the API one."""
    timeout = settings.upstream_file_timeout_seconds
    return await _relay(service, user, request, f"/years/{year}/suggested/upload", timeout)


@router.get("/years/{year}/suggested", summary="建议清册")
async def search_suggested_roster(
    year: Year, user: MutualAidReviewer, request: Request, service: EnrollmentService,
    unit_code: Annotated[str | None, Query(description="单位社保编码 (beginning)")] = None,
    name: Annotated[str | None, Query(description="姓名 (part)")] = None,
    id_number: Annotated[str | None, Query(description="证件号码 (the whole number)")] = None,
    page: PageNo = 1, size: RowSize = 15,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, f"/years/{year}/suggested")


@router.get("/years/{year}/suggested/export", summary="导出建议清册")
async def export_suggested_roster(
    year: Year, user: MutualAidReviewer, request: Request, service: EnrollmentService, settings: Settings,
    unit_code: str | None = None, name: str | None = None, id_number: str | None = None,
) -> Response:  # fmt: skip
    path, timeout = f"{SERVICE}/years/{year}/suggested/export", settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, path, timeout=timeout)


@router.get("/headcount-template", summary="下载社保在职人数导入模板")
async def download_headcount_template(
    user: MutualAidReviewer, request: Request, service: EnrollmentService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, f"{SERVICE}/headcount-template", timeout=timeout)


@router.post("/years/{year}/headcounts/upload", summary="上传社保在职人数文件")
async def upload_unit_headcounts(
    year: Year, file_name: FileName, user: MutualAidReviewer, request: Request, service: EnrollmentService,
    settings: Settings,
) -> Response:  # fmt: skip
    timeout = settings.upstream_file_timeout_seconds
    return await _relay(service, user, request, f"/years/{year}/headcounts/upload", timeout)


@router.get("/years/{year}/headcounts", summary="社保在职人数")
async def search_unit_headcounts(
    year: Year, user: MutualAidReviewer, request: Request, service: EnrollmentService,
    unit_code: Annotated[str | None, Query(description="单位社保编码 (beginning)")] = None,
    unit_name: Annotated[str | None, Query(description="单位名称 (part)")] = None,
    page: PageNo = 1, size: RowSize = 15,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, f"/years/{year}/headcounts")


@router.get("/years/{year}/headcounts/export", summary="导出社保在职人数")
async def export_unit_headcounts(
    year: Year, user: MutualAidReviewer, request: Request, service: EnrollmentService, settings: Settings,
    unit_code: str | None = None, unit_name: str | None = None,
) -> Response:  # fmt: skip
    path, timeout = f"{SERVICE}/years/{year}/headcounts/export", settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, path, timeout=timeout)


@router.get("/roster-template", summary="下载参保名单导入模板")
async def download_roster_template(
    user: MutualAidBatchReader, request: Request, service: EnrollmentService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, f"{SERVICE}/roster-template", timeout=timeout)


# --- 参保批次管理 -----------------------------------------------------------------------------------------


@router.post("/batches", status_code=201, summary="集中参保办理 / 即时参保办理")
async def create_mutual_aid_batch(user: MutualAidUnit, request: Request, service: EnrollmentService) -> Response:
    return await _relay(service, user, request, "/batches")


@router.get("/batches", summary="参保批次列表")
async def search_mutual_aid_batches(
    user: MutualAidBatchReader, request: Request, service: EnrollmentService,
    year: int | None = None, enrollment_type: Annotated[str | None, Query(description="集中参保 / 即时参保")] = None,
    status: Annotated[str | None, Query(description=BATCH_STATUS)] = None,
    batch_no: Annotated[str | None, Query(description="批次号 (prefix)")] = None,
    code: str | None = None, unit_name: Annotated[str | None, Query(description="单位名称 (part)")] = None,
    page: PageNo = 1, size: Size = 15,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, "/batches")


@router.get("/batches/{batch_no}", summary="参保批次详情")
async def get_mutual_aid_batch(
    batch_no: BatchNo, user: MutualAidBatchReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no))


@router.delete("/batches/{batch_no}", status_code=204, summary="批次删除")
async def delete_mutual_aid_batch(
    batch_no: BatchNo, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no))


@router.post("/batches/{batch_no}/withdraw", summary="批次撤回（填写原因）")
async def withdraw_mutual_aid_batch(
    batch_no: BatchNo, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/withdraw"))


@router.get("/batches/{batch_no}/operations", summary="操作日志")
async def list_batch_operations(
    batch_no: BatchNo, user: MutualAidBatchReader, request: Request, service: EnrollmentService
) -> Response:
    """Each step with its actor's name beside the account id (`actor_name`)."""
    answered = await _relay(service, user, request, _batch(batch_no, "/operations"))
    if answered.status_code != 200:
        return answered
    operations = json.loads(bytes(answered.body))
    ids = {int(o["actor_id"]) for o in operations if str(o.get("actor_id", "")).isdigit()}
    async with request.app.state.sessions() as session:
        names = await names_of(session, ids)
    for o in operations:
        actor = str(o.get("actor_id", ""))
        o["actor_name"] = names.get(int(actor)) if actor.isdigit() else None
    return JSONResponse(operations)


# --- 参保清册 (参保批次人员管理) -------------------------------------------------------------------------------


@router.get("/batches/{batch_no}/rows", summary="参保清册人员")
async def list_roster_rows(
    batch_no: BatchNo, user: MutualAidBatchReader, request: Request, service: EnrollmentService,
    name: str | None = None, id_number: str | None = None,
    employment: Annotated[str | None, Query(description="职退状态: 在职 / 退休 / -")] = None,
    over_age: Annotated[bool | None, Query(description="是否超龄")] = None,
    problem: Annotated[bool | None, Query(description="rows the last 清册校验 flagged")] = None,
    page: PageNo = 1, size: RowSize = 15,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, _batch(batch_no, "/rows"))


@router.patch("/batches/{batch_no}/rows/{row_id}", status_code=204, summary="编辑参保人员（非身份证）")
async def edit_roster_row(
    batch_no: BatchNo, row_id: RowId, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, f"/rows/{row_id}"))


@router.put("/batches/{batch_no}/rows/{row_id}/over-age-kept", status_code=204, summary="社保尚在缴金（超龄保留）")
async def keep_over_age_row(
    batch_no: BatchNo, row_id: RowId, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, f"/rows/{row_id}/over-age-kept"))


@router.put("/batches/{batch_no}/rows/{row_id}/name", status_code=204, summary="姓名匹配异常，人工确认")
async def choose_roster_name(
    batch_no: BatchNo, row_id: RowId, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, f"/rows/{row_id}/name"))


@router.delete("/batches/{batch_no}/rows/{row_id}", summary="删除参保人员")
async def delete_roster_row(
    batch_no: BatchNo, row_id: RowId, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, f"/rows/{row_id}"))


@router.post("/batches/{batch_no}/rows/delete", summary="批量删除参保人员")
async def delete_roster_rows(
    batch_no: BatchNo, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/rows/delete"))


@router.post("/batches/{batch_no}/rows/from-last-year", summary="获取上年度参保名单")
async def roster_from_last_year(
    batch_no: BatchNo, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/rows/from-last-year"))


@router.post("/batches/{batch_no}/rows/from-registry", summary="获取“会员库”本单位工会会员名单")
async def roster_from_registry(
    batch_no: BatchNo, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/rows/from-registry"))


@router.post("/batches/{batch_no}/rows/employment-checks", status_code=202, summary="设置在职 / 批量设置为在职")
async def set_rows_employed(
    batch_no: BatchNo, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/rows/employment-checks"))


@router.post("/batches/{batch_no}/imports", status_code=202, summary="上传本地参保名单文件")
async def upload_roster(
    batch_no: BatchNo, file_name: FileName, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    """The .xlsx itself is the body; the job runs in the background (poll `/imports/{id}`)."""
    return await _relay(service, user, request, _batch(batch_no, "/imports"))


@router.get("/imports/{import_id}", summary="参保名单导入进度")
async def get_roster_import(
    import_id: ImportId, user: MutualAidBatchReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/imports/{import_id}")


@router.get("/imports/{import_id}/rejections", summary="参保名单导入失败明细")
async def list_roster_rejections(
    import_id: ImportId, user: MutualAidBatchReader, request: Request, service: EnrollmentService,
    page: PageNo = 1, size: RowSize = 50,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, f"/imports/{import_id}/rejections")


# --- 清册校验, 清册提交, attachments -----------------------------------------------------------------------


@router.post("/batches/{batch_no}/validation", status_code=202, summary="清册校验")
async def validate_roster(
    batch_no: BatchNo, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    """Runs in the background: 202 with the job (poll `/checks/{id}`); when 已完成 the batch carries the verdict."""
    return await _relay(service, user, request, _batch(batch_no, "/validation"))


@router.get("/batches/{batch_no}/validation", summary="参保批次最近一次清册校验（进度）")
async def get_latest_roster_check(
    batch_no: BatchNo, user: MutualAidBatchReader, request: Request, service: EnrollmentService
) -> Response:
    """null when the batch was never checked."""
    return await _relay(service, user, request, _batch(batch_no, "/validation"))


@router.get("/checks/{check_id}", summary="清册校验进度")
async def get_roster_check(
    check_id: CheckId, user: MutualAidBatchReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/checks/{check_id}")


@router.post("/batches/{batch_no}/submission", summary="清册提交（承诺书）")
async def submit_roster(
    batch_no: BatchNo, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/submission"))


@router.post("/batches/{batch_no}/attachments", status_code=201, summary="上传清册附件")
async def upload_batch_attachment(
    batch_no: BatchNo, file_name: FileName, user: MutualAidUnit, request: Request, service: EnrollmentService,
    kind: Annotated[str, Query(description=ATTACHMENT_KIND)],
) -> Response:  # fmt: skip
    """The image or PDF itself is the body."""
    return await _relay(service, user, request, _batch(batch_no, "/attachments"))


@router.get("/batches/{batch_no}/attachments", summary="清册附件")
async def list_batch_attachments(
    batch_no: BatchNo, user: MutualAidBatchReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/attachments"))


@router.get("/batches/{batch_no}/attachments/{attachment_id}/file", summary="下载清册附件")
async def download_batch_attachment(
    batch_no: BatchNo, attachment_id: AttachmentId, user: MutualAidBatchReader, request: Request,
    service: EnrollmentService, settings: Settings,
) -> Response:  # fmt: skip
    path = SERVICE + _batch(batch_no, f"/attachments/{attachment_id}/file")
    return await relay_file(service, user, request, path, timeout=settings.upstream_file_timeout_seconds)


@router.delete("/batches/{batch_no}/attachments/{attachment_id}", status_code=204, summary="删除清册附件")
async def delete_batch_attachment(
    batch_no: BatchNo, attachment_id: AttachmentId, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, f"/attachments/{attachment_id}"))


# --- 职保会审核 ------------------------------------------------------------------------------------------


@router.get("/review", summary="清册附件审核（职保会待审核）")
async def list_batch_review_queue(
    user: MutualAidReviewer, request: Request, service: EnrollmentService, page: PageNo = 1, size: Size = 15
) -> Response:
    return await _relay(service, user, request, "/review")


@router.post("/batches/{batch_no}/approve", summary="职保会审核通过")
async def approve_mutual_aid_batch(
    batch_no: BatchNo, user: MutualAidReviewer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/approve"))


@router.post("/batches/{batch_no}/reject", summary="职保会审核不通过（填写原因）")
async def reject_mutual_aid_batch(
    batch_no: BatchNo, user: MutualAidReviewer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/reject"))


# --- 保障项目选择 ----------------------------------------------------------------------------------------


@router.get("/batches/{batch_no}/premium", summary="生成保费信息")
async def preview_batch_premium(
    batch_no: BatchNo, user: MutualAidBatchReader, request: Request, service: EnrollmentService,
    items: Annotated[list[str], Query(min_length=1, max_length=12, description="A0, B0 … (repeat the parameter)")],
) -> Response:  # fmt: skip
    return await _relay(service, user, request, _batch(batch_no, "/premium"))


@router.post("/batches/{batch_no}/premium", summary="提交确认保费")
async def confirm_batch_premium(
    batch_no: BatchNo, user: MutualAidUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/premium"))
