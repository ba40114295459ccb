"""互助保障项目2020 — the year, 参保批次管理, 参保清册, 清册校验, attachments and the insurer's review, 保障项目
选择 — under /mutual-aid. Units (grassroots unions, enterprises without a union) work their own batches;
upper unions read their subtree's, the city, the insurer and admins read all; the insurer reviews."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from contracts.enrollment import EnrollmentType
from runtime.db import Session
from runtime.spreadsheet import xlsx_response
from runtime.tokens import Caller, Tier, require

from ..domain.files import too_large
from ..schemas import Page
from ..schemas.mutual_aid import (
    AttachmentOut,
    BatchIn,
    BatchOut,
    BuildOut,
    CheckJobOut,
    CheckSentOut,
    CountOut,
    HeadcountOut,
    HeadcountsIn,
    ImportOut,
    LoadOut,
    NameIn,
    OpenYear,
    OperationOut,
    OverAgeIn,
    PremiumIn,
    PremiumOut,
    ReasonIn,
    RejectionOut,
    RowEditIn,
    RowIds,
    RowOut,
    RulesIn,
    RulesOut,
    SubmitIn,
    SuggestedIn,
    SuggestedOut,
    YearView,
)
from ..service.mutual_aid import (
    attachments,
    batches,
    checks,
    employment,
    imports,
    loads,
    premiums,
    review,
    rosters,
    validation,
    views,
    workbook,
    years,
)
from ..service.mutual_aid.checks import RosterChecks
from ..service.mutual_aid.imports import RosterImports
from ..service.mutual_aid.vault import RosterVault
from .deps import CITY, ChunkDep, ClockDep

router = APIRouter(prefix="/mutual-aid", tags=["mutual-aid batches"])
UNITS = require(Tier.GRASSROOTS, Tier.ENTERPRISE)
INSURER = require(Tier.INSURER, Tier.ADMIN)
PageNo = Annotated[int, Query(ge=1)]
Size = Annotated[int, Query(ge=1, le=200)]
RowSize = Annotated[int, Query(ge=1, le=500)]


def _vault(request: Request) -> RosterVault:
    vault: RosterVault = request.app.state.roster_vault
    return vault


def _imports(request: Request) -> RosterImports:
    runner: RosterImports = request.app.state.roster_imports
    return runner


def _checks(request: Request) -> RosterChecks:
    runner: RosterChecks = request.app.state.roster_checks
    return runner


VaultDep = Annotated[RosterVault, Depends(_vault)]
ImportsDep = Annotated[RosterImports, Depends(_imports)]
ChecksDep = Annotated[RosterChecks, Depends(_checks)]


async def read_body(request: Request, max_bytes: int, refused: Exception) -> bytes:
    """The body (the file itself), refused as soon as it grows past the limit."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise refused
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise refused
        chunks.append(chunk)
    return b"".join(chunks)


def download(file_name: str, media_type: str, content: bytes) -> Response:
    """Always a download, never rendered in the browser's origin."""
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f"attachment; filename=\"attachment\"; filename*=UTF-8''{quote(file_name)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )


# --- the year ------------------------------------------------------------------------------------------


@router.get("/years/open", response_model=list[OpenYear])
async def open_years(session: Session, _: Caller, clock: ClockDep) -> list[OpenYear]:
    """Which year takes which enrollment now (in June a year's 集中参保 and the last year's 即时参保)."""
    return [OpenYear(year=y, enrollment_type=k) for y, k in await years.open_years(session, clock.now())]


@router.get("/years/{year}", response_model=YearView)
async def get_year(year: int, session: Session, _: Caller, clock: ClockDep) -> YearView:
    return years.view(await years.load(session, year), clock.now())


@router.put("/years/{year}/rules", response_model=RulesOut, dependencies=[CITY])
async def put_rules(year: int, data: RulesIn, session: Session, caller: Caller) -> RulesOut:
    return await years.put_rules(session, caller, year, data)


@router.put("/years/{year}/suggested", response_model=CountOut, dependencies=[INSURER])
async def put_suggested(year: int, data: SuggestedIn, session: Session, vault: VaultDep) -> CountOut:
    """建议清册: upserted by ID number (≤ 5,000 per call)."""
    return CountOut(count=await years.put_suggested(session, vault, year, data))


