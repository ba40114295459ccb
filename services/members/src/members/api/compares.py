"""会员比对: upload the complete roster, the list of comparisons, 查看处理详情, 下载比对结果."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from runtime.db import Session
from runtime.spreadsheet import workbook_bytes, xlsx_response
from runtime.tokens import Caller

from ..domain.roster import COLUMNS
from ..models import CompareMissingPublic, ComparePublic, HandlingRequest, Page
from ..service.roster_file import template_bytes
from .deps import MANAGERS, ComparerDep
from .uploads import Uploaded

router = APIRouter(prefix="/compares", tags=["compares"])


@router.get("/template")
async def download_template() -> Response:
    return xlsx_response("会员比对模板.xlsx", template_bytes())


@router.post("", response_model=ComparePublic, status_code=202, dependencies=[MANAGERS])
async def upload_roster(
    upload: Uploaded, session: Session, caller: Caller, comparer: ComparerDep, response: Response
) -> ComparePublic:
    """multipart/form-data with `file`: the complete current roster, in the import template."""
    job = await comparer.start(session, caller, upload)
    response.headers["Location"] = f"/compares/{job.id}"
    return ComparePublic.model_validate(job, from_attributes=True)


@router.get("", response_model=Page[ComparePublic])
async def list_compares(
    session: Session,
    caller: Caller,
    comparer: ComparerDep,
    file_name: Annotated[str | None, Query(description="比对表名")] = None,
    uploader_id: Annotated[str | None, Query(description="操作账号")] = None,
    state: Annotated[str | None, Query(description="排队中 / 比对中 / 比对完成 / 比对失败")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[ComparePublic]:
    filters = {"file_name": file_name, "uploader_id": uploader_id, "state": state}
    rows, total = await comparer.search(session, caller, filters, page, size)
    items = [ComparePublic.model_validate(r, from_attributes=True) for r in rows]
    return Page(items=items, total=total, page=page, size=size)


@router.get("/{compare_id}", response_model=ComparePublic)
async def get_compare(compare_id: str, session: Session, caller: Caller, comparer: ComparerDep) -> ComparePublic:
    return ComparePublic.model_validate(await comparer.get(session, caller, compare_id), from_attributes=True)


@router.get("/{compare_id}/missing", response_model=Page[CompareMissingPublic])
async def list_missing(
    compare_id: str,
    session: Session,
    caller: Caller,
    comparer: ComparerDep,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[CompareMissingPublic]:
    """查看处理详情: members in the platform but not in the file."""
    items, total = await comparer.missing(session, caller, compare_id, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.post("/{compare_id}/missing/{member_id}/handling", dependencies=[MANAGERS])
async def handle_missing(
    compare_id: str, member_id: str, data: HandlingRequest, session: Session, caller: Caller, comparer: ComparerDep
) -> dict[str, str | None]:
    row = await comparer.handle(session, caller, compare_id, member_id, data)
    return {"member_id": str(row.member_id), "handling": row.handling, "handled_by": row.handled_by}


@router.get("/{compare_id}/extra.xlsx")
async def download_extra(compare_id: str, session: Session, caller: Caller, comparer: ComparerDep) -> Response:
    """下载比对结果: people in the file but not in the platform, in the import template's columns."""
    rows = await comparer.extra_rows(session, caller, compare_id)
    content = workbook_bytes("会员信息", [header for _, header in COLUMNS], rows)
    return xlsx_response(f"比对结果-{compare_id}.xlsx", content)
