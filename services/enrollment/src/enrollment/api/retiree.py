"""退休住院计划 under /retiree (docs/retiree-api.md): the year, the units and their accounts and name
changes, a unit's batches through the step bar — unit info, payment mode, people (import in the
background or one by one), 系统校验, the ratio table and attachments, 职保会审核, 委托代扣, 参保名单确定 → billing.
Units work their own (owner account or their union's accounts); district and secondary unions read their
subtree's; the city, the insurer and admins read all; the insurer reviews; the gateway binds accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from contracts.enrollment import EnrollmentType
from runtime.db import Session
from runtime.spreadsheet import xlsx_response
from runtime.tokens import Caller, Tier, require

from ..domain.files import too_large
from ..schemas import Page
from ..schemas.mutual_aid import HeadcountOut, LoadOut
from ..schemas.retiree import (
    AttachmentOut,
    BatchIn,
    BatchOut,
    CountOut,
    FileOut,
    HeadcountsIn,
    ImportOut,
    NameChangeIn,
    NameChangeOut,
    NoSsClassIn,
    OpenYear,
    OperationOut,
    OwnerIn,
    PaymentModeIn,
    PersonEditIn,
    PersonIds,
    PersonIn,
    PersonOut,
    RatiosOut,
    ReasonIn,
    RejectIn,
    RejectionOut,
    RulesIn,
    RulesOut,
    UnitInfoIn,
    UnitOut,
    UnitsIn,
    UnitsLoaded,
    UsccOut,
    WithholdingIn,
    YearView,
)
from ..service.mutual_aid import loads
from ..service.mutual_aid.workbook import UploadRefused
from ..service.retiree import (
    attachments,
    batches,
    billing,
    documents,
    exports,
    imports,
    name_changes,
    people,
    review,
    units,
    validation,
    views,
    withholding,
    workbook,
    years,
)
from ..service.retiree.imports import RetireeImports
from ..service.retiree.vault import RetireeVault
from .deps import CITY, ChunkDep, ClockDep
from .mutual_aid import download, read_body

router = APIRouter(prefix="/retiree", tags=["retiree plan"])
UNITS = require(Tier.GRASSROOTS, Tier.ENTERPRISE)
INSURER = require(Tier.INSURER, Tier.ADMIN)
SYSTEM_ONLY = require(Tier.SYSTEM)
HEADCOUNT_READERS = require(Tier.INSURER, Tier.ADMIN, Tier.CITY)  # who read every unit's
PageNo = Annotated[int, Query(ge=1)]
Size = Annotated[int, Query(ge=1, le=200)]
RowSize = Annotated[int, Query(ge=1, le=500)]
FileName = Annotated[str, Query(min_length=1, max_length=200, description="the file's name")]


def _vault(request: Request) -> RetireeVault:
    vault: RetireeVault = request.app.state.retiree_vault
    return vault


def _imports(request: Request) -> RetireeImports:
    runner: RetireeImports = request.app.state.retiree_imports
    return runner


VaultDep = Annotated[RetireeVault, Depends(_vault)]
ImportsDep = Annotated[RetireeImports, Depends(_imports)]


def _batch_filter(
    year: int | None = None, enrollment_type: EnrollmentType | None = None, status: str | None = None,
    batch_no: str | None = None, code: str | None = None, unit_name: str | None = None,
) -> views.BatchFilter:  # fmt: skip
    return views.BatchFilter(year, enrollment_type, status, batch_no, code, unit_name)


def _person_filter(
    vault: VaultDep, name: str | None = None, id_number: str | None = None, check_result: str | None = None,
    anomaly: bool | None = None, withholdable: str | None = None, withholding_result: str | None = None,
    without_ss: bool | None = None,
) -> views.PersonFilter:  # fmt: skip
    """The list's filters; the ID number is found by its blind index (numbers are sealed)."""
    digest = vault.id_digest(id_number) if id_number and id_number.strip() else None
    return views.PersonFilter(name, digest, check_result, anomaly, withholdable, withholding_result, without_ss)