@router.put("/years/{year}/headcounts", response_model=CountOut, dependencies=[INSURER])
async def put_headcounts(year: int, data: HeadcountsIn, session: Session) -> CountOut:
    """社保在职人数 per 单位社保编码."""
    return CountOut(count=await years.put_headcounts(session, year, data))


@router.get("/roster-template")
async def roster_template(_: Caller) -> Response:
    return xlsx_response("参保名单导入模板.xlsx", workbook.template())


# --- the insurer's loads as files: 建议清册, 社保在职人数 ------------------------------------------------------


async def _load_body(request: Request) -> bytes:
    limit = request.app.state.settings.roster_upload_max_bytes
    refused = workbook.UploadRefused(413, "import.file_too_large", f"文件过大，不能超过 {limit / 1024 / 1024:g} MB")
    return await read_body(request, limit, refused)


@router.get("/suggested-template", dependencies=[INSURER])
async def suggested_template() -> Response:
    return xlsx_response(f"{loads.SUGGESTED_TEMPLATE}.xlsx", loads.suggested_template())


@router.get("/headcount-template", dependencies=[INSURER])
async def headcount_template() -> Response:
    return xlsx_response(f"{loads.IN_SERVICE.template}.xlsx", loads.headcount_template())


@router.post("/years/{year}/suggested/upload", response_model=LoadOut, dependencies=[INSURER])
async def upload_suggested(
    year: int, request: Request, session: Session, vault: VaultDep, clock: ClockDep,
    file_name: Annotated[str, Query(min_length=1, max_length=200, description="the file's name (.xlsx)")],
) -> LoadOut:  # fmt: skip
    """导入建议清册: the .xlsx is the body; loaded whole, or nothing and every wrong row (422 `rows`)."""
    content = await _load_body(request)
    limit = request.app.state.settings.roster_upload_max_bytes
    return await loads.upload_suggested(session, vault, year, file_name, content, limit, clock.today())


