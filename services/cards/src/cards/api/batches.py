"""办卡批次管理: submit (提交办卡), list, detail, 打印清册 (PDF) and its xlsx, asking for a revocation."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Response

from contracts.cards import CardChannel
from runtime.db import Session
from runtime.spreadsheet import xlsx_response
from runtime.tokens import Caller

from ..domain.states import BatchState, RevocationState
from ..schemas import BatchDetail, BatchSubmit, BatchSummary, Page, Revocation, RevocationRequest
from ..service import batches, revocations, roster, submission
from .deps import MANAGERS, ClockDep, IdempotencyKey

router = APIRouter(prefix="/batches", tags=["batches"])


@router.post("", response_model=BatchDetail, status_code=201, dependencies=[MANAGERS])
async def submit_batch(
    data: BatchSubmit, session: Session, caller: Caller, clock: ClockDep, idempotency_key: IdempotencyKey = None
) -> BatchDetail:
    """提交办卡: every pending row of the channel in the caller's scope becomes one batch."""
    batch_no = await submission.submit(session, caller, data, clock.now(), idempotency_key)
    return await batches.detail(session, caller, batch_no)


@router.get("", response_model=Page[BatchSummary])
async def list_batches(
    session: Session,
    caller: Caller,
    batch_no: Annotated[str | None, Query(description="批次编号 (part)")] = None,
    channel: CardChannel | None = None,
    state: BatchState | None = None,
    revocation_state: Annotated[RevocationState | None, Query(description="批次撤销情况")] = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[BatchSummary]:
    f = batches.BatchFilter(batch_no, channel, state, revocation_state, submitted_from, submitted_to)
    items, total = await batches.search(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/{batch_no}", response_model=BatchDetail)
async def get_batch(batch_no: str, session: Session, caller: Caller) -> BatchDetail:
    return await batches.detail(session, caller, batch_no)


@router.get("/{batch_no}/roster.pdf")
async def roster_pdf(batch_no: str, session: Session, caller: Caller) -> Response:
    """打印清册."""
    content = await roster.pdf(await roster.load(session, caller, batch_no))
    disposition = f"inline; filename=\"roster.pdf\"; filename*=UTF-8''{quote(f'办卡清册-{batch_no}.pdf')}"
    return Response(content, media_type="application/pdf", headers={"Content-Disposition": disposition})


@router.get("/{batch_no}/roster.xlsx")
async def roster_xlsx(batch_no: str, session: Session, caller: Caller) -> Response:
    """下载需打印附件."""
    return xlsx_response(f"办卡清册-{batch_no}.xlsx", roster.xlsx(await roster.load(session, caller, batch_no)))


@router.post("/{batch_no}/revocations", response_model=Revocation, status_code=201, dependencies=[MANAGERS])
async def request_revocation(
    batch_no: str, data: RevocationRequest, session: Session, caller: Caller, clock: ClockDep
) -> Revocation:
    """撤销办卡批次申请 → 审核中."""
    revocation_id = await revocations.request(session, caller, batch_no, data, clock.now())
    return await revocations.get(session, caller, revocation_id)
