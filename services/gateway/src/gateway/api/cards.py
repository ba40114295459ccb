"""会员服务卡 (1/2): 卡片信息管理 and 待办会员列表 — passed on to the cards service under /api/cards,
by the service's own paths (`/api/cards/cards…` is its card info, `/api/cards/pending…` its pending list).

The cards service scopes every row by the caller's org path (anything outside is 404 there, the
personal queue is city-wide only), masks ID numbers, card numbers and phones and checks tiers again;
the gateway keeps the screens to union staff and relays status, problem+json and files unchanged.
个人办卡 (`/personal-applications`) is the 申工社 partner's API (a system caller): not relayed here.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from .deps import CardManager, CardReader, CardsService, Settings
from .relay import relay, relay_file

PREFIX = "/api/cards"
router = APIRouter(prefix=PREFIX, tags=["cards"])
# Members are the members service's UUIDs, personal applicants `pa-…`: one plain path segment.
MemberId = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,64}$")]
PageNo = Annotated[int, Query(ge=1)]
Size = Annotated[int, Query(ge=1, le=200)]
CARD_STATUS = "未办卡 / 待办中 / 已办卡"
CHANNEL = "普通 / 特殊 / 个人 (个人: city-wide tiers only)"


# --- 卡片信息管理 --------------------------------------------------------------------------------------


@router.get("/cards", summary="卡片信息查询")
async def search_cards(
    user: CardReader,
    request: Request,
    service: CardsService,
    name: Annotated[str | None, Query(description="姓名 (prefix)")] = None,
    member_no: Annotated[str | None, Query(description="会员编号")] = None,
    status: Annotated[str | None, Query(description=CARD_STATUS)] = None,
    channel: Annotated[str | None, Query(description="申请通道: 普通 / 特殊")] = None,
    org_id: Annotated[int | None, Query(description="that org's subtree")] = None,
    applied_from: date | None = None,
    applied_to: date | None = None,
    page: PageNo = 1,
    size: Size = 20,
) -> Response:
    return await relay(service, user, request, "/cards")


@router.get("/cards/export", summary="导出卡片信息")
async def export_cards(user: CardReader, request: Request, service: CardsService, settings: Settings) -> Response:
    return await relay_file(service, user, request, "/cards/export", timeout=settings.upstream_file_timeout_seconds)


@router.get("/cards/{member_id}", summary="卡片信息详情")
async def get_card(member_id: MemberId, user: CardReader, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, f"/cards/{member_id}")


@router.post("/cards/pending", status_code=201, summary="添加选中会员至待办")
async def add_cards_to_pending(user: CardManager, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, "/cards/pending")


@router.post("/cards/pending/all", status_code=201, summary="添加全部未办卡会员至待办")
async def add_all_cards_to_pending(user: CardManager, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, "/cards/pending/all")


# --- 待办会员列表 ----------------------------------------------------------------------------------------


@router.get("/pending", summary="待办会员列表")
async def search_card_pending(
    user: CardReader,
    request: Request,
    service: CardsService,
    channel: Annotated[str | None, Query(description=CHANNEL)] = None,
    name: Annotated[str | None, Query(description="姓名 (prefix)")] = None,
    member_no: str | None = None,
    check_state: Annotated[str | None, Query(description="未校验 / 校验中 / 已通过 / 未通过")] = None,
    info_complete: bool | None = None,
    page: PageNo = 1,
    size: Size = 20,
) -> Response:
    return await relay(service, user, request, "/pending")


@router.get("/pending/progress", summary="待办校验进度")
async def card_pending_progress(user: CardReader, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, "/pending/progress")


@router.post("/pending/checks", status_code=202, summary="提交系统校验")
async def request_card_checks(user: CardManager, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, "/pending/checks")


@router.post("/pending/remove-unready", summary="移除全部未通过会员")
async def remove_unready_card_pending(user: CardManager, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, "/pending/remove-unready")


@router.get("/pending/{row_id}", summary="待办会员详情")
async def get_card_pending(row_id: int, user: CardReader, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, f"/pending/{row_id}")


@router.put("/pending/{row_id}/expiry", summary="修改证件到期日")
async def change_card_expiry(row_id: int, user: CardManager, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, f"/pending/{row_id}/expiry")


@router.put("/pending/{row_id}/channel", summary="切换办理通道")
async def change_card_channel(row_id: int, user: CardManager, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, f"/pending/{row_id}/channel")


@router.put("/pending/{row_id}/info", summary="完善信息")
async def complete_card_info(row_id: int, user: CardManager, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, f"/pending/{row_id}/info")


@router.delete("/pending/{row_id}", status_code=204, summary="移除待办会员")
async def remove_card_pending(row_id: int, user: CardManager, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, f"/pending/{row_id}")