@router.get("/years/{year}/suggested", response_model=Page[SuggestedOut], dependencies=[INSURER])
async def list_suggested(
    year: int, session: Session, vault: VaultDep, unit_code: str | None = None, name: str | None = None,
    id_number: Annotated[str | None, Query(description="the whole number")] = None, page: PageNo = 1,
    size: RowSize = 15,
) -> Page[SuggestedOut]:  # fmt: skip
    f = loads.SuggestedFilter(unit_code, name, id_number)
    items, total = await loads.suggested(session, vault, year, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/years/{year}/suggested/export", dependencies=[INSURER])
async def export_suggested(
    year: int, session: Session, vault: VaultDep, unit_code: str | None = None, name: str | None = None,
    id_number: str | None = None,
) -> Response:  # fmt: skip
    f = loads.SuggestedFilter(unit_code, name, id_number)
    return xlsx_response(f"{year}年度建议清册.xlsx", await loads.export_suggested(session, vault, year, f))


@router.post("/years/{year}/headcounts/upload", response_model=LoadOut, dependencies=[INSURER])
async def upload_headcounts(
    year: int, request: Request, session: Session,
    file_name: Annotated[str, Query(min_length=1, max_length=200, description="the file's name (.xlsx)")],
) -> LoadOut:  # fmt: skip
    """导入社保在职人数: loaded whole, or nothing and every wrong row."""
    content = await _load_body(request)
    limit = request.app.state.settings.roster_upload_max_bytes
    return await loads.upload_headcounts(session, year, file_name, content, limit)


@router.get("/years/{year}/headcounts", response_model=Page[HeadcountOut], dependencies=[INSURER])
async def list_headcounts(
    year: int, session: Session, unit_code: str | None = None, unit_name: str | None = None, page: PageNo = 1,
    size: RowSize = 15,
) -> Page[HeadcountOut]:  # fmt: skip
    items, total = await loads.headcounts(session, year, loads.HeadcountFilter(unit_code, unit_name), page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/years/{year}/headcounts/export", dependencies=[INSURER])
async def export_headcounts(
    year: int, session: Session, unit_code: str | None = None, unit_name: str | None = None
) -> Response:
    content = await loads.export_headcounts(session, year, loads.HeadcountFilter(unit_code, unit_name))
    return xlsx_response(f"{year}年度社保在职人数.xlsx", content)


# --- batches -------------------------------------------------------------------------------------------


@router.post("/batches", response_model=BatchOut, status_code=201, dependencies=[UNITS])
async def create_batch(data: BatchIn, session: Session, caller: Caller, vault: VaultDep, clock: ClockDep) -> BatchOut:
    """集中参保办理 / 即时参保办理 → 确定操作."""
    no = await batches.create(session, caller, data, vault, clock.now())
    return await views.one(session, caller, no, clock.today())


@router.get("/batches", response_model=Page[BatchOut])
async def list_batches(
    session: Session, caller: Caller, clock: ClockDep, year: int | None = None,
    enrollment_type: EnrollmentType | None = None, status: str | None = None, batch_no: str | None = None,
    code: str | None = None, unit_name: str | None = None, page: PageNo = 1, size: Size = 15,
) -> Page[BatchOut]:  # fmt: skip
    f = views.BatchFilter(year, enrollment_type, status, batch_no, code, unit_name)
    items, total = await views.search(session, caller, f, page, size, clock.today())
    return Page(items=items, total=total, page=page, size=size)


@router.get("/batches/{batch_no}", response_model=BatchOut)
async def get_batch(batch_no: str, session: Session, caller: Caller, clock: ClockDep) -> BatchOut:
    return await views.one(session, caller, batch_no, clock.today())


@router.delete("/batches/{batch_no}", status_code=204, dependencies=[UNITS])
async def delete_batch(batch_no: str, session: Session, caller: Caller) -> Response:
    """批次删除: only in 清册待校验 or 清册校验不通过."""
    await batches.delete(session, caller, batch_no)
    return Response(status_code=204)


@router.post("/batches/{batch_no}/withdraw", response_model=BatchOut, dependencies=[UNITS])
async def withdraw_batch(batch_no: str, data: ReasonIn, session: Session, caller: Caller, clock: ClockDep) -> BatchOut:
    """批次撤回 (with the reason) → 清册待校验."""
    await batches.withdraw(session, caller, batch_no, data.reason, clock.now())
    return await views.one(session, caller, batch_no, clock.today())


@router.get("/batches/{batch_no}/operations", response_model=list[OperationOut])
async def batch_operations(batch_no: str, session: Session, caller: Caller) -> list[OperationOut]:
    """操作日志: every step, who, when, why."""
    return [views.operation_out(o) for o in await batches.operations(session, caller, batch_no)]


# --- the roster ----------------------------------------------------------------------------------------


@router.get("/batches/{batch_no}/rows", response_model=Page[RowOut])
async def list_rows(
    batch_no: str, session: Session, caller: Caller, vault: VaultDep, clock: ClockDep, name: str | None = None,
    id_number: str | None = None, employment: Annotated[str | None, Query(description="在职 / 退休 / -")] = None,
    over_age: bool | None = None, problem: bool | None = None, page: PageNo = 1, size: RowSize = 15,
) -> Page[RowOut]:  # fmt: skip
    f = rosters.RowFilter(name, id_number, employment, over_age, problem)
    items, total = await rosters.list_rows(session, caller, vault, batch_no, f, page, size, clock.today())
    return Page(items=items, total=total, page=page, size=size)


@router.patch("/batches/{batch_no}/rows/{row_id}", status_code=204, dependencies=[UNITS])
async def edit_row(
    batch_no: str, row_id: int, data: RowEditIn, session: Session, caller: Caller, vault: VaultDep, clock: ClockDep
) -> Response:
    await rosters.edit_row(session, caller, vault, batch_no, row_id, data, clock.today())
    return Response(status_code=204)


@router.put("/batches/{batch_no}/rows/{row_id}/over-age-kept", status_code=204, dependencies=[UNITS])
async def keep_over_age(batch_no: str, row_id: int, data: OverAgeIn, session: Session, caller: Caller) -> Response:
    await rosters.keep_over_age(session, caller, batch_no, row_id, data.kept)
    return Response(status_code=204)


@router.put("/batches/{batch_no}/rows/{row_id}/name", status_code=204, dependencies=[UNITS])
async def choose_name(batch_no: str, row_id: int, data: NameIn, session: Session, caller: Caller) -> Response:
    await rosters.choose(session, caller, batch_no, row_id, data.name)
    return Response(status_code=204)


@router.delete("/batches/{batch_no}/rows/{row_id}", response_model=CountOut, dependencies=[UNITS])
async def delete_row(batch_no: str, row_id: int, session: Session, caller: Caller) -> CountOut:
    return CountOut(count=await rosters.remove(session, caller, batch_no, [row_id]))


@router.post("/batches/{batch_no}/rows/delete", response_model=CountOut, dependencies=[UNITS])
async def delete_rows(batch_no: str, data: RowIds, session: Session, caller: Caller) -> CountOut:
    """批量删除 of the ticked rows."""
    return CountOut(count=await rosters.remove(session, caller, batch_no, data.row_ids))


@router.post("/batches/{batch_no}/rows/from-last-year", response_model=BuildOut, dependencies=[UNITS])
async def rows_from_last_year(batch_no: str, session: Session, caller: Caller, vault: VaultDep) -> BuildOut:
    return await rosters.from_last_year(session, caller, vault, batch_no)


@router.post("/batches/{batch_no}/rows/from-registry", response_model=BuildOut, dependencies=[UNITS])
async def rows_from_registry(batch_no: str, session: Session, caller: Caller, vault: VaultDep) -> BuildOut:
    return await rosters.from_registry(session, caller, vault, batch_no)


@router.post(
    "/batches/{batch_no}/rows/employment-checks", response_model=CheckSentOut, status_code=202, dependencies=[UNITS]
)
async def set_employed(
    batch_no: str, data: RowIds, session: Session, caller: Caller, vault: VaultDep, chunk: ChunkDep
) -> CheckSentOut:
    """设置在职 / 批量设置为在职: social security answers asynchronously."""
    return await employment.request(session, caller, vault, batch_no, data, chunk)


@router.post("/batches/{batch_no}/imports", response_model=ImportOut, status_code=202, dependencies=[UNITS])
async def upload_roster(
    batch_no: str, request: Request, session: Session, caller: Caller, runner: ImportsDep,
    file_name: Annotated[str, Query(min_length=1, max_length=200, description="the file's name (.xlsx)")],
) -> JSONResponse:  # fmt: skip
    """上传本地参保名单文件: the .xlsx is the body; the job runs in the background (poll it)."""
    limit = request.app.state.settings.roster_upload_max_bytes
    refused = workbook.UploadRefused(413, "import.file_too_large", f"文件过大，不能超过 {limit / 1024 / 1024:g} MB")
    content = await read_body(request, limit, refused)
    job_id = await imports.start(session, caller, batch_no, file_name, content, limit)
    runner.submit(job_id)
    body = await imports.get(session, caller, job_id)
    return JSONResponse(
        body.model_dump(mode="json"), status_code=202, headers={"Location": f"/mutual-aid/imports/{job_id}"}
    )


@router.get("/imports/{import_id}", response_model=ImportOut)
async def get_import(import_id: str, session: Session, caller: Caller) -> ImportOut:
    return await imports.get(session, caller, import_id)


@router.get("/imports/{import_id}/rejections", response_model=Page[RejectionOut])
async def import_rejections(
    import_id: str, session: Session, caller: Caller, page: PageNo = 1, size: RowSize = 50
) -> Page[RejectionOut]:
    items, total = await imports.rejections(session, caller, import_id, page, size)
    return Page(items=items, total=total, page=page, size=size)


# --- 清册校验, 清册提交, attachments -----------------------------------------------------------------------


@router.post("/batches/{batch_no}/validation", response_model=CheckJobOut, status_code=202, dependencies=[UNITS])
async def validate_roster(batch_no: str, session: Session, caller: Caller, runner: ChecksDep) -> JSONResponse:
    """【清册校验】: runs in the background (poll the job); when 已完成 the batch carries the verdict."""
    job_id = await checks.start(session, caller, batch_no)
    body = await checks.get(session, caller, job_id)
    runner.submit(job_id)
    return JSONResponse(
        body.model_dump(mode="json"), status_code=202, headers={"Location": f"/mutual-aid/checks/{job_id}"}
    )


@router.get("/batches/{batch_no}/validation", response_model=CheckJobOut | None)
async def latest_check(batch_no: str, session: Session, caller: Caller) -> CheckJobOut | None:
    """The batch's last 【清册校验】 job (null: never checked)."""
    return await checks.latest(session, caller, batch_no)


@router.get("/checks/{check_id}", response_model=CheckJobOut)
async def get_check(check_id: str, session: Session, caller: Caller) -> CheckJobOut:
    return await checks.get(session, caller, check_id)


@router.post("/batches/{batch_no}/submission", response_model=BatchOut, dependencies=[UNITS])
async def submit_roster(
    batch_no: str, data: SubmitIn, session: Session, caller: Caller, vault: VaultDep, clock: ClockDep
) -> BatchOut:
    """【清册提交】 with the 承诺书 accepted."""
    await validation.submit(session, caller, vault, batch_no, data, clock.now())
    return await views.one(session, caller, batch_no, clock.today())


@router.post("/batches/{batch_no}/attachments", response_model=AttachmentOut, status_code=201, dependencies=[UNITS])
async def upload_attachment(
    batch_no: str, request: Request, session: Session, caller: Caller,
    kind: Annotated[str, Query(description="情况说明 / 社保缴费申报表 / 退工单 / 人员转出核定表 / 人员转入核定表 / "
                                           "劳务派遣说明 / 任命书 / 人员确认承诺书")],
    file_name: Annotated[str, Query(min_length=1, max_length=200, description="the file's name (.png/.jpg/.pdf)")],
) -> AttachmentOut:  # fmt: skip
    """The image or PDF itself is the body."""
    limit = request.app.state.settings.attachment_max_bytes
    content = await read_body(request, limit, too_large(limit))
    return await attachments.upload(session, caller, batch_no, kind, file_name, content, limit)


@router.get("/batches/{batch_no}/attachments", response_model=list[AttachmentOut])
async def list_attachments(batch_no: str, session: Session, caller: Caller) -> list[AttachmentOut]:
    return await attachments.listed(session, caller, batch_no)


@router.get("/batches/{batch_no}/attachments/{attachment_id}/file")
async def attachment_file(batch_no: str, attachment_id: int, session: Session, caller: Caller) -> Response:
    row = await attachments.content(session, caller, batch_no, attachment_id)
    return download(row.file_name, row.media_type, row.content)


@router.delete("/batches/{batch_no}/attachments/{attachment_id}", status_code=204, dependencies=[UNITS])
async def delete_attachment(batch_no: str, attachment_id: int, session: Session, caller: Caller) -> Response:
    await attachments.remove(session, caller, batch_no, attachment_id)
    return Response(status_code=204)


# --- 职保会审核 ------------------------------------------------------------------------------------------


@router.get("/review", response_model=Page[BatchOut], dependencies=[INSURER])
async def review_queue(session: Session, clock: ClockDep, page: PageNo = 1, size: Size = 15) -> Page[BatchOut]:
    """职保会待审核, oldest submission first."""
    rows, total = await review.queue(session, page, size)
    return Page(items=[await views.out(session, b, clock.today()) for b in rows], total=total, page=page, size=size)


@router.post("/batches/{batch_no}/approve", response_model=BatchOut, dependencies=[INSURER])
async def approve_batch(batch_no: str, session: Session, caller: Caller, clock: ClockDep) -> BatchOut:
    await review.approve(session, caller, batch_no)
    return await views.one(session, caller, batch_no, clock.today())


@router.post("/batches/{batch_no}/reject", response_model=BatchOut, dependencies=[INSURER])
async def reject_batch(batch_no: str, data: ReasonIn, session: Session, caller: Caller, clock: ClockDep) -> BatchOut:
    await review.reject(session, caller, batch_no, data.reason)
    return await views.one(session, caller, batch_no, clock.today())


# --- 保障项目选择 ----------------------------------------------------------------------------------------


@router.get("/batches/{batch_no}/premium", response_model=PremiumOut)
async def preview_premium(
    batch_no: str, session: Session, caller: Caller, clock: ClockDep,
    items: Annotated[list[str], Query(min_length=1, max_length=12, description="A0, B0 … (repeat the parameter)")],
) -> PremiumOut:  # fmt: skip
    """【生成保费信息】."""
    return await premiums.preview(session, caller, batch_no, items, clock.today())


@router.post("/batches/{batch_no}/premium", response_model=BatchOut, dependencies=[UNITS])
async def confirm_premium(
    batch_no: str, data: PremiumIn, session: Session, caller: Caller, clock: ClockDep
) -> BatchOut:
    """【提交确认保费】 → 缴费凭证待上传; enrollment.batch.submitted to billing."""
    await premiums.confirm(session, caller, batch_no, data.items, clock.now())
    return await views.one(session, caller, batch_no, clock.today())
