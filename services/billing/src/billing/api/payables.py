"""应缴 / 参保批次缴费: payables with filters and export, one payable, its notice (download; the insurer
re-issues), its statistics and lines."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from runtime.db import Session
from runtime.spreadsheet import xlsx_response
from runtime.tokens import Caller

from ..domain.payables import PayableStatus
from ..schemas import LineOut, Page, PayableOut
from ..service import documents, notices, payable_views
from .deps import INSURER, ClockDep, SettingsDep, attachment

router = APIRouter(prefix="/payables", tags=["payables"])


def _filter(
    programme: str | None = None, year: int | None = None, batch_no: str | None = None,
    payer_org_id: int | None = None,
    status: Annotated[PayableStatus | None, Query(description="缴费凭证待上传/审核中/未缴足/已确认/已失效")] = None,
    enrollment_type: str | None = None, overdue: bool | None = None, pay_by_from: date | None = None,
    pay_by_to: date | None = None,
) -> payable_views.PayableFilter:  # fmt: skip
    return payable_views.PayableFilter(
        programme, year, batch_no, payer_org_id, status, enrollment_type, overdue, pay_by_from, pay_by_to
    )


Filter = Annotated[payable_views.PayableFilter, Depends(_filter)]


@router.get("", response_model=Page[PayableOut])
async def list_payables(
    session: Session, caller: Caller, clock: ClockDep, f: Filter,
    page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[PayableOut]:  # fmt: skip
    items, total = await payable_views.search(session, caller, f, clock.today(), page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/export")
async def export_payables(session: Session, caller: Caller, clock: ClockDep, f: Filter) -> Response:
    return xlsx_response("应缴清单.xlsx", await payable_views.export(session, caller, f, clock.today()))


@router.get("/{batch_no}", response_model=PayableOut)
async def get_payable(batch_no: str, session: Session, caller: Caller, clock: ClockDep) -> PayableOut:
    return await payable_views.one(session, caller, batch_no, clock.today())


@router.get("/{batch_no}/notice")
async def download_notice(batch_no: str, session: Session, caller: Caller) -> Response:
    await payable_views.visible(session, caller, batch_no)
    notice = await documents.fetch(session, documents.notice_ref(batch_no), "告知书")
    return attachment(notice.file_name, notice.media_type, notice.content)


@router.post("/{batch_no}/notice", response_model=PayableOut, dependencies=[INSURER])
async def reissue_notice(
    batch_no: str, session: Session, caller: Caller, clock: ClockDep, settings: SettingsDep
) -> PayableOut:
    await notices.reissue(session, batch_no, settings.issuer_name, clock.today())
    return await payable_views.one(session, caller, batch_no, clock.today())


@router.get("/{batch_no}/statistics")
async def download_statistics(batch_no: str, session: Session, caller: Caller) -> Response:
    return xlsx_response(f"参保统计表-{batch_no}.xlsx", await payable_views.statistics(session, caller, batch_no))


@router.get("/{batch_no}/lines", response_model=Page[LineOut])
async def list_lines(
    batch_no: str, session: Session, caller: Caller,
    page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Page[LineOut]:  # fmt: skip
    items, total = await payable_views.lines(session, caller, batch_no, page, size)
    return Page(items=items, total=total, page=page, size=size)
