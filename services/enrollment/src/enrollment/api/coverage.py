"""A member's coverage history (保障信息查询): every enrollment in every programme and year."""

from __future__ import annotations

from fastapi import APIRouter

from runtime.db import Session
from runtime.tokens import Caller

from ..schemas import CoverageOut
from ..service import batch_views

router = APIRouter(tags=["coverage"])


@router.get("/members/{member_id}/coverage", response_model=list[CoverageOut])
async def member_coverage(member_id: str, session: Session, caller: Caller) -> list[CoverageOut]:
    return await batch_views.coverage(session, caller, member_id)
