"""参保信息管理: a union's submissions (and any in the caller's subtree), their lines, their notice."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from contracts.enrollment import Channel, EnrollmentType
from runtime.db import Session
from runtime.tokens import Caller

from ..domain.coverage import LineState
from ..schemas import LineOut, Page, SubmissionOut
from ..service import notices, review, views
from .deps import pdf_response

router = APIRouter(tags=["submissions"])
STATES = " / ".join(s.value for s in LineState)


@router.get("/submissions", response_model=Page[SubmissionOut])
async def list_submissions(
    session: Session, caller: Caller, programme: str, year: int,
    enrollment_type: EnrollmentType | None = None,
    state: Annotated[str | None, Query(description=STATES)] = None,
    org_id: int | None = None, channel: Channel | None = None, batch_no: str | None = None,
    submitted_from: datetime | None = None, submitted_to: datetime | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[SubmissionOut]:  # fmt: skip
    f = review.SubmissionFilter(
        programme, year, enrollment_type, state, org_id=org_id, channel=channel, batch_no=batch_no,
        submitted_from=submitted_from, submitted_to=submitted_to,
    )  # fmt: skip
    items, total = await review.search(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/submissions/{submission_id}", response_model=SubmissionOut)
async def get_submission(submission_id: int, session: Session, caller: Caller) -> SubmissionOut:
    return await review.get(session, caller, submission_id)


@router.get("/submissions/{submission_id}/lines", response_model=Page[LineOut])
async def submission_lines(
    submission_id: int, session: Session, caller: Caller,
    page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Page[LineOut]:  # fmt: skip
    items, total = await views.submission_lines(session, caller, submission_id, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/requests/{request_id}/notice")
async def request_notice(request_id: str, session: Session, caller: Caller) -> Response:
    req = await views.visible_request(session, caller, request_id)
    notice = await notices.fetch(session, notices.request_owner(req.id))
    return pdf_response(notice.file_name, notice.pdf)