BatchFilterDep = Annotated[views.BatchFilter, Depends(_batch_filter)]
PersonFilterDep = Annotated[views.PersonFilter, Depends(_person_filter)]


async def _xlsx_body(request: Request) -> bytes:
    limit = request.app.state.settings.roster_upload_max_bytes
    refused = UploadRefused(413, "import.file_too_large", f"文件过大，不能超过 {limit / 1024 / 1024:g} MB")
    return await read_body(request, limit, refused)


async def _file_body(request: Request) -> tuple[bytes, int]:
    limit = request.app.state.settings.attachment_max_bytes
    return await read_body(request, limit, too_large(limit)), limit


# --- the year ------------------------------------------------------------------------------------------


@router.get("/years/open", response_model=list[OpenYear])
async def open_years(session: Session, _: Caller, clock: ClockDep) -> list[OpenYear]:
    return [OpenYear(year=y, enrollment_type=k) for y, k in await years.open_years(session, clock.now())]


@router.get("/years/{year}", response_model=YearView)
async def get_year(year: int, session: Session, _: Caller, clock: ClockDep) -> YearView:
    return years.view(await years.load(session, year), clock.now())


@router.put("/years/{year}/rules", response_model=RulesOut, dependencies=[CITY])
async def put_rules(year: int, data: RulesIn, session: Session, caller: Caller) -> RulesOut:
    return await years.put_rules(session, caller, year, data)


@router.put("/years/{year}/headcounts", response_model=CountOut, dependencies=[INSURER])
async def put_headcounts(year: int, data: HeadcountsIn, session: Session) -> CountOut:
    """社保人数 per 单位社保编码."""
    return CountOut(count=await years.put_headcounts(session, year, data))


# 社保人数 as a file (单位社保编码, 单位名称, 退休人数): the mutual-aid headcount load on the retiree table — loaded
# whole or not at all (422 `load.rows_invalid` names every wrong row), listed and exported with one filter.


@router.get("/headcount-template", dependencies=[INSURER])
async def headcount_template() -> Response:
    return xlsx_response(f"{years.HEADCOUNTS.template}.xlsx", loads.headcount_template(years.HEADCOUNTS))


@router.post("/years/{year}/headcounts/upload", response_model=LoadOut, dependencies=[INSURER])
async def upload_headcounts(year: int, request: Request, session: Session, file_name: FileName) -> LoadOut:
    """导入社保人数: the .xlsx is the body; loaded whole, or nothing and every wrong row."""
    content = await _xlsx_body(request)
    limit = request.app.state.settings.roster_upload_max_bytes
    return await loads.upload_headcounts(session, year, file_name, content, limit, years.HEADCOUNTS)


@router.get("/years/{year}/headcounts", response_model=Page[HeadcountOut], dependencies=[HEADCOUNT_READERS])
async def list_headcounts(
    year: int, session: Session, unit_code: str | None = None, unit_name: str | None = None, page: PageNo = 1,
    size: RowSize = 15,
) -> Page[HeadcountOut]:  # fmt: skip
    f = loads.HeadcountFilter(unit_code, unit_name)
    items, total = await loads.headcounts(session, year, f, page, size, years.HEADCOUNTS)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/years/{year}/headcounts/export", dependencies=[HEADCOUNT_READERS])
async def export_headcounts(
    year: int, session: Session, unit_code: str | None = None, unit_name: str | None = None
) -> Response:
    content = await loads.export_headcounts(
        session, year, loads.HeadcountFilter(unit_code, unit_name), years.HEADCOUNTS
    )
    return xlsx_response(f"{year}年度退休人数.xlsx", content)


@router.get("/roster-template")
async def roster_template(_: Caller) -> Response:
    return xlsx_response("退休住院计划参保名单导入模板.xlsx", workbook.template())


@router.get("/withholding-form")
async def withholding_form(
    session: Session, caller: Caller,
    batch_no: Annotated[str | None, Query(max_length=20, description="prefilled from this batch")] = None,
) -> Response:  # fmt: skip
    """委托代扣款申请表 样稿 (PDF): blank, or the unit, code, USCC, year and amount of a batch the caller reads."""
    file_name, pdf = await documents.entrustment_form(session, caller, batch_no)
    return download(file_name, "application/pdf", pdf)


