"""会员管理: 会员信息, 批量导入, 会员转移 / 会籍审核管理, 会员比对 — passed on to the members service.

The members service scopes every row by the caller's org path (anything outside is 404 there) and
masks ID numbers and phones itself; the gateway keeps tiers without union work away, relays status,
problem+json and files unchanged, and lets roster uploads through with their own body limit.
One route answers here: the transfer target picker reads the gateway's own org tree (any district).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.db import Session

from ..models import Page as PageOf
from ..service import accounts, transfer_targets
from ..service.auth import find
from ..service.transfer_targets import TransferTarget
from .deps import MemberEditor, MemberReader, MembersService
from .relay import relay

router = APIRouter(prefix="/api", tags=["members"])
# Member, import and compare ids are the service's UUIDs (transfers count): one plain path segment.
Id = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,64}$")]
Page = Annotated[int, Query(ge=1)]
Size = Annotated[int, Query(ge=1, le=200)]
# multipart/form-data roster files: the body limit of these is the members service's (20 MB).
UPLOAD_ROUTES = (("POST", "/api/imports"), ("POST", "/api/compares"))


# --- 会员信息 ----------------------------------------------------------------------------------------


@router.get("/members", summary="会员查询")
async def search_members(
    user: MemberReader,
    request: Request,
    members: MembersService,
    name: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    union_name: str | None = None,
    union_code: str | None = None,
    org_id: int | None = None,
    work_unit: str | None = None,
    tag: str | None = None,
    source: str | None = None,
    e_card_activated: bool | None = None,
    category: str | None = None,
    status: str | None = None,
    page: Page = 1,
    size: Size = 20,
) -> Response:
    return await relay(members, user, request, "/members")


@router.get("/members/export", summary="导出会员信息")
async def export_members(user: MemberReader, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, "/members/export")


@router.get("/members/{member_id}", summary="会员详情")
async def get_member(member_id: Id, user: MemberReader, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, f"/members/{member_id}")


@router.post("/members", status_code=201, summary="新增会员")
async def create_member(user: MemberEditor, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, "/members")


@router.patch("/members/{member_id}", summary="修改会员信息")
async def update_member(member_id: Id, user: MemberEditor, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, f"/members/{member_id}")


@router.delete("/members/{member_id}", summary="删除会员")
async def delete_member(
    member_id: Id, user: MemberEditor, request: Request, members: MembersService, reason: str | None = None
) -> Response:
    return await relay(members, user, request, f"/members/{member_id}")


# --- 批量导入 ----------------------------------------------------------------------------------------


@router.get("/imports/template", summary="下载导入模板")
async def import_template(user: MemberReader, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, "/imports/template")


@router.post("/imports", status_code=202, summary="批量导入会员")
async def upload_import(user: MemberEditor, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, "/imports")


@router.get("/imports", summary="导入记录")
async def search_imports(
    user: MemberReader,
    request: Request,
    members: MembersService,
    state: str | None = None,
    page: Page = 1,
    size: Size = 20,
) -> Response:
    return await relay(members, user, request, "/imports")


@router.get("/imports/{import_id}", summary="导入进度")
async def get_import(import_id: Id, user: MemberReader, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, f"/imports/{import_id}")


@router.get("/imports/{import_id}/rejections", summary="查看导入结果")
async def list_rejections(
    import_id: Id,
    user: MemberReader,
    request: Request,
    members: MembersService,
    page: Page = 1,
    size: Annotated[int, Query(ge=1, le=500)] = 20,
) -> Response:
    return await relay(members, user, request, f"/imports/{import_id}/rejections")


@router.get("/imports/{import_id}/rejections.xlsx", summary="下载导入错误明细")
async def export_rejections(import_id: Id, user: MemberReader, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, f"/imports/{import_id}/rejections.xlsx")


@router.post("/imports/{import_id}/retry", status_code=202, summary="重试导入")
async def retry_import(import_id: Id, user: MemberEditor, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, f"/imports/{import_id}/retry")


# --- 会员转移 / 会籍审核管理 ---------------------------------------------------------------------------


@router.get("/transfers/default-target", summary="默认转入工会")
async def default_transfer_target(
    user: MemberReader,
    request: Request,
    members: MembersService,
    member_id: str | None = None,
    district_id: int | None = None,
) -> Response:
    return await relay(members, user, request, "/transfers/default-target")


@router.get("/transfer-targets", response_model=PageOf[TransferTarget], summary="转入工会选择")
async def list_transfer_targets(
    user: MemberEditor,
    session: Session,
    district_id: int | None = None,
    name: str | None = None,
    page: Page = 1,
    size: Size = 50,
) -> PageOf[TransferTarget]:
    """Without `district_id`: every district/bureau of the city; with it: the unions under it,
    its 临时工会 first. Ids, names and kinds only — a member may move anywhere in the city."""
    if district_id is None:
        items, total = await transfer_targets.districts(session, name, page, size)
    else:
        items, total = await transfer_targets.unions_of(session, district_id, name, page, size)
    return PageOf(items=items, total=total, page=page, size=size)


@router.post("/transfers", status_code=201, summary="会员转移")
async def request_transfers(user: MemberEditor, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, "/transfers")


@router.get("/transfers", summary="会籍审核查询")
async def search_transfers(
    user: MemberReader,
    request: Request,
    members: MembersService,
    direction: str | None = None,
    state: str | None = None,
    member_name: str | None = None,
    batch_id: str | None = None,
    page: Page = 1,
    size: Size = 20,
) -> Response:
    return await relay(members, user, request, "/transfers")


@router.get("/transfers/{transfer_id}", summary="转移申请详情")
async def get_transfer(transfer_id: int, user: MemberReader, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, f"/transfers/{transfer_id}")


@router.post("/transfers/{transfer_id}/approve", summary="审核通过会员转移")
async def approve_transfer(transfer_id: int, user: MemberEditor, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, f"/transfers/{transfer_id}/approve")


@router.post("/transfers/{transfer_id}/reject", summary="驳回会员转移")
async def reject_transfer(transfer_id: int, user: MemberEditor, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, f"/transfers/{transfer_id}/reject")


# --- 会员比对 ----------------------------------------------------------------------------------------


@router.get("/compares/template", summary="下载比对模板")
async def compare_template(user: MemberReader, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, "/compares/template")


@router.post("/compares", status_code=202, summary="上传比对表")
async def upload_compare(user: MemberEditor, request: Request, members: MembersService) -> Response:
    return await relay(members, user, request, "/compares")


@router.get("/compares", summary="会员比对记录")
async def search_compares(
    user: MemberReader,
    request: Request,
    members: MembersService,
    session: Session,
    file_name: str | None = None,
    uploader_id: Annotated[str | None, Query(description="操作账号: the uploader's login")] = None,
    state: str | None = None,
    page: Page = 1,
    size: Size = 20,
) -> Response:
    # the members service knows the uploader by account id; clerks know the account by its login
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "uploader_id"]
    if uploader_id:
        account = await find(session, uploader_id)
        params.append(("uploader_id", str(account.id) if account else uploader_id))
    return await with_uploader_logins(session, await relay(members, user, request, "/compares", params=params))


@router.get("/compares/{compare_id}", summary="比对详情")
async def get_compare(
    compare_id: Id, user: MemberReader, request: Request, members: MembersService, session: Session
) -> Response:
    return await with_uploader_logins(session, await relay(members, user, request, f"/compares/{compare_id}"))


@router.get("/compares/{compare_id}/missing", summary="查看处理详情")
async def list_compare_missing(
    compare_id: Id,
    user: MemberReader,
    request: Request,
    members: MembersService,
    page: Page = 1,
    size: Size = 20,
) -> Response:
    return await relay(members, user, request, f"/compares/{compare_id}/missing")


@router.post("/compares/{compare_id}/missing/{member_id}/handling", summary="处理比对差异")
async def handle_compare_missing(
    compare_id: Id, member_id: Id, user: MemberEditor, request: Request, members: MembersService
) -> Response:
    return await relay(members, user, request, f"/compares/{compare_id}/missing/{member_id}/handling")


@router.get("/compares/{compare_id}/extra.xlsx", summary="下载比对结果")
async def export_compare_extra(
    compare_id: Id, user: MemberReader, request: Request, members: MembersService
) -> Response:
    return await relay(members, user, request, f"/compares/{compare_id}/extra.xlsx")


async def with_uploader_logins(session: AsyncSession, answer: Response) -> Response:
    """操作账号 of a comparison (or of each on a list page): `uploader_account`, the login of the
    account the members service records as `uploader_id`."""
    if answer.status_code != 200 or answer.media_type != "application/json":
        return answer
    payload = json.loads(bytes(answer.body))
    compares = payload.get("items", [payload])
    ids = {int(c["uploader_id"]) for c in compares if str(c.get("uploader_id") or "").isdigit()}
    logins = await accounts.logins_of(session, ids)
    for c in compares:
        uploader = str(c.get("uploader_id") or "")
        c["uploader_account"] = logins.get(int(uploader)) if uploader.isdigit() else None
    return JSONResponse(payload)
