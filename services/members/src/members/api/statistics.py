"""业务工作台's member panel: the figures of the caller's subtree, or of an org inside it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from runtime.db import Session
from runtime.tokens import Caller

from ..service import statistics
from ..service.statistics import MemberStatistics

router = APIRouter(prefix="/statistics", tags=["statistics"])


@router.get("", response_model=MemberStatistics)
async def member_statistics(
    request: Request,
    session: Session,
    caller: Caller,
    org_id: Annotated[int | None, Query(description="an org in the caller's scope; default: the caller's own")] = None,
) -> MemberStatistics:
    return await statistics.figures(session, caller, org_id, request.app.state.clock.today())
