"""退款: lists and export, one refund, the insurer pays it back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from runtime.db import Session
from runtime.spreadsheet import xlsx_response
from runtime.tokens import Caller

from ..domain.refunds import RefundState
from ..schemas import Page, RefundIssueIn, RefundOut
from ..service import refunds
from .deps import INSURER, CipherDep, ClockDep, IdempotencyKey

router = APIRouter(prefix="/refunds", tags=["refunds"])


def _filter(
    state: RefundState | None = None, payer_org_id: int | None = None, programme: str | None = None,
    year: int | None = None, voucher_no: str | None = None,
) -> refunds.RefundFilter:  # fmt: skip
    return refunds.RefundFilter(state.value if state else None, payer_org_id, programme, year, voucher_no)


Filter = Annotated[refunds.RefundFilter, Depends(_filter)]


@router.get("", response_model=Page[RefundOut])
async def list_refunds(
    session: Session, caller: Caller, cipher: CipherDep, f: Filter,
    page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[RefundOut]:  # fmt: skip
    items, total = await refunds.search(session, caller, f, cipher, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/export")
async def export_refunds(session: Session, caller: Caller, cipher: CipherDep, f: Filter) -> Response:
    return xlsx_response("退款清单.xlsx", await refunds.export(session, caller, f, cipher))


@router.get("/{refund_no}", response_model=RefundOut)
async def get_refund(refund_no: str, session: Session, caller: Caller, cipher: CipherDep) -> RefundOut:
    return await refunds.one(session, caller, refund_no, cipher)


@router.post("/{refund_no}/issue", response_model=RefundOut, dependencies=[INSURER])
async def issue_refund(
    refund_no: str, data: RefundIssueIn, session: Session, caller: Caller, cipher: CipherDep, clock: ClockDep,
    key: IdempotencyKey = None,
) -> Any:  # fmt: skip
    return await refunds.issue(session, caller, refund_no, data, key, cipher, clock.now())
