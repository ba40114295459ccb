"""即时参保 of a grassroots union: candidates per channel (有卡无保 / 新办卡 / 社保卡 待校验·待提交), the
social-security check (获取社保卡和就业状态), 参保待确认名单, and the submission to the upper union."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from contracts.enrollment import Channel
from runtime.db import Session
from runtime.tokens import Caller

from ..schemas import CheckOut, CountOut, InstantRow, InstantSubmitIn, MemberIds, Page, RequestOut
from ..service import confirmations, instant, views
from .deps import GRASSROOTS, ChunkDep, ClockDep, IdempotencyKey

router = APIRouter(prefix="/programmes/{code}/years/{year}/instant", tags=["instant"])
OrgId = Annotated[int | None, Query(description="the union acted on; default the caller's own")]


@router.get("/candidates", response_model=Page[InstantRow])
async def candidates(
    code: str, year: int, session: Session, caller: Caller, clock: ClockDep, org_id: OrgId = None,
    channel: Channel = Channel.MEMBER_CARD,
    which: Annotated[str | None, Query(alias="list", description="待提交 / 待校验")] = None,
    newly_carded: Annotated[bool | None, Query(description="新办卡 (true) / 有卡无保 (false)")] = None,
    name: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=500)] = 20,
) -> Page[InstantRow]:  # fmt: skip
    f = instant.CandidateFilter(channel, which, newly_carded, name)
    rows = await instant.candidates(session, caller, code, year, org_id, f, clock.today())
    return Page(items=rows[(page - 1) * size : page * size], total=len(rows), page=page, size=size)


@router.post("/checks", response_model=CheckOut, status_code=202, dependencies=[GRASSROOTS])
async def ask_social_security(
    code: str, year: int, session: Session, caller: Caller, chunk: ChunkDep, org_id: OrgId = None,
    data: MemberIds | None = None,
) -> CheckOut:  # fmt: skip
    data = data or MemberIds()
    return await confirmations.ask_social_security(
        session, caller, code, year, org_id, data.member_ids, data.all, chunk
    )


@router.post("/confirmations", response_model=CountOut, dependencies=[GRASSROOTS])
async def confirm(
    code: str, year: int, data: MemberIds, session: Session, caller: Caller, org_id: OrgId = None
) -> CountOut:
    return CountOut(count=await confirmations.confirm(session, caller, code, year, org_id, data))


@router.post("/submissions", response_model=RequestOut, status_code=201, dependencies=[GRASSROOTS])
async def submit(
    code: str, year: int, data: InstantSubmitIn, session: Session, caller: Caller, clock: ClockDep,
    key: IdempotencyKey = None, org_id: OrgId = None,
) -> RequestOut:  # fmt: skip
    req = await instant.submit(session, caller, code, year, org_id, data, key, clock.now(), clock.today())
    return await views.request_out(session, req)
