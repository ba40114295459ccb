"""退休住院计划 (manual 003, docs/retiree-api.md): the year and its rules, last year's units and their name
changes, a unit's batches through the step bar (单位信息, 缴费方式, 参保名单, 系统校验, 参保比例 and attachments,
职保会审核, 委托代扣, 参保名单确定) — passed on to the enrollment service under /api/retiree, by the service's
own paths.

The service scopes every unit and batch (a unit works its own: the account issued for its code, or its
union's accounts; upper unions read their subtree's batches; the city, the insurer and the platform read
all; anything else is 404), masks ID numbers and phones and enforces windows and statuses; the gateway
keeps each action to its tier: units act, the insurer and the platform load units and review, the city
sets a year's rules. Rosters, unit lists and attachments are the request body itself (`?file_name=`,
their own body limit) and come back as the service streams them, as do the lists' .xlsx exports.
Attachment `url`s are rewritten to the gateway's path, and each operation of the log gets its actor's
name. Binding an issued account to its unit (`PUT /retiree/units/{code}/owner`) is the gateway's own
system call, not relayed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from ..service.accounts import names_of
from .deps import (
    EnrollmentService,
    RetireeHeadcountReader,
    RetireeInsurer,
    RetireeNameChangeReader,
    RetireeReader,
    RetireeUnit,
    RetireeUnitReader,
    RetireeYearEditor,
    Settings,
)
from .relay import file_urls, relay, relay_file

PREFIX = "/api/retiree"
SERVICE = "/retiree"
router = APIRouter(prefix=PREFIX, tags=["retiree plan"])
# The upload routes' own body limit (see main.py): rosters and unit lists (xlsx) and attachments, each
# limited again by the service.
UPLOAD_ROUTES = (
    ("POST", f"{PREFIX}/units/imports"),
    ("POST", f"{PREFIX}/units/{{code}}/attachments"),
    ("POST", f"{PREFIX}/batches/{{batch_no}}/imports"),
    ("POST", f"{PREFIX}/batches/{{batch_no}}/attachments"),
    ("POST", f"{PREFIX}/years/{{year}}/headcounts/upload"),
)
Year = Annotated[int, Path(ge=2000, le=2999, description="保障年度 (July 1 → June 30)")]
Code = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,20}$", description="参保编码")]
BatchNo = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,40}$", description="参保批次号 (TXZY…)")]
PersonId = Annotated[int, Path(ge=1)]
ChangeId = Annotated[int, Path(ge=1, description="单位名称变更申请编号")]
FileId = Annotated[int, Path(ge=1)]
ImportId = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,64}$")]
PageNo = Annotated[int, Query(ge=1)]
Size = Annotated[int, Query(ge=1, le=200)]
RowSize = Annotated[int, Query(ge=1, le=500)]
FileName = Annotated[str, Query(min_length=1, max_length=200, description="the file's name")]
BATCH_STATUS = (
    "名单待导入 / 名单待校验 / 名单校验中 / 名单校验完成 / 职保会待审核 / 职保会审核不通过 / 职保会审核通过 / "
    "代扣处理中 / 代扣完成 / 缴费凭证待上传 / 凭证审核中 / 投保成功"
)
ATTACHMENT_KIND = "委托代扣申请书 / 参保比例佐证材料 (with unit_code) / 无社保人员材料 / 其他"


gateway_urls = file_urls(SERVICE)


def _batch(batch_no: str, rest: str = "") -> str:
    return f"/batches/{quote(batch_no, safe='')}{rest}"


async def _relay(service: Any, user: Any, request: Request, path: str, timeout: float | None = None) -> Response:
    return await relay(service, user, request, SERVICE + path, reshape=gateway_urls, timeout=timeout)


async def _file(service: Any, user: Any, request: Request, path: str, settings: Any) -> Response:
    return await relay_file(service, user, request, SERVICE + path, timeout=settings.upstream_file_timeout_seconds)


# --- the year ------------------------------------------------------------------------------------------


@router.get("/years/open", summary="退休住院计划当前可办理的保障年度")
async def list_open_retiree_years(user: RetireeReader, request: Request, service: EnrollmentService) -> Response:
    return await _relay(service, user, request, "/years/open")


@router.get("/years/{year}", summary="退休住院计划保障年度（窗口、规则、收款帐户）")
async def get_retiree_year(year: Year, user: RetireeReader, request: Request, service: EnrollmentService) -> Response:
    return await _relay(service, user, request, f"/years/{year}")


@router.put("/years/{year}/rules", summary="设置退休住院计划年度规则")
async def put_retiree_rules(
    year: Year, user: RetireeYearEditor, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/years/{year}/rules")


@router.put("/years/{year}/headcounts", summary="导入单位社保人数")
async def put_retiree_headcounts(
    year: Year, user: RetireeInsurer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/years/{year}/headcounts")


# 社保人数 as a file (单位社保编码, 单位名称, 退休人数): loaded whole or not at all (the service answers every wrong
# row), listed and exported with the same filters by the insurer and the city.


@router.get("/headcount-template", summary="下载退休人数导入模板")
async def download_retiree_headcount_template(
    user: RetireeInsurer, request: Request, service: EnrollmentService, settings: Settings
) -> Response:
    return await _file(service, user, request, "/headcount-template", settings)


@router.post("/years/{year}/headcounts/upload", summary="上传社保人数文件")
async def upload_retiree_headcounts(
    year: Year, file_name: FileName, user: RetireeInsurer, request: Request, service: EnrollmentService,
    settings: Settings,
) -> Response:  # fmt: skip
    """The .xlsx itself is the body (单位社保编码, 单位名称, 退休人数)."""
    timeout = settings.upstream_file_timeout_seconds
    return await _relay(service, user, request, f"/years/{year}/headcounts/upload", timeout)


@router.get("/years/{year}/headcounts", summary="退休住院计划社保人数")
async def search_retiree_headcounts(
    year: Year, user: RetireeHeadcountReader, request: Request, service: EnrollmentService,
    unit_code: Annotated[str | None, Query(max_length=20, description="单位社保编码 (beginning)")] = None,
    unit_name: Annotated[str | None, Query(max_length=100, description="单位名称 (part)")] = None,
    page: PageNo = 1, size: RowSize = 15,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, f"/years/{year}/headcounts")


@router.get("/years/{year}/headcounts/export", summary="导出退休住院计划社保人数")
async def export_retiree_headcounts(
    year: Year, user: RetireeHeadcountReader, request: Request, service: EnrollmentService, settings: Settings,
    unit_code: Annotated[str | None, Query(max_length=20, description="单位社保编码 (beginning)")] = None,
    unit_name: Annotated[str | None, Query(max_length=100, description="单位名称 (part)")] = None,
) -> Response:  # fmt: skip
    return await _file(service, user, request, f"/years/{year}/headcounts/export", settings)


@router.get("/roster-template", summary="下载退休住院计划参保名单导入模板")
async def download_retiree_roster_template(
    user: RetireeReader, request: Request, service: EnrollmentService, settings: Settings
) -> Response:
    return await _file(service, user, request, "/roster-template", settings)


@router.get("/withholding-form", summary="下载“委托代扣款申请表”样稿")
async def download_retiree_withholding_form(
    user: RetireeUnitReader, request: Request, service: EnrollmentService, settings: Settings,
    batch_no: Annotated[str | None, Query(pattern=r"^[0-9A-Za-z-]{1,40}$", description="prefill from it")] = None,
) -> Response:  # fmt: skip
    """A PDF with blank lines, or the unit, code, USCC, year and amount of a batch the caller reads."""
    return await _file(service, user, request, "/withholding-form", settings)


# --- 参保单位 and 单位名称变更 -------------------------------------------------------------------------------


@router.put("/units", summary="导入上年度参保单位")
async def load_retiree_units(user: RetireeInsurer, request: Request, service: EnrollmentService) -> Response:
    return await _relay(service, user, request, "/units")


@router.post("/units/imports", summary="上传上年度参保单位文件")
async def import_retiree_units(
    file_name: FileName, user: RetireeInsurer, request: Request, service: EnrollmentService
) -> Response:
    """The .xlsx itself is the body (参保编码, 单位名称, 统一社会信用代码)."""
    return await _relay(service, user, request, "/units/imports")


@router.get("/units", summary="退休住院计划参保单位")
async def search_retiree_units(
    user: RetireeUnitReader, request: Request, service: EnrollmentService,
    code: Annotated[str | None, Query(max_length=20, description="参保编码")] = None,
    unit_name: Annotated[str | None, Query(max_length=100, description="单位名称 (part)")] = None,
    bound: Annotated[bool | None, Query(description="已绑定账号")] = None,
    page: PageNo = 1, size: Size = 15,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, "/units")


@router.get("/units/export", summary="导出退休住院计划参保单位")  # before /units/{code}
async def export_retiree_units(
    user: RetireeUnitReader, request: Request, service: EnrollmentService, settings: Settings,
    code: Annotated[str | None, Query(max_length=20, description="参保编码")] = None,
    unit_name: Annotated[str | None, Query(max_length=100, description="单位名称 (part)")] = None,
    bound: Annotated[bool | None, Query(description="已绑定账号")] = None,
) -> Response:  # fmt: skip
    """The list's filters and readers; every matching unit as .xlsx."""
    return await _file(service, user, request, "/units/export", settings)


