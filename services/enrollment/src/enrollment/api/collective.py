"""集中参保 of a grassroots union: 集中参保办理 (overview and its lists), 待确认名单, exclusions, the
social-security check, and 提交至上级审核 (each submission regenerates the notice)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from runtime.db import Session
from runtime.tokens import Caller

from ..schemas import (
    CheckOut,
    CollectiveOverview,
    CollectiveSubmitIn,
    CountOut,
    ExclusionIn,
    MemberIds,
    Page,
    RequestOut,
    RosterRow,
)
from ..service import collective, confirmations, lists, views
from .deps import GRASSROOTS, ChunkDep, ClockDep, IdempotencyKey

router = APIRouter(prefix="/programmes/{code}/years/{year}/collective", tags=["collective"])
OrgId = Annotated[int | None, Query(description="the union acted on; default the caller's own")]


@router.get("", response_model=CollectiveOverview)
async def get_overview(
    code: str, year: int, session: Session, caller: Caller, clock: ClockDep, org_id: OrgId = None,
    type_code: str | None = None,
) -> CollectiveOverview:  # fmt: skip
    return await collective.overview(session, caller, code, year, org_id, type_code, clock.now())


@router.get("/members", response_model=Page[RosterRow])
async def list_members(
    code: str, year: int, session: Session, caller: Caller, org_id: OrgId = None,
    which: Annotated[str | None, Query(alias="list", description=" / ".join(collective.LISTS))] = None,
    name: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=500)] = 20,
) -> Page[RosterRow]:  # fmt: skip
    rows = await lists.roster_rows(session, caller, code, year, org_id, which, name)
    return Page(items=rows[(page - 1) * size : page * size], total=len(rows), page=page, size=size)


@router.post("/confirmations", response_model=CountOut, dependencies=[GRASSROOTS])
async def confirm(
    code: str, year: int, data: MemberIds, session: Session, caller: Caller, org_id: OrgId = None
) -> CountOut:
    return CountOut(count=await confirmations.confirm(session, caller, code, year, org_id, data))


@router.post("/exclusions", response_model=CountOut, dependencies=[GRASSROOTS])
async def exclude(
    code: str, year: int, data: ExclusionIn, session: Session, caller: Caller, org_id: OrgId = None
) -> CountOut:
    return CountOut(count=await confirmations.exclude(session, caller, code, year, org_id, data))


@router.delete("/exclusions/{member_id}", response_model=CountOut, dependencies=[GRASSROOTS])
async def include(
    code: str, year: int, member_id: str, session: Session, caller: Caller, org_id: OrgId = None
) -> CountOut:
    return CountOut(count=await confirmations.include(session, caller, code, year, org_id, member_id))


@router.post("/checks", response_model=CheckOut, status_code=202, dependencies=[GRASSROOTS])
async def ask_social_security(
    code: str, year: int, session: Session, caller: Caller, chunk: ChunkDep, org_id: OrgId = None,
    data: MemberIds | None = None,
) -> CheckOut:  # fmt: skip
    data = data or MemberIds()
    return await confirmations.ask_social_security(
        session, caller, code, year, org_id, data.member_ids, data.all, chunk
    )


@router.post("/submissions", response_model=RequestOut, status_code=201, dependencies=[GRASSROOTS])
async def submit(
    code: str, year: int, data: CollectiveSubmitIn, session: Session, caller: Caller, clock: ClockDep,
    key: IdempotencyKey = None, org_id: OrgId = None,
) -> RequestOut:  # fmt: skip
    req = await collective.submit(session, caller, code, year, org_id, data.type_code, key, clock.now(), clock.today())
    return await views.request_out(session, req)