# --- units ---------------------------------------------------------------------------------------------


@router.put("/units", response_model=UnitsLoaded, dependencies=[INSURER])
async def load_units(data: UnitsIn, session: Session, clock: ClockDep) -> UnitsLoaded:
    """Last year's units (参保编码, 单位名称, 统一社会信用代码)."""
    return await units.load(session, data, clock.now())


@router.post("/units/imports", response_model=UnitsLoaded, dependencies=[INSURER])
async def import_units(request: Request, session: Session, clock: ClockDep, file_name: FileName) -> UnitsLoaded:
    """The same as an .xlsx (the body): 参保编码, 单位名称, 统一社会信用代码."""
    content = await _xlsx_body(request)
    rows = units.read_xlsx(file_name, content, request.app.state.settings.roster_upload_max_bytes)
    return await units.load_rows(session, rows, clock.now())


@router.get("/units", response_model=Page[UnitOut])
async def list_units(
    session: Session, caller: Caller, vault: VaultDep, code: str | None = None, unit_name: str | None = None,
    bound: bool | None = None, page: PageNo = 1, size: Size = 15,
) -> Page[UnitOut]:  # fmt: skip
    items, total = await units.search(session, caller, vault, code, unit_name, bound, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/units/export")
async def export_units(
    session: Session, caller: Caller, vault: VaultDep, code: str | None = None, unit_name: str | None = None,
    bound: bool | None = None,
) -> Response:  # fmt: skip
    """单位名单 as .xlsx: the list's filters and readers, every matching unit."""
    content = await exports.unit_list(session, caller, vault, code, unit_name, bound)
    return xlsx_response("退休住院计划单位名单.xlsx", content)


@router.get("/uscc", response_model=UsccOut)
async def lookup_uscc(session: Session, _: Caller, unit_name: Annotated[str, Query(min_length=1, max_length=100)]
                      ) -> UsccOut:  # fmt: skip
    return await units.lookup_uscc(session, unit_name)


@router.get("/units/{code}", response_model=UnitOut)
async def get_unit(code: str, session: Session, caller: Caller, vault: VaultDep) -> UnitOut:
    return await units.get(session, caller, vault, code)


@router.put("/units/{code}/owner", response_model=UnitOut, dependencies=[SYSTEM_ONLY])
async def bind_owner(code: str, data: OwnerIn, session: Session, vault: VaultDep) -> UnitOut:
    """The gateway binds the account it issued (tuixiu<code>)."""
    return await units.bind_owner(session, vault, code, data)


@router.put("/units/{code}/info", response_model=UnitOut, dependencies=[UNITS])
async def put_unit_info(code: str, data: UnitInfoIn, session: Session, caller: Caller, vault: VaultDep) -> UnitOut:
    """修改并保存."""
    return await units.put_info(session, caller, vault, code, data)


@router.post("/units/{code}/attachments", response_model=FileOut, status_code=201, dependencies=[UNITS])
async def upload_unit_file(
    code: str, request: Request, session: Session, caller: Caller, file_name: FileName
) -> FileOut:
    content, limit = await _file_body(request)
    return await name_changes.upload_file(session, caller, code, file_name, content, limit)


@router.post("/units/{code}/name-changes", response_model=NameChangeOut, status_code=201, dependencies=[UNITS])
async def apply_name_change(code: str, data: NameChangeIn, session: Session, caller: Caller, vault: VaultDep
                            ) -> NameChangeOut:  # fmt: skip
    return await name_changes.apply(session, caller, vault, code, data)


@router.get("/name-changes", response_model=Page[NameChangeOut])
async def list_name_changes(
    session: Session, caller: Caller, status: str | None = None, code: str | None = None, page: PageNo = 1,
    size: Size = 15,
) -> Page[NameChangeOut]:  # fmt: skip
    items, total = await name_changes.search(session, caller, status, code, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/name-changes/{change_id}", response_model=NameChangeOut)
async def get_name_change(change_id: int, session: Session, caller: Caller) -> NameChangeOut:
    return await name_changes.out(session, await name_changes.visible(session, caller, change_id))


@router.get("/name-changes/{change_id}/attachments/{file_id}/file")
async def name_change_file(change_id: int, file_id: int, session: Session, caller: Caller) -> Response:
    row = await name_changes.file_of(session, caller, change_id, file_id)
    return download(row.file_name, row.media_type, row.content)


@router.post("/name-changes/{change_id}/approve", response_model=NameChangeOut, dependencies=[INSURER])
async def approve_name_change(change_id: int, session: Session, caller: Caller, vault: VaultDep) -> NameChangeOut:
    return await name_changes.approve(session, caller, vault, change_id)


@router.post("/name-changes/{change_id}/reject", response_model=NameChangeOut, dependencies=[INSURER])
async def reject_name_change(change_id: int, data: ReasonIn, session: Session, caller: Caller) -> NameChangeOut:
    return await name_changes.reject(session, caller, change_id, data.reason)


# --- batches -------------------------------------------------------------------------------------------


@router.post("/batches", response_model=BatchOut, status_code=201, dependencies=[UNITS])
async def create_batch(data: BatchIn, session: Session, caller: Caller, clock: ClockDep) -> BatchOut:
    """Step 1: 集中参保办理 / 即时参保办理 with 参保编码 and 参保单位."""
    no = await batches.create(session, caller, data, clock.now())
    return await views.one(session, caller, no)


@router.get("/batches", response_model=Page[BatchOut])
async def list_batches(
    session: Session, caller: Caller, f: BatchFilterDep, page: PageNo = 1, size: Size = 15
) -> Page[BatchOut]:
    items, total = await views.search(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/batches/export")  # before /batches/{batch_no}, which would take "export" for a number
async def export_batches(session: Session, caller: Caller, f: BatchFilterDep) -> Response:
    """参保批次 as .xlsx: the list's filters and scope, every matching batch."""
    return xlsx_response("退休住院计划参保批次.xlsx", await exports.batches(session, caller, f))


@router.get("/batches/{batch_no}", response_model=BatchOut)
async def get_batch(batch_no: str, session: Session, caller: Caller) -> BatchOut:
    return await views.one(session, caller, batch_no)


@router.delete("/batches/{batch_no}", status_code=204, dependencies=[UNITS])
async def delete_batch(batch_no: str, session: Session, caller: Caller) -> Response:
    await batches.delete(session, caller, batch_no)
    return Response(status_code=204)


@router.get("/batches/{batch_no}/operations", response_model=list[OperationOut])
async def batch_operations(batch_no: str, session: Session, caller: Caller) -> list[OperationOut]:
    return [views.operation_out(o) for o in await batches.operations(session, caller, batch_no)]


@router.post("/batches/{batch_no}/unit-confirmation", response_model=BatchOut, dependencies=[UNITS])
async def confirm_unit(batch_no: str, session: Session, caller: Caller, vault: VaultDep) -> BatchOut:
    """Step 2: 信息确认无误."""
    await batches.confirm_unit(session, caller, vault, batch_no)
    return await views.one(session, caller, batch_no)


@router.put("/batches/{batch_no}/payment-mode", response_model=BatchOut, dependencies=[UNITS])
async def choose_payment_mode(
    batch_no: str, data: PaymentModeIn, session: Session, caller: Caller, clock: ClockDep
) -> BatchOut:
    """Step 3: final once chosen."""
    await batches.choose_payment_mode(session, caller, batch_no, data, clock.now())
    return await views.one(session, caller, batch_no)


# --- people --------------------------------------------------------------------------------------------


@router.get("/batches/{batch_no}/people", response_model=Page[PersonOut])
async def list_people(
    batch_no: str, session: Session, caller: Caller, f: PersonFilterDep, page: PageNo = 1, size: RowSize = 15
) -> Page[PersonOut]:
    items, total = await views.list_people(session, caller, batch_no, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/batches/{batch_no}/people/export")
async def export_people(batch_no: str, session: Session, caller: Caller, f: PersonFilterDep) -> Response:
    """参保名单 as .xlsx: the list's filters, every matching person, numbers and phones masked."""
    return xlsx_response(f"退休住院计划参保名单-{batch_no}.xlsx", await exports.people(session, caller, batch_no, f))


@router.post("/batches/{batch_no}/people", response_model=PersonOut, status_code=201, dependencies=[UNITS])
async def add_person(
    batch_no: str, data: PersonIn, session: Session, caller: Caller, vault: VaultDep, clock: ClockDep
) -> PersonOut:
    """新增参保人员."""
    row = await people.add(session, caller, vault, batch_no, data, clock.today())
    return await _person(session, caller, batch_no, row)


@router.patch("/batches/{batch_no}/people/{person_id}", response_model=PersonOut, dependencies=[UNITS])
async def edit_person(
    batch_no: str, person_id: int, data: PersonEditIn, session: Session, caller: Caller, vault: VaultDep,
    clock: ClockDep,
) -> PersonOut:  # fmt: skip
    row = await people.edit(session, caller, vault, batch_no, person_id, data, clock.today())
    return await _person(session, caller, batch_no, row)


@router.put("/batches/{batch_no}/people/{person_id}/ss-name", response_model=PersonOut, dependencies=[UNITS])
async def take_ss_name(batch_no: str, person_id: int, session: Session, caller: Caller) -> PersonOut:
    """【确认】: the social-security name replaces the imported one."""
    row = await people.take_ss_name(session, caller, batch_no, person_id)
    return await _person(session, caller, batch_no, row)


@router.put("/batches/{batch_no}/people/{person_id}/no-ss-class", response_model=PersonOut, dependencies=[UNITS])
async def classify(batch_no: str, person_id: int, data: NoSsClassIn, session: Session, caller: Caller) -> PersonOut:
    row = await people.classify(session, caller, batch_no, person_id, data)
    return await _person(session, caller, batch_no, row)


@router.delete("/batches/{batch_no}/people/{person_id}", response_model=CountOut, dependencies=[UNITS])
async def delete_person(batch_no: str, person_id: int, session: Session, caller: Caller) -> CountOut:
    return CountOut(count=await people.remove(session, caller, batch_no, PersonIds(person_ids=[person_id])))


@router.post("/batches/{batch_no}/people/delete", response_model=CountOut, dependencies=[UNITS])
async def delete_people(batch_no: str, data: PersonIds, session: Session, caller: Caller) -> CountOut:
    """批量删除 / 清空参保名单 (all)."""
    return CountOut(count=await people.remove(session, caller, batch_no, data))


async def _person(session: Session, caller: Caller, no: str, row: people.RetireePerson) -> PersonOut:
    batch = await batches.visible(session, caller, no)
    return await views.person_out(session, batch, await years.of_batch(session, batch.programme_year_id), row)


@router.post("/batches/{batch_no}/imports", response_model=ImportOut, status_code=202, dependencies=[UNITS])
async def upload_roster(
    batch_no: str, request: Request, session: Session, caller: Caller, runner: ImportsDep, file_name: FileName
) -> JSONResponse:
    """导入参保名单: the .xlsx is the body; the job runs in the background (poll it)."""
    content = await _xlsx_body(request)
    limit = request.app.state.settings.roster_upload_max_bytes
    job_id = await imports.start(session, caller, batch_no, file_name, content, limit)
    runner.submit(job_id)
    body = await imports.get(session, caller, job_id)
    return JSONResponse(
        body.model_dump(mode="json"), status_code=202, headers={"Location": f"/retiree/imports/{job_id}"}
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


# --- 系统校验, the ratio table, attachments, 职保会审核 -------------------------------------------------------------


@router.post("/batches/{batch_no}/validation", response_model=BatchOut, status_code=202, dependencies=[UNITS])
async def submit_validation(
    batch_no: str, session: Session, caller: Caller, vault: VaultDep, chunk: ChunkDep, clock: ClockDep
) -> BatchOut:
    """提交系统校验 / 处理完成，再次提交系统校验: social security answers asynchronously."""
    await validation.submit(session, caller, vault, batch_no, chunk, clock.now())
    return await views.one(session, caller, batch_no)


@router.get("/batches/{batch_no}/ratios", response_model=RatiosOut)
async def ratios(batch_no: str, session: Session, caller: Caller) -> RatiosOut:
    return await views.ratios(session, caller, batch_no)


@router.post("/batches/{batch_no}/attachments", response_model=AttachmentOut, status_code=201, dependencies=[UNITS])
async def upload_attachment(
    batch_no: str, request: Request, session: Session, caller: Caller, file_name: FileName,
    kind: Annotated[str, Query(description="委托代扣申请书 / 参保比例佐证材料 / 无社保人员材料 / 其他")],
    unit_code: Annotated[str | None, Query(max_length=20, description="参保比例佐证材料: the 单位社保编码")] = None,
    person_id: int | None = None,
) -> AttachmentOut:  # fmt: skip
    content, limit = await _file_body(request)
    return await attachments.upload(session, caller, batch_no, kind, unit_code, person_id, file_name, content, limit)


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


@router.post("/batches/{batch_no}/review-submission", response_model=BatchOut, dependencies=[UNITS])
async def submit_review(batch_no: str, session: Session, caller: Caller, clock: ClockDep) -> BatchOut:
    """信息确认无误，提交职保会审核."""
    await review.submit(session, caller, batch_no, clock.now())
    return await views.one(session, caller, batch_no)


@router.get("/review", response_model=Page[BatchOut], dependencies=[INSURER])
async def review_queue(session: Session, caller: Caller, page: PageNo = 1, size: Size = 15) -> Page[BatchOut]:
    """职保会待审核, oldest submission first."""
    rows, total = await review.queue(session, page, size)
    return Page(items=[await views.out(session, caller, b) for b in rows], total=total, page=page, size=size)


@router.post("/batches/{batch_no}/approve", response_model=BatchOut, dependencies=[INSURER])
async def approve(batch_no: str, session: Session, caller: Caller) -> BatchOut:
    await review.approve(session, caller, batch_no)
    return await views.one(session, caller, batch_no)


@router.post("/batches/{batch_no}/reject", response_model=BatchOut, dependencies=[INSURER])
async def reject(batch_no: str, data: RejectIn, session: Session, caller: Caller) -> BatchOut:
    await review.reject(session, caller, batch_no, data)
    return await views.one(session, caller, batch_no)


# --- 委托代扣 and 参保名单确定 ---------------------------------------------------------------------------------------


@router.post("/batches/{batch_no}/withholding-request", response_model=BatchOut, dependencies=[UNITS])
async def request_withholding(
    batch_no: str, data: WithholdingIn, session: Session, caller: Caller, vault: VaultDep, clock: ClockDep
) -> BatchOut:
    """代扣名单确认，提交代扣申请 (by June 4 16:00)."""
    await withholding.request(session, caller, vault, batch_no, data.accepted, clock.now())
    return await views.one(session, caller, batch_no)


@router.get("/batches/{batch_no}/withholding-slip")
async def withholding_slip(batch_no: str, session: Session, caller: Caller, clock: ClockDep) -> Response:
    """代扣受理单 (PDF), from one working day after the withholding request (`withholding_slip_from`)."""
    file_name, pdf = await documents.withholding_slip(session, caller, batch_no, clock.now())
    return download(file_name, "application/pdf", pdf)


@router.post("/batches/{batch_no}/confirmation", response_model=BatchOut, dependencies=[UNITS])
async def confirm_roster(batch_no: str, session: Session, caller: Caller, clock: ClockDep) -> BatchOut:
    """参保名单确定，前往上传缴费凭证 → enrollment.batch.submitted to billing."""
    await billing.confirm(session, caller, batch_no, clock.now())
    return await views.one(session, caller, batch_no)
