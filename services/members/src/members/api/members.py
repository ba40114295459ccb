"""会员信息: search, detail, add, edit, delete (退休/犯罪/死亡), masked xlsx export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from contracts.members import MemberCategory
from runtime.db import Session
from runtime.spreadsheet import workbook_bytes, xlsx_response
from runtime.tokens import Caller

from ..models import Member, MemberCreate, MemberPublic, MemberUpdate, OrgRef, Page
from ..service import members, queries
from .deps import MANAGERS, VaultDep

router = APIRouter(prefix="/members", tags=["members"])
EXPORT_LIMIT = 100_000
EXPORT_HEADER = [
    "姓名", "证件类型", "证件号", "手机号", "性别", "所在工会", "工会编号", "工作单位/服务平台", "会员标签",
    "会员来源", "是否激活电子会员证", "会员编号", "会员类别", "状态", "入会日期", "工作单位地址",
]  # fmt: skip


def member_filter(
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
    category: MemberCategory | None = None,
    status: Annotated[str | None, Query(description="正常 (default), 已删除, or empty for both")] = "正常",
) -> queries.MemberFilter:
    return queries.MemberFilter(
        name,
        id_number,
        phone,
        union_name,
        union_code,
        org_id,
        work_unit,
        tag,
        source,
        e_card_activated,
        category,
        status,
    )


Filter = Annotated[queries.MemberFilter, Depends(member_filter)]


@router.get("", response_model=Page[MemberPublic])
async def search_members(
    session: Session,
    caller: Caller,
    vault: VaultDep,
    f: Filter,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[MemberPublic]:
    rows, total = await queries.search(session, caller, vault, f, page, size)
    return Page(items=[members.public(m, o) for m, o in rows], total=total, page=page, size=size)


@router.get("/export")
async def export_members(session: Session, caller: Caller, vault: VaultDep, f: Filter) -> Response:
    rows = [_export_row(m, o) async for m, o in queries.stream(session, caller, vault, f, EXPORT_LIMIT)]
    return xlsx_response("会员信息.xlsx", workbook_bytes("会员信息", EXPORT_HEADER, rows))


def _export_row(m: Member, o: OrgRef | None) -> list[object]:
    union, code = (o.name, o.union_code) if o else ("", "")
    activated = "已激活" if m.e_card_activated else "未激活"
    return [
        m.name, m.id_type, m.id_number_masked, m.phone_masked, m.gender, union, code, m.work_unit,
        "、".join(m.tags), m.source, activated, m.member_no or "", m.category.value, m.status,
        m.joined_on.isoformat(), m.work_address,
    ]  # fmt: skip


@router.get("/{member_id}", response_model=MemberPublic)
async def get_member(member_id: str, session: Session, caller: Caller) -> MemberPublic:
    member, org = await members.get_in_scope(session, caller, member_id)
    return members.public(member, org)


@router.post("", response_model=MemberPublic, status_code=201, dependencies=[MANAGERS])
async def add_member(
    data: MemberCreate, request: Request, session: Session, caller: Caller, vault: VaultDep
) -> MemberPublic:
    member = await members.create(session, caller, vault, data, request.app.state.clock.today())
    return await _public(session, caller, str(member.id))


@router.patch("/{member_id}", response_model=MemberPublic, dependencies=[MANAGERS])
async def update_member(
    member_id: str, data: MemberUpdate, session: Session, caller: Caller, vault: VaultDep
) -> MemberPublic:
    await members.update(session, caller, vault, member_id, data)
    return await _public(session, caller, member_id)


@router.delete("/{member_id}", response_model=MemberPublic, dependencies=[MANAGERS])
async def delete_member(
    member_id: str,
    session: Session,
    caller: Caller,
    reason: Annotated[str, Query(description="删除原因: 退休 / 犯罪 / 死亡")] = "",
) -> MemberPublic:
    await members.delete(session, caller, member_id, reason)
    return await _public(session, caller, member_id)


async def _public(session: Session, caller: Caller, member_id: str) -> MemberPublic:
    member, org = await members.get_in_scope(session, caller, member_id)
    return members.public(member, org)
