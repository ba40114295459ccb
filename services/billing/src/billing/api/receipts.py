"""专用收据 / 电子票据: a batch's receipts (ask, issue), lists and export, the PDF, voiding."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from runtime.db import Session
from runtime.spreadsheet import xlsx_response
from runtime.tokens import Caller

from ..domain.receipts import ReceiptState
from ..schemas import Page, ReceiptOut, ReceiptRequestIn, ReceiptsOut, VoidIn
from ..service import receipt_views, receipts
from .deps import INSURER, PAYERS, ClockDep, IdempotencyKey, SettingsDep, attachment

router = APIRouter(tags=["receipts"])


def _filter(
    state: ReceiptState | None = None, batch_no: str | None = None, payer_org_id: int | None = None,
    programme: str | None = None, year: int | None = None, title: str | None = None,
) -> receipt_views.ReceiptFilter:  # fmt: skip
    return receipt_views.ReceiptFilter(state.value if state else None, batch_no, payer_org_id, programme, year, title)


Filter = Annotated[receipt_views.ReceiptFilter, Depends(_filter)]


@router.get("/payables/{batch_no}/receipts", response_model=ReceiptsOut)
async def batch_receipts(batch_no: str, session: Session, caller: Caller) -> ReceiptsOut:
    return await receipt_views.of_batch(session, caller, batch_no)


@router.put("/payables/{batch_no}/receipts", response_model=ReceiptsOut, dependencies=[PAYERS])
async def request_receipts(
    batch_no: str, data: ReceiptRequestIn, session: Session, caller: Caller, clock: ClockDep,
    key: IdempotencyKey = None,
) -> Any:  # fmt: skip
    return await receipts.request(session, caller, batch_no, data, key, clock.now())


@router.post("/payables/{batch_no}/receipts/issue", response_model=ReceiptsOut, dependencies=[INSURER])
async def issue_receipts(
    batch_no: str, session: Session, caller: Caller, clock: ClockDep, settings: SettingsDep,
    key: IdempotencyKey = None,
) -> Any:  # fmt: skip
    return await receipts.issue(session, caller, batch_no, key, settings.issuer_name, clock.now())


@router.get("/receipts", response_model=Page[ReceiptOut])
async def list_receipts(
    session: Session, caller: Caller, f: Filter,
    page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[ReceiptOut]:  # fmt: skip
    items, total = await receipt_views.search(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/receipts/export")
async def export_receipts(session: Session, caller: Caller, f: Filter) -> Response:
    return xlsx_response("专用收据.xlsx", await receipt_views.export(session, caller, f))


@router.get("/receipts/{receipt_no}/pdf")
async def download_receipt(receipt_no: str, session: Session, caller: Caller) -> Response:
    document = await receipt_views.pdf(session, caller, receipt_no)
    return attachment(document.file_name, document.media_type, document.content)


@router.post("/receipts/{receipt_no}/void", response_model=ReceiptsOut, dependencies=[INSURER])
async def void_receipt(
    receipt_no: str, data: VoidIn, session: Session, caller: Caller, clock: ClockDep, key: IdempotencyKey = None
) -> Any:
    return await receipts.void(session, caller, receipt_no, data.reason, key, clock.now())
