"""批量导入: template, upload (202 + job id), progress, 查看导入结果 and its xlsx, retry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from contracts.members import MemberCategory
from runtime.db import Session
from runtime.errors import InvalidInput
from runtime.spreadsheet import XLSX, workbook_bytes, xlsx_response
from runtime.tokens import Caller

from ..models import ImportJobPublic, ImportRejection, Page, RejectionPublic
from ..service.roster_file import template_bytes
from .deps import MANAGERS, ImporterDep
from .uploads import Uploaded

router = APIRouter(prefix="/imports", tags=["imports"])
REJECTION_HEADER = ["行号", "姓名", "证件号码", "列", "原因", "错误代码"]


@router.get("/template", response_class=Response, responses={200: {"content": {XLSX: {}}}})
async def download_template() -> Response:
    return xlsx_response("会员导入模板.xlsx", template_bytes())


@router.post("", response_model=ImportJobPublic, status_code=202, dependencies=[MANAGERS])
async def upload_import(
    upload: Uploaded, session: Session, caller: Caller, importer: ImporterDep, response: Response
) -> ImportJobPublic:
    """multipart/form-data: `file` (.xlsx), `data_type` (灵活就业类 / 企业外入会类 / 关联企业类) and, for
    关联企业类, `enterprise_name` and `enterprise_uscc`."""
    job = await importer.start(session, caller, upload, _data_type(upload.fields.get("data_type", "")))
    response.headers["Location"] = f"/imports/{job.id}"
    return ImportJobPublic.model_validate(job, from_attributes=True)


def _data_type(value: str) -> MemberCategory:
    try:
        return MemberCategory(value)
    except ValueError:
        choices = "、".join(c.value for c in MemberCategory)
        raise InvalidInput("import.data_type_invalid", f"请选择上传的会员数据类型：{choices}") from None


@router.get("", response_model=Page[ImportJobPublic])
async def list_imports(
    session: Session,
    caller: Caller,
    importer: ImporterDep,
    state: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[ImportJobPublic]:
    rows, total = await importer.search(session, caller, state, page, size)
    items = [ImportJobPublic.model_validate(r, from_attributes=True) for r in rows]
    return Page(items=items, total=total, page=page, size=size)


@router.get("/{import_id}", response_model=ImportJobPublic)
async def get_import(import_id: str, session: Session, caller: Caller, importer: ImporterDep) -> ImportJobPublic:
    return ImportJobPublic.model_validate(await importer.get(session, caller, import_id), from_attributes=True)


@router.get("/{import_id}/rejections", response_model=Page[RejectionPublic])
async def list_rejections(
    import_id: str,
    session: Session,
    caller: Caller,
    importer: ImporterDep,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=500)] = 20,
) -> Page[RejectionPublic]:
    rows, total = await importer.rejections(session, caller, import_id, page, size)
    return Page(items=[_public(r) for r in rows], total=total, page=page, size=size)


@router.get("/{import_id}/rejections.xlsx")
async def download_rejections(import_id: str, session: Session, caller: Caller, importer: ImporterDep) -> Response:
    rows, _ = await importer.rejections(session, caller, import_id, 1, 1_000_000)
    content = workbook_bytes(
        "导入失败明细",
        REJECTION_HEADER,
        ([r.row_no, r.name, r.id_number_masked, r.column_name, r.reason, r.code] for r in rows),
    )
    return xlsx_response(f"导入结果-{import_id}.xlsx", content)


@router.post("/{import_id}/retry", response_model=ImportJobPublic, status_code=202, dependencies=[MANAGERS])
async def retry_import(import_id: str, session: Session, caller: Caller, importer: ImporterDep) -> ImportJobPublic:
    return ImportJobPublic.model_validate(await importer.retry(session, caller, import_id), from_attributes=True)


def _public(r: ImportRejection) -> RejectionPublic:
    return RejectionPublic(
        row_no=r.row_no,
        column=r.column_name,
        code=r.code,
        reason=r.reason,
        name=r.name,
        id_number_masked=r.id_number_masked,
    )
