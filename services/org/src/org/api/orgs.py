"""组织查询管理: query, create, edit, delete, move; xlsx export of the filtered list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from contracts.org import OrgKind
from runtime.db import Session
from runtime.spreadsheet import workbook_bytes, xlsx_response
from runtime.tokens import Caller, Tier, require

from ..models import Org, OrgCreate, OrgMove, OrgPublic, OrgUpdate, Page
from ..service import orgs, queries

router = APIRouter(prefix="/orgs", tags=["orgs"])
EXPORT_LIMIT = 100_000
MANAGERS = require(Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.GRASSROOTS, Tier.ADMIN)


def org_filter(
    name: str | None = None,
    uscc: str | None = None,
    economic_type: str | None = None,
    industry: str | None = None,
    enterprise_name: str | None = None,
    kind: OrgKind | None = None,
    parent_id: int | None = None,
    union_code: str | None = None,
) -> queries.OrgFilter:
    return queries.OrgFilter(name, uscc, economic_type, industry, enterprise_name, kind, parent_id, union_code)


Filter = Annotated[queries.OrgFilter, Depends(org_filter)]


@router.get("", response_model=Page[OrgPublic])
async def search_orgs(
    session: Session,
    caller: Caller,
    f: Filter,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[Org]:
    items, total = await queries.search(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/export")
async def export_orgs(session: Session, caller: Caller, f: Filter) -> Response:
    rows = await queries.iter_all(session, caller, f, EXPORT_LIMIT)
    header = ["工会组织名称", "组织类型", "工会编号", "统一社会信用代码", "经济类型", "所属行业", "联系人", "单位地址"]
    content = workbook_bytes(
        "组织列表",
        header,
        (
            [o.name, o.kind.value, o.union_code, o.uscc, o.economic_type, o.industry, o.contact_name, o.address]
            for o in rows
        ),
    )
    return xlsx_response("组织列表.xlsx", content)


@router.get("/{org_id}", response_model=OrgPublic)
async def get_org(org_id: int, session: Session, caller: Caller) -> Org:
    return await orgs.get_in_scope(session, caller, org_id)


@router.post("", response_model=OrgPublic, status_code=201, dependencies=[MANAGERS])
async def create_org(data: OrgCreate, session: Session, caller: Caller) -> Org:
    return await orgs.create_child(session, caller, data)


@router.patch("/{org_id}", response_model=OrgPublic, dependencies=[MANAGERS])
async def update_org(org_id: int, data: OrgUpdate, session: Session, caller: Caller) -> Org:
    return await orgs.update(session, caller, org_id, data)


@router.delete("/{org_id}", status_code=204, dependencies=[MANAGERS])
async def delete_org(org_id: int, session: Session, caller: Caller) -> None:
    await orgs.delete(session, caller, org_id)


@router.post(
    "/move",
    response_model=list[OrgPublic],
    dependencies=[require(Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.ADMIN)],
)
async def move_orgs(data: OrgMove, session: Session, caller: Caller) -> list[Org]:
    return await orgs.move(session, caller, data)
