"""覆盖企业 of a union, and 未建会单位 (units without a union) registration and query."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from runtime.db import Session
from runtime.tokens import Caller, Tier, require

from ..models import (
    CoveredEnterprise,
    CoveredEnterpriseCreate,
    CoveredEnterprisePublic,
    Enterprise,
    EnterpriseCreate,
    EnterprisePublic,
    Page,
)
from ..service import enterprises

router = APIRouter(tags=["enterprises"])


@router.get("/orgs/{org_id}/enterprises", response_model=list[CoveredEnterprisePublic])
async def list_covered(org_id: int, session: Session, caller: Caller) -> list[CoveredEnterprise]:
    return await enterprises.list_covered(session, caller, org_id)


@router.post("/orgs/{org_id}/enterprises", response_model=CoveredEnterprisePublic, status_code=201)
async def add_covered(
    org_id: int, data: CoveredEnterpriseCreate, session: Session, caller: Caller
) -> CoveredEnterprise:
    return await enterprises.add_covered(session, caller, org_id, data)


@router.delete("/orgs/{org_id}/enterprises/{enterprise_id}", status_code=204)
async def remove_covered(org_id: int, enterprise_id: int, session: Session, caller: Caller) -> None:
    await enterprises.remove_covered(session, caller, org_id, enterprise_id)


@router.post("/enterprises", response_model=EnterprisePublic, status_code=201, dependencies=[require(Tier.ADMIN)])
async def register_enterprise(data: EnterpriseCreate, request: Request, session: Session) -> Enterprise:
    """Called by the gateway's 企业注册 (it holds the SYSTEM or ADMIN token)."""
    return await enterprises.register(session, data, request.app.state.clock)


@router.get(
    "/enterprises",
    response_model=Page[EnterprisePublic],
    dependencies=[require(Tier.CITY, Tier.DISTRICT, Tier.INSURER, Tier.ADMIN)],
)
async def search_enterprises(
    session: Session,
    name: str | None = None,
    uscc: str | None = None,
    district_id: int | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[Enterprise]:
    items, total = await enterprises.search_enterprises(session, name, uscc, district_id, page, size)
    return Page(items=items, total=total, page=page, size=size)
