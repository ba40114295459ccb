"""参保批次管理: the district submits its to-submit list to the insurer (a batch CB…), lists and reads
batches, downloads the notice and the statistics; overdue batches lapse on request."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from contracts.enrollment import EnrollmentType
from runtime.db import Session
from runtime.spreadsheet import xlsx_response
from runtime.tokens import Caller

from ..models import Enrollment
from ..schemas import BatchOut, BatchSubmitIn, LapseOut, LineOut, Page
from ..service import batch_views, batches, notices, payments, views
from .deps import DISTRICT, LAPSE, CipherDep, ClockDep, IdempotencyKey, pdf_response

router = APIRouter(prefix="/batches", tags=["batches"])


@router.post("", response_model=BatchOut, status_code=201, dependencies=[DISTRICT])
async def submit_to_insurer(
    data: BatchSubmitIn, session: Session, caller: Caller, clock: ClockDep, cipher: CipherDep,
    key: IdempotencyKey = None,
) -> BatchOut:  # fmt: skip
    no = await batches.submit(session, caller, data, key, cipher, clock.now(), clock.today())
    return await batch_views.out(session, await batch_views.visible(session, caller, no))


@router.get("", response_model=Page[BatchOut])
async def list_batches(
    session: Session, caller: Caller, programme: str | None = None, year: int | None = None,
    batch_no: str | None = None, state: Annotated[str | None, Query(description="待缴费 / 已完成 / 已失效")] = None,
    enrollment_type: EnrollmentType | None = None, submitted_from: datetime | None = None,
    submitted_to: datetime | None = None,
    page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[BatchOut]:  # fmt: skip
    f = batch_views.BatchFilter(programme, year, batch_no, state, enrollment_type, submitted_from, submitted_to)
    items, total = await batch_views.search(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.post("/lapse-overdue", response_model=LapseOut, dependencies=[LAPSE])
async def lapse_overdue(request: Request, clock: ClockDep) -> LapseOut:
    return LapseOut(lapsed=await payments.lapse_overdue(request.app.state.sessions, clock))


@router.get("/{batch_no}", response_model=BatchOut)
async def get_batch(batch_no: str, session: Session, caller: Caller) -> BatchOut:
    return await batch_views.out(session, await batch_views.visible(session, caller, batch_no))


@router.get("/{batch_no}/notice")
async def batch_notice(batch_no: str, session: Session, caller: Caller) -> Response:
    await batch_views.visible(session, caller, batch_no)
    notice = await notices.fetch(session, notices.batch_owner(batch_no))
    return pdf_response(notice.file_name, notice.pdf)


@router.get("/{batch_no}/statistics")
async def batch_statistics(batch_no: str, session: Session, caller: Caller) -> Response:
    return xlsx_response(f"集中参保统计表-{batch_no}.xlsx", await batch_views.statistics(session, caller, batch_no))


@router.get("/{batch_no}/lines", response_model=Page[LineOut])
async def batch_lines(
    batch_no: str, session: Session, caller: Caller,
    page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Page[LineOut]:  # fmt: skip
    await batch_views.visible(session, caller, batch_no)
    items, total = await views.lines(session, [Enrollment.batch_no == batch_no], page, size)
    return Page(items=items, total=total, page=page, size=size)
