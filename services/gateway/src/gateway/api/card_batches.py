"""会员服务卡 (2/2): 提交办卡, 办卡批次管理 with 打印清册, 撤销办卡批次申请 and the district union's
review — passed on to the cards service under /api/cards (see api/cards.py).

Any union clerk submits and asks to revoke its own subtree's batches; the review belongs to the
district union and the platform (the service checks the reviewer's tier and subtree again). Roster
files are streamed on as the service renders them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response

from .cards import PREFIX, PageNo, Size
from .deps import CardManager, CardReader, CardRevocationReviewer, CardsService, Settings
from .relay import relay, relay_file

router = APIRouter(prefix=PREFIX, tags=["cards"])
# cb-YYYYMMDDhhmm + a sequence: one plain segment (the service answers 404 for anything unknown).
BatchNo = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,40}$", description="批次编号, e.g. cb-202312221723001")]
REVOCATION_STATE = "审核中 / 审核通过 / 审核不通过"


def _batch(batch_no: str) -> str:
    return f"/batches/{quote(batch_no, safe='')}"


# --- 办卡批次管理 ----------------------------------------------------------------------------------------


@router.post("/batches", status_code=201, summary="提交办卡")
async def submit_card_batch(user: CardManager, request: Request, service: CardsService) -> Response:
    """The `Idempotency-Key` header of a retried submission is passed on."""
    return await relay(service, user, request, "/batches")


@router.get("/batches", summary="办卡批次查询")
async def search_card_batches(
    user: CardReader,
    request: Request,
    service: CardsService,
    batch_no: Annotated[str | None, Query(description="批次编号 (part)")] = None,
    channel: Annotated[str | None, Query(description="普通 / 特殊 / 个人")] = None,
    state: Annotated[str | None, Query(description="办理中 / 已完成 / 已撤销")] = None,
    revocation_state: Annotated[str | None, Query(description=REVOCATION_STATE)] = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    page: PageNo = 1,
    size: Size = 20,
) -> Response:
    return await relay(service, user, request, "/batches")


@router.get("/batches/{batch_no}", summary="办卡批次详情")
async def get_card_batch(batch_no: BatchNo, user: CardReader, request: Request, service: CardsService) -> Response:
    return await relay(service, user, request, _batch(batch_no))


@router.get("/batches/{batch_no}/roster.pdf", summary="打印清册")
async def card_roster_pdf(
    batch_no: BatchNo, user: CardReader, request: Request, service: CardsService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, f"{_batch(batch_no)}/roster.pdf", timeout=timeout)


@router.get("/batches/{batch_no}/roster.xlsx", summary="下载需打印附件")
async def card_roster_xlsx(
    batch_no: BatchNo, user: CardReader, request: Request, service: CardsService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, f"{_batch(batch_no)}/roster.xlsx", timeout=timeout)


@router.post("/batches/{batch_no}/revocations", status_code=201, summary="撤销办卡批次申请")
async def request_card_revocation(
    batch_no: BatchNo, user: CardManager, request: Request, service: CardsService
) -> Response:
    return await relay(service, user, request, f"{_batch(batch_no)}/revocations")


# --- 撤销申请审核 ----------------------------------------------------------------------------------------


@router.get("/revocations", summary="撤销申请查询")
async def search_card_revocations(
    user: CardReader,
    request: Request,
    service: CardsService,
    state: Annotated[str | None, Query(description=REVOCATION_STATE)] = None,
    batch_no: Annotated[str | None, Query(description="批次编号 (part)")] = None,
    page: PageNo = 1,
    size: Size = 20,
) -> Response:
    return await relay(service, user, request, "/revocations")


@router.get("/revocations/{revocation_id}", summary="撤销申请详情")
async def get_card_revocation(
    revocation_id: int, user: CardReader, request: Request, service: CardsService
) -> Response:
    return await relay(service, user, request, f"/revocations/{revocation_id}")


@router.post("/revocations/{revocation_id}/approve", summary="撤销申请审核通过")
async def approve_card_revocation(
    revocation_id: int, user: CardRevocationReviewer, request: Request, service: CardsService
) -> Response:
    return await relay(service, user, request, f"/revocations/{revocation_id}/approve")


@router.post("/revocations/{revocation_id}/reject", summary="撤销申请审核不通过")
async def reject_card_revocation(
    revocation_id: int, user: CardRevocationReviewer, request: Request, service: CardsService
) -> Response:
    return await relay(service, user, request, f"/revocations/{revocation_id}/reject")
