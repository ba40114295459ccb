"""待办会员列表: both channels (and the platform's personal queue), progress, checks and edits."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from contracts.cards import CardChannel
from runtime.db import Session
from runtime.tokens import Caller

from ..domain.states import CheckState
from ..schemas import (
    ChannelChange,
    ChannelProgress,
    CheckRequest,
    CheckSent,
    ExpiryChange,
    InfoCompletion,
    Page,
    PendingRow,
    Removed,
    RemoveUnready,
)
from ..service import checks, pending
from .deps import MANAGERS, ClockDep

router = APIRouter(prefix="/pending", tags=["pending"])


@router.get("", response_model=Page[PendingRow])
async def list_pending(
    session: Session,
    caller: Caller,
    channel: CardChannel = CardChannel.NORMAL,
    name: Annotated[str | None, Query(description="姓名 (prefix)")] = None,
    member_no: str | None = None,
    check_state: Annotated[CheckState | None, Query(description="信息校验状态")] = None,
    info_complete: Annotated[bool | None, Query(description="信息完善状态 (特殊)")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[PendingRow]:
    f = pending.PendingFilter(channel, name, member_no, check_state, info_complete)
    items, total = await pending.search(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/progress", response_model=dict[str, ChannelProgress])
async def progress(session: Session, caller: Caller) -> dict[str, ChannelProgress]:
    """Per channel: 待办会员共 n 人; 校验通过 / 未通过 / 未校验 …; whether 提交办卡 may be pressed."""
    return await pending.progress(session, caller)


@router.post("/checks", response_model=CheckSent, status_code=202, dependencies=[MANAGERS])
async def request_checks(data: CheckRequest, session: Session, caller: Caller, clock: ClockDep) -> CheckSent:
    """提交系统校验 for the selected rows (already passed ones are skipped)."""
    return await checks.request_checks(session, caller, data.ids, clock.now())


@router.post("/remove-unready", response_model=Removed, dependencies=[MANAGERS])
async def remove_unready(data: RemoveUnready, session: Session, caller: Caller) -> Removed:
    """移除全部校验未通过及未校验会员 / 移除全部信息未完善会员."""
    return Removed(removed=await pending.remove_unready(session, caller, data.channel))


@router.get("/{row_id}", response_model=PendingRow)
async def get_row(row_id: int, session: Session, caller: Caller) -> PendingRow:
    return await pending.get_row(session, caller, row_id)


@router.put("/{row_id}/expiry", response_model=PendingRow, dependencies=[MANAGERS])
async def change_expiry(
    row_id: int, data: ExpiryChange, session: Session, caller: Caller, clock: ClockDep
) -> PendingRow:
    """修改证件到期日: a future date, or long_term (长期)."""
    await pending.change_expiry(session, caller, row_id, data.expiry, data.long_term, clock.today())
    return await pending.get_row(session, caller, row_id)


@router.put("/{row_id}/channel", response_model=PendingRow, dependencies=[MANAGERS])
async def change_channel(row_id: int, data: ChannelChange, session: Session, caller: Caller) -> PendingRow:
    await pending.change_channel(session, caller, row_id, data.channel)
    return await pending.get_row(session, caller, row_id)


@router.put("/{row_id}/info", response_model=PendingRow, dependencies=[MANAGERS])
async def complete_info(
    row_id: int, data: InfoCompletion, session: Session, caller: Caller, clock: ClockDep
) -> PendingRow:
    """完善信息 (特殊办卡通道): 证件类型, 证件到期日 or 长期, 国籍."""
    await pending.complete_info(session, caller, row_id, data, clock.today(), clock.now())
    return await pending.get_row(session, caller, row_id)


@router.delete("/{row_id}", status_code=204, dependencies=[MANAGERS])
async def remove(row_id: int, session: Session, caller: Caller) -> Response:
    await pending.remove(session, caller, row_id)
    return Response(status_code=204)
