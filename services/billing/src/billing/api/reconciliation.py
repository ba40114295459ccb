"""对账 and the city federation's view of the split, with their xlsx exports."""

from __future__ import annotations

from fastapi import APIRouter, Response

from runtime.db import Session
from runtime.spreadsheet import xlsx_response
from runtime.tokens import Caller

from ..schemas import BalanceOut, SplitViewOut
from ..service import reconciliation
from .deps import ClockDep

router = APIRouter(prefix="/reconciliation", tags=["reconciliation"])


@router.get("", response_model=BalanceOut)
async def balance(programme: str, year: int, session: Session, caller: Caller, clock: ClockDep) -> BalanceOut:
    return await reconciliation.balance(session, caller, programme, year, clock.today())


@router.get("/export")
async def export_balance(programme: str, year: int, session: Session, caller: Caller, clock: ClockDep) -> Response:
    view = await reconciliation.balance(session, caller, programme, year, clock.today())
    return xlsx_response(f"对账-{programme}-{year}.xlsx", reconciliation.balance_xlsx(view))


@router.get("/split", response_model=SplitViewOut)
async def split(programme: str, year: int, session: Session, caller: Caller) -> SplitViewOut:
    return await reconciliation.split(session, caller, programme, year)


@router.get("/split/export")
async def export_split(programme: str, year: int, session: Session, caller: Caller) -> Response:
    view = await reconciliation.split(session, caller, programme, year)
    return xlsx_response(f"分摊-{programme}-{year}.xlsx", reconciliation.split_xlsx(view))
