"""卡片信息管理: eligible members and their card status, export, adding to the pending list."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from runtime.clock import SHANGHAI
from runtime.db import Session
from runtime.spreadsheet import workbook_bytes, xlsx_response
from runtime.tokens import Caller

from ..domain.states import CardStatus
from ..schemas import AddAllToPending, Added, AddToPending, CardDetail, CardInfo, Page
from ..service import card_info
from .deps import MANAGERS, ClockDep

router = APIRouter(prefix="/cards", tags=["cards"])
EXPORT_HEADER = [
    "会员编号", "姓名", "证件类型", "证件号码", "所在工会", "工作单位", "工作单位地址", "银行卡号", "申办时间",
    "申请通道", "办理状态", "批次编号", "备注",
]  # fmt: skip


def card_filter(
    name: Annotated[str | None, Query(description="姓名 (prefix)")] = None,
    member_no: Annotated[str | None, Query(description="会员编号 (exact)")] = None,
    status: Annotated[CardStatus | None, Query(description="办理状态")] = None,
    channel: Annotated[str | None, Query(description="申请通道: 普通 / 特殊")] = None,
    org_id: Annotated[int | None, Query(description="this org's subtree")] = None,
    applied_from: Annotated[date | None, Query(description="申办时间 from")] = None,
    applied_to: Annotated[date | None, Query(description="申办时间 to (inclusive)")] = None,
) -> card_info.CardFilter:
    return card_info.CardFilter(name, member_no, status, channel, org_id, applied_from, applied_to)


Filter = Annotated[card_info.CardFilter, Depends(card_filter)]


@router.get("", response_model=Page[CardInfo])
async def list_cards(
    session: Session,
    caller: Caller,
    f: Filter,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[CardInfo]:
    items, total = await card_info.search(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/export")
async def export_cards(request: Request, session: Session, caller: Caller, f: Filter) -> Response:
    limit: int = request.app.state.settings.export_max_rows
    rows = [_export_row(c) async for c in card_info.stream(session, caller, f, limit)]
    return xlsx_response("卡片信息.xlsx", workbook_bytes("卡片信息", EXPORT_HEADER, rows))


def _export_row(c: CardInfo) -> list[object]:
    applied = f"{c.applied_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}" if c.applied_at else ""
    return [
        c.member_no or "", c.name, c.id_type, c.id_number, c.union_name, c.work_unit, c.work_address,
        c.card_number or "", applied, c.channel or "", c.status, c.batch_no or "", c.note or "",
    ]  # fmt: skip


@router.get("/{member_id}", response_model=CardDetail)
async def get_card(member_id: str, session: Session, caller: Caller) -> CardDetail:
    return await card_info.detail(session, caller, member_id)


@router.post("/pending", response_model=Added, status_code=201, dependencies=[MANAGERS])
async def add_selected(data: AddToPending, session: Session, caller: Caller, clock: ClockDep) -> Added:
    """添加选中的未办卡会员至待办: all or none."""
    return Added(added=await card_info.add_selected(session, caller, data.member_ids, clock.now()))


@router.post("/pending/all", response_model=Added, status_code=201, dependencies=[MANAGERS])
async def add_all(session: Session, caller: Caller, clock: ClockDep, data: AddAllToPending | None = None) -> Added:
    """添加全部的未办卡会员至待办."""
    org_id = data.org_id if data else None
    return Added(added=await card_info.add_all(session, caller, org_id, clock.now()))
