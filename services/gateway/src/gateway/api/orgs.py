"""组织查询管理 and 未建会单位: passed on to the org service with the user's internal token.

The org service scopes every row (an id outside the caller's subtree is 404 there); the gateway
first keeps whole tiers away from screens that are not theirs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from .deps import EnterpriseReader, OrgEditor, OrgMover, OrgReader, OrgService
from .exports import EXPORT_LIMIT, xlsx
from .relay import masking, relay

router = APIRouter(prefix="/api", tags=["orgs"])
ORG_LIST_PHONES = masking("contact_phone")
ENTERPRISE_PHONES = masking("phone")
Size = Annotated[int, Query(ge=1, le=200)]


@router.get("/orgs", summary="组织查询")
async def search_orgs(
    user: OrgReader,
    request: Request,
    org: OrgService,
    name: str | None = None,
    uscc: str | None = None,
    economic_type: str | None = None,
    industry: str | None = None,
    enterprise_name: str | None = None,
    kind: str | None = None,
    parent_id: int | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Size = 20,
) -> Response:
    return await relay(org, user, request, "/orgs", reshape=ORG_LIST_PHONES)


@router.get("/orgs/export", summary="导出组织列表")
async def export_orgs(user: OrgReader, request: Request, org: OrgService) -> Response:
    return await relay(org, user, request, "/orgs/export")


@router.post("/orgs/move", summary="转移组织")
async def move_orgs(user: OrgMover, request: Request, org: OrgService) -> Response:
    return await relay(org, user, request, "/orgs/move")


@router.post("/orgs", status_code=201, summary="新建下级组织")
async def create_org(user: OrgEditor, request: Request, org: OrgService) -> Response:
    return await relay(org, user, request, "/orgs")


@router.get("/orgs/{org_id}", summary="组织信息")
async def get_org(org_id: int, user: OrgReader, request: Request, org: OrgService) -> Response:
    return await relay(org, user, request, f"/orgs/{org_id}")


@router.patch("/orgs/{org_id}", summary="修改组织信息")
async def update_org(org_id: int, user: OrgEditor, request: Request, org: OrgService) -> Response:
    return await relay(org, user, request, f"/orgs/{org_id}")


@router.delete("/orgs/{org_id}", status_code=204, summary="删除组织")
async def delete_org(org_id: int, user: OrgEditor, request: Request, org: OrgService) -> Response:
    return await relay(org, user, request, f"/orgs/{org_id}")


@router.get("/orgs/{org_id}/enterprises", summary="覆盖企业")
async def list_covered(org_id: int, user: OrgReader, request: Request, org: OrgService) -> Response:
    return await relay(org, user, request, f"/orgs/{org_id}/enterprises")


@router.post("/orgs/{org_id}/enterprises", status_code=201, summary="添加覆盖企业")
async def add_covered(org_id: int, user: OrgEditor, request: Request, org: OrgService) -> Response:
    return await relay(org, user, request, f"/orgs/{org_id}/enterprises")


@router.delete("/orgs/{org_id}/enterprises/{enterprise_id}", status_code=204, summary="删除覆盖企业")
async def remove_covered(
    org_id: int, enterprise_id: int, user: OrgEditor, request: Request, org: OrgService
) -> Response:
    return await relay(org, user, request, f"/orgs/{org_id}/enterprises/{enterprise_id}")


@router.get("/enterprises", summary="未建会单位查询")
async def search_enterprises(
    user: EnterpriseReader,
    request: Request,
    org: OrgService,
    name: str | None = None,
    uscc: str | None = None,
    district_id: int | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Size = 20,
) -> Response:
    return await relay(org, user, request, "/enterprises", reshape=ENTERPRISE_PHONES)


@router.get("/enterprises/export", summary="导出未建会单位")
async def export_enterprises(
    user: EnterpriseReader,
    org: OrgService,
    name: str | None = None,
    uscc: str | None = None,
    district_id: int | None = None,
) -> Response:
    """The org service has no export of these: the gateway pages through its list."""
    params = {k: v for k, v in {"name": name, "uscc": uscc, "district_id": district_id}.items() if v is not None}
    rows: list[dict] = []
    for page in range(1, EXPORT_LIMIT // 200 + 1):
        found = await org.fetch(user.principal, "GET", "/enterprises", params={**params, "page": page, "size": 200})
        rows += found["items"]
        if len(rows) >= found["total"] or not found["items"]:
            break
    header = ["单位名称", "统一社会信用代码", "联系人", "联系电话", "所属区", "注册日期"]
    masked = ENTERPRISE_PHONES({"items": rows})["items"]
    return xlsx(
        "未建会单位.xlsx",
        header,
        ([e["name"], e["uscc"], e["contact"], e["phone"], e.get("district_id"), e["registered_on"]] for e in masked),
    )