@router.get("/uscc", summary="按单位名称获取统一社会信用代码")
async def lookup_retiree_uscc(
    user: RetireeUnitReader, request: Request, service: EnrollmentService,
    unit_name: Annotated[str, Query(min_length=1, max_length=100)],
) -> Response:  # fmt: skip
    return await _relay(service, user, request, "/uscc")


@router.get("/units/{code}", summary="参保单位信息")
async def get_retiree_unit(
    code: Code, user: RetireeUnitReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/units/{code}")


@router.put("/units/{code}/info", summary="单位信息维护（修改并保存）")
async def put_retiree_unit_info(
    code: Code, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/units/{code}/info")


@router.post("/units/{code}/attachments", status_code=201, summary="上传单位名称变更佐证材料")
async def upload_retiree_unit_file(
    code: Code, file_name: FileName, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    """The image or PDF itself is the body (红头文件 or 工商变更登记表)."""
    return await _relay(service, user, request, f"/units/{code}/attachments")


@router.post("/units/{code}/name-changes", status_code=201, summary="申请修改单位名称")
async def apply_retiree_name_change(
    code: Code, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/units/{code}/name-changes")


@router.get("/name-changes", summary="单位名称变更申请")
async def search_retiree_name_changes(
    user: RetireeNameChangeReader, request: Request, service: EnrollmentService,
    status: Annotated[str | None, Query(description="申请中 / 审核通过 / 审核不通过")] = None,
    code: Annotated[str | None, Query(max_length=20)] = None,
    page: PageNo = 1, size: Size = 15,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, "/name-changes")


@router.get("/name-changes/{change_id}", summary="单位名称变更申请详情")
async def get_retiree_name_change(
    change_id: ChangeId, user: RetireeNameChangeReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/name-changes/{change_id}")


@router.get("/name-changes/{change_id}/attachments/{file_id}/file", summary="下载单位名称变更佐证材料")
async def download_retiree_name_change_file(
    change_id: ChangeId, file_id: FileId, user: RetireeNameChangeReader, request: Request,
    service: EnrollmentService, settings: Settings,
) -> Response:  # fmt: skip
    return await _file(service, user, request, f"/name-changes/{change_id}/attachments/{file_id}/file", settings)


@router.post("/name-changes/{change_id}/approve", summary="单位名称变更审核通过")
async def approve_retiree_name_change(
    change_id: ChangeId, user: RetireeInsurer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/name-changes/{change_id}/approve")


@router.post("/name-changes/{change_id}/reject", summary="单位名称变更审核不通过")
async def reject_retiree_name_change(
    change_id: ChangeId, user: RetireeInsurer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/name-changes/{change_id}/reject")


# --- 参保批次 (the step bar) ----------------------------------------------------------------------------------


@router.post("/batches", status_code=201, summary="退休住院计划 集中参保办理 / 即时参保办理")
async def create_retiree_batch(user: RetireeUnit, request: Request, service: EnrollmentService) -> Response:
    return await _relay(service, user, request, "/batches")


@router.get("/batches", summary="退休住院计划参保批次列表")
async def search_retiree_batches(
    user: RetireeReader, request: Request, service: EnrollmentService,
    year: int | None = None, enrollment_type: Annotated[str | None, Query(description="集中参保 / 即时参保")] = None,
    status: Annotated[str | None, Query(description=BATCH_STATUS)] = None,
    batch_no: Annotated[str | None, Query(description="批次号 (prefix)")] = None,
    code: str | None = None, unit_name: Annotated[str | None, Query(description="单位名称 (part)")] = None,
    page: PageNo = 1, size: Size = 15,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, "/batches")


@router.get("/batches/export", summary="导出退休住院计划参保批次")  # before /batches/{batch_no}
async def export_retiree_batches(
    user: RetireeReader, request: Request, service: EnrollmentService, settings: Settings,
    year: int | None = None, enrollment_type: Annotated[str | None, Query(description="集中参保 / 即时参保")] = None,
    status: Annotated[str | None, Query(description=BATCH_STATUS)] = None,
    batch_no: Annotated[str | None, Query(description="批次号 (prefix)")] = None,
    code: str | None = None, unit_name: Annotated[str | None, Query(description="单位名称 (part)")] = None,
) -> Response:  # fmt: skip
    """The list's filters and scope; every matching batch as .xlsx."""
    return await _file(service, user, request, "/batches/export", settings)


@router.get("/batches/{batch_no}", summary="查看批次信息")
async def get_retiree_batch(
    batch_no: BatchNo, user: RetireeReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no))


@router.delete("/batches/{batch_no}", status_code=204, summary="退休住院计划批次删除")
async def delete_retiree_batch(
    batch_no: BatchNo, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no))


@router.get("/batches/{batch_no}/operations", summary="退休住院计划批次操作记录")
async def list_retiree_batch_operations(
    batch_no: BatchNo, user: RetireeReader, request: Request, service: EnrollmentService
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


@router.post("/batches/{batch_no}/unit-confirmation", summary="单位信息确认无误")
async def confirm_retiree_unit(
    batch_no: BatchNo, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/unit-confirmation"))


@router.put("/batches/{batch_no}/payment-mode", summary="选择参保缴费方式")
async def choose_retiree_payment_mode(
    batch_no: BatchNo, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/payment-mode"))


@dataclass
class PeopleQuery:
    """The people list's filters (documented here; the query is passed on as it came)."""

    name: str | None = None
    id_number: str | None = None
    check_result: Annotated[str | None, Query(description="校验结果")] = None
    anomaly: Annotated[bool | None, Query(description="异常数据")] = None
    withholdable: Annotated[str | None, Query(description="代扣类型: 可代扣 / 不可代扣")] = None
    withholding_result: Annotated[str | None, Query(description="代扣结果: 代扣成功 / 代扣失败 / 代扣中")] = None
    without_ss: Annotated[bool | None, Query(description="无社保人员")] = None


PeopleFilter = Annotated[PeopleQuery, Depends()]


# --- 参保名单 ------------------------------------------------------------------------------------------------


@router.get("/batches/{batch_no}/people", summary="查看参保人员")
async def list_retiree_people(
    batch_no: BatchNo, user: RetireeReader, request: Request, service: EnrollmentService, _: PeopleFilter,
    page: PageNo = 1, size: RowSize = 15,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, _batch(batch_no, "/people"))


@router.get("/batches/{batch_no}/people/export", summary="导出参保名单")
async def export_retiree_people(
    batch_no: BatchNo, user: RetireeReader, request: Request, service: EnrollmentService, settings: Settings,
    _: PeopleFilter,
) -> Response:  # fmt: skip
    """The list's filters; every matching person as .xlsx, ID numbers and phones masked."""
    return await _file(service, user, request, _batch(batch_no, "/people/export"), settings)


@router.post("/batches/{batch_no}/people", status_code=201, summary="新增参保人员")
async def add_retiree_person(
    batch_no: BatchNo, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/people"))


@router.patch("/batches/{batch_no}/people/{person_id}", summary="编辑参保人员（退休年月、手机号…）")
async def edit_retiree_person(
    batch_no: BatchNo, person_id: PersonId, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, f"/people/{person_id}"))


@router.put("/batches/{batch_no}/people/{person_id}/ss-name", summary="确认社保姓名")
async def confirm_retiree_ss_name(
    batch_no: BatchNo, person_id: PersonId, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, f"/people/{person_id}/ss-name"))


@router.put("/batches/{batch_no}/people/{person_id}/no-ss-class", summary="无社保人员情形")
async def classify_retiree_person(
    batch_no: BatchNo, person_id: PersonId, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, f"/people/{person_id}/no-ss-class"))


@router.delete("/batches/{batch_no}/people/{person_id}", summary="删除参保人员")
async def delete_retiree_person(
    batch_no: BatchNo, person_id: PersonId, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, f"/people/{person_id}"))


@router.post("/batches/{batch_no}/people/delete", summary="批量删除 / 清空参保名单")
async def delete_retiree_people(
    batch_no: BatchNo, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/people/delete"))


@router.post("/batches/{batch_no}/imports", status_code=202, summary="导入参保名单")
async def upload_retiree_roster(
    batch_no: BatchNo, file_name: FileName, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    """The .xlsx itself is the body; the job runs in the background (poll `/imports/{id}`)."""
    return await _relay(service, user, request, _batch(batch_no, "/imports"))


@router.get("/imports/{import_id}", summary="参保名单导入进度")
async def get_retiree_import(
    import_id: ImportId, user: RetireeReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, f"/imports/{import_id}")


@router.get("/imports/{import_id}/rejections", summary="参保名单导入失败明细")
async def list_retiree_rejections(
    import_id: ImportId, user: RetireeReader, request: Request, service: EnrollmentService,
    page: PageNo = 1, size: RowSize = 50,
) -> Response:  # fmt: skip
    return await _relay(service, user, request, f"/imports/{import_id}/rejections")


# --- 系统校验, 参保比例, attachments, 职保会审核 ---------------------------------------------------------------


@router.post("/batches/{batch_no}/validation", status_code=202, summary="提交系统校验")
async def submit_retiree_validation(
    batch_no: BatchNo, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    """Social security answers in the background: poll the batch (`validation.percent`)."""
    return await _relay(service, user, request, _batch(batch_no, "/validation"))


@router.get("/batches/{batch_no}/ratios", summary="参保比例情况")
async def get_retiree_ratios(
    batch_no: BatchNo, user: RetireeReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/ratios"))


@router.post("/batches/{batch_no}/attachments", status_code=201, summary="上传相关材料")
async def upload_retiree_attachment(
    batch_no: BatchNo, file_name: FileName, user: RetireeUnit, request: Request, service: EnrollmentService,
    kind: Annotated[str, Query(description=ATTACHMENT_KIND)],
    unit_code: Annotated[str | None, Query(max_length=20, description="参保比例佐证材料: the 单位社保编码")] = None,
    person_id: Annotated[int | None, Query(ge=1, description="无社保人员材料: the person")] = None,
) -> Response:  # fmt: skip
    """The image or PDF itself is the body."""
    return await _relay(service, user, request, _batch(batch_no, "/attachments"))


@router.get("/batches/{batch_no}/attachments", summary="批次附件")
async def list_retiree_attachments(
    batch_no: BatchNo, user: RetireeReader, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/attachments"))


@router.get("/batches/{batch_no}/attachments/{attachment_id}/file", summary="下载批次附件")
async def download_retiree_attachment(
    batch_no: BatchNo, attachment_id: FileId, user: RetireeReader, request: Request, service: EnrollmentService,
    settings: Settings,
) -> Response:  # fmt: skip
    return await _file(service, user, request, _batch(batch_no, f"/attachments/{attachment_id}/file"), settings)


@router.delete("/batches/{batch_no}/attachments/{attachment_id}", status_code=204, summary="删除批次附件")
async def delete_retiree_attachment(
    batch_no: BatchNo, attachment_id: FileId, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, f"/attachments/{attachment_id}"))


@router.post("/batches/{batch_no}/review-submission", summary="信息确认无误，提交职保会审核")
async def submit_retiree_review(
    batch_no: BatchNo, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/review-submission"))


@router.get("/review", summary="退休住院计划职保会待审核")
async def list_retiree_review_queue(
    user: RetireeInsurer, request: Request, service: EnrollmentService, page: PageNo = 1, size: Size = 15
) -> Response:
    return await _relay(service, user, request, "/review")


@router.post("/batches/{batch_no}/approve", summary="退休住院计划职保会审核通过")
async def approve_retiree_batch(
    batch_no: BatchNo, user: RetireeInsurer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/approve"))


@router.post("/batches/{batch_no}/reject", summary="退休住院计划职保会审核不通过（填写原因）")
async def reject_retiree_batch(
    batch_no: BatchNo, user: RetireeInsurer, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/reject"))


# --- 委托代扣, 参保名单确定 ------------------------------------------------------------------------------------


@router.post("/batches/{batch_no}/withholding-request", summary="代扣名单确认，提交代扣申请")
async def request_retiree_withholding(
    batch_no: BatchNo, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/withholding-request"))


@router.get("/batches/{batch_no}/withholding-slip", summary="下载代扣受理单")
async def download_retiree_withholding_slip(
    batch_no: BatchNo, user: RetireeReader, request: Request, service: EnrollmentService, settings: Settings
) -> Response:
    """A PDF, from one working day after the withholding request (the batch's `withholding_slip_from`)."""
    return await _file(service, user, request, _batch(batch_no, "/withholding-slip"), settings)


@router.post("/batches/{batch_no}/confirmation", summary="参保名单确定，前往上传缴费凭证")
async def confirm_retiree_roster(
    batch_no: BatchNo, user: RetireeUnit, request: Request, service: EnrollmentService
) -> Response:
    return await _relay(service, user, request, _batch(batch_no, "/confirmation"))
