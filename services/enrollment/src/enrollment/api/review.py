"""集中参保审核 / 即时参保审核 (secondary and district unions): to-approve list, to-submit list with totals,
add / remove / return."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from contracts.enrollment import Channel, EnrollmentType
from runtime.db import Session
from runtime.tokens import Caller

from ..domain.coverage import LineState
from ..schemas import CountOut, Page, ReturnIn, StagedList, SubmissionIds, SubmissionOut
from ..service import review
from .deps import REVIEWERS, ClockDep

router = APIRouter(prefix="/review", tags=["review"], dependencies=[REVIEWERS])
PageNo = Annotated[int, Query(ge=1)]
Size = Annotated[int, Query(ge=1, le=200)]


@router.get("/pending", response_model=Page[SubmissionOut])
async def pending(
    session: Session, caller: Caller, programme: str, year: int,
    enrollment_type: EnrollmentType = EnrollmentType.COLLECTIVE,
    unit_name: Annotated[str | None, Query(description="单位名称 (part)")] = None,
    unit_code: Annotated[str | None, Query(description="组织机构代码: union code or USCC")] = None,
    submitted_from: datetime | None = None, submitted_to: datetime | None = None,
    type_code: Annotated[str | None, Query(description="保障类型")] = None,
    channel: Annotated[Channel | None, Query(description="参保通道")] = None,
    upper_org_id: Annotated[int | None, Query(description="上级工会: unions under it")] = None,
    page: PageNo = 1, size: Size = 20,
) -> Page[SubmissionOut]:  # fmt: skip
    f = review.SubmissionFilter(
        programme, year, enrollment_type, LineState.PENDING_REVIEW, unit_name, unit_code, submitted_from,
        submitted_to, type_code, channel, upper_org_id,
    )  # fmt: skip
    items, total = await review.search(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/staged", response_model=StagedList)
async def staged(
    session: Session, caller: Caller, programme: str, year: int,
    enrollment_type: EnrollmentType = EnrollmentType.COLLECTIVE, page: PageNo = 1, size: Size = 20,
) -> StagedList:  # fmt: skip
    f = review.SubmissionFilter(programme, year, enrollment_type, LineState.STAGED)
    items, total = await review.search(session, caller, f, page, size)
    totals = await review.staged_totals(session, caller, f)
    return StagedList(items=items, total=total, page=page, size=size, totals=totals)


@router.post("/stage", response_model=CountOut)
async def stage(data: SubmissionIds, session: Session, caller: Caller, clock: ClockDep) -> CountOut:
    await review.stage(session, caller, data.submission_ids, clock.now())
    return CountOut(count=len(set(data.submission_ids)))


@router.post("/unstage", response_model=CountOut)
async def unstage(data: SubmissionIds, session: Session, caller: Caller, clock: ClockDep) -> CountOut:
    await review.unstage(session, caller, data.submission_ids, clock.now())
    return CountOut(count=len(set(data.submission_ids)))


@router.post("/return", response_model=CountOut)
async def give_back(data: ReturnIn, session: Session, caller: Caller, clock: ClockDep) -> CountOut:
    await review.give_back(session, caller, data.submission_ids, data.reason, clock.now())
    return CountOut(count=len(set(data.submission_ids)))
