"""保障金额设置: the district union's split per guarantee type for its subtree."""

from __future__ import annotations

from fastapi import APIRouter

from runtime.db import Session
from runtime.tokens import Caller

from ..schemas import DistrictSplitIn, DistrictSplitOut
from ..service import splits
from .deps import DISTRICT, ClockDep

router = APIRouter(prefix="/programmes/{code}/years/{year}/splits", tags=["splits"])


@router.get("", response_model=list[DistrictSplitOut], dependencies=[DISTRICT])
async def list_splits(code: str, year: int, session: Session, caller: Caller) -> list[DistrictSplitOut]:
    return await splits.list_for_district(session, caller, code, year)


@router.put("/{type_code}", response_model=DistrictSplitOut, dependencies=[DISTRICT])
async def put_split(
    code: str, year: int, type_code: str, data: DistrictSplitIn, session: Session, caller: Caller, clock: ClockDep
) -> DistrictSplitOut:
    return await splits.set_for_district(session, caller, code, year, type_code, data, clock.now())
