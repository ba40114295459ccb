"""缴费凭证管理: upload (multipart), correct a returned one, the allocation preview, lists and export,
the files; the insurer's review (approve / return)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from runtime.db import Session
from runtime.spreadsheet import xlsx_response
from runtime.tokens import Caller

from ..domain.vouchers import VoucherState
from ..schemas import Page, PreviewOut, ReturnIn, VoucherIn, VoucherOut
from ..service import review, voucher_views, vouchers
from .deps import INSURER, PAYERS, CipherDep, ClockDep, IdempotencyKey, SettingsDep, attachment
from .multipart import voucher_form

router = APIRouter(prefix="/vouchers", tags=["vouchers"])


def _filter(
    state: VoucherState | None = None, batch_no: str | None = None, payer_org_id: int | None = None,
    programme: str | None = None, year: int | None = None, account_category: str | None = None,
    method: str | None = None, paying_unit: str | None = None, submitted_from: datetime | None = None,
    submitted_to: datetime | None = None, oldest_first: bool = False,
) -> voucher_views.VoucherFilter:  # fmt: skip
    return voucher_views.VoucherFilter(
        state.value if state else None, batch_no, payer_org_id, programme, year, account_category, method,
        paying_unit, submitted_from, submitted_to, oldest_first,
    )  # fmt: skip


Filter = Annotated[voucher_views.VoucherFilter, Depends(_filter)]


@router.post("", response_model=VoucherOut, status_code=201, dependencies=[PAYERS])
async def upload_voucher(
    request: Request, session: Session, caller: Caller, clock: ClockDep, cipher: CipherDep, settings: SettingsDep,
    key: IdempotencyKey = None,
) -> Any:  # fmt: skip
    data, files = await voucher_form(request, settings.voucher_max_bytes)
    return await vouchers.submit(session, caller, data, files, key, cipher, clock.now(), settings.voucher_max_bytes)


@router.post("/preview", response_model=PreviewOut, dependencies=[PAYERS])
async def preview_voucher(data: VoucherIn, session: Session, caller: Caller, clock: ClockDep) -> PreviewOut:
    return await vouchers.preview(session, caller, data, clock.today())


@router.get("", response_model=Page[VoucherOut])
async def list_vouchers(
    session: Session, caller: Caller, f: Filter,
    page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[VoucherOut]:  # fmt: skip
    items, total = await voucher_views.search(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/export")
async def export_vouchers(session: Session, caller: Caller, f: Filter) -> Response:
    return xlsx_response("缴费凭证.xlsx", await voucher_views.export(session, caller, f))


@router.get("/{voucher_no}", response_model=VoucherOut)
async def get_voucher(voucher_no: str, session: Session, caller: Caller) -> VoucherOut:
    return await voucher_views.out(session, await voucher_views.visible(session, caller, voucher_no), caller)


@router.put("/{voucher_no}", response_model=VoucherOut, dependencies=[PAYERS])
async def correct_voucher(
    voucher_no: str, request: Request, session: Session, caller: Caller, clock: ClockDep, cipher: CipherDep,
    settings: SettingsDep, key: IdempotencyKey = None,
) -> Any:  # fmt: skip
    data, files = await voucher_form(request, settings.voucher_max_bytes)
    return await vouchers.resubmit(
        session, caller, voucher_no, data, files, key, cipher, clock.now(), settings.voucher_max_bytes
    )


@router.get("/{voucher_no}/file")
async def download_file(voucher_no: str, session: Session, caller: Caller) -> Response:
    document = await voucher_views.file(session, caller, voucher_no, "file")
    return attachment(document.file_name, document.media_type, document.content)


@router.get("/{voucher_no}/refund-file")
async def download_refund_file(voucher_no: str, session: Session, caller: Caller) -> Response:
    document = await voucher_views.file(session, caller, voucher_no, "refund")
    return attachment(document.file_name, document.media_type, document.content)


@router.post("/{voucher_no}/approve", response_model=VoucherOut, dependencies=[INSURER])
async def approve_voucher(
    voucher_no: str, session: Session, caller: Caller, clock: ClockDep, key: IdempotencyKey = None
) -> Any:
    return await review.approve(session, caller, voucher_no, key, clock.now())


@router.post("/{voucher_no}/return", response_model=VoucherOut, dependencies=[INSURER])
async def return_voucher(voucher_no: str, data: ReturnIn, session: Session, caller: Caller, clock: ClockDep) -> Any:
    return await review.return_voucher(session, caller, voucher_no, data.reason, clock.now())
