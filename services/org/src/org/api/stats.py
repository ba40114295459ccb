"""业务工作台: subtree counts and the joins chart (入会人数统计图)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from runtime.db import Session
from runtime.tokens import Caller

from ..models import JoinsSeries, StatsPublic, SubtreeStats
from ..service import queries

router = APIRouter(prefix="/orgs/{org_id}", tags=["workbench"])


@router.get("/stats", response_model=StatsPublic)
async def get_stats(org_id: int, session: Session, caller: Caller) -> SubtreeStats:
    return await queries.stats(session, caller, org_id)


@router.get("/joins", response_model=JoinsSeries)
async def get_joins(
    org_id: int,
    request: Request,
    session: Session,
    caller: Caller,
    granularity: Annotated[Literal["day", "week", "month"], Query()] = "day",
    start: date | None = None,
    end: date | None = None,
) -> JoinsSeries:
    default_start, default_end = queries.default_window(granularity, request.app.state.clock.today())
    return await queries.joins(session, caller, org_id, granularity, start or default_start, end or default_end)
