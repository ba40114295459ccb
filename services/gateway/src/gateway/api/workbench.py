"""业务工作台: subtree statistics and the joins chart (入会人数统计图)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Request, Response

from runtime.db import Session

from ..service import workbench
from .deps import JoinsReader, MembersService, OrgService, WorkbenchUser
from .relay import relay

router = APIRouter(prefix="/api/workbench", tags=["workbench"])


@router.get("", summary="业务工作台")
async def get_workbench(
    user: WorkbenchUser, session: Session, org: OrgService, members: MembersService, org_id: int | None = None
) -> dict[str, Any]:
    return await workbench.workbench(session, user, org_id, org, members)


@router.get("/joins", summary="入会人数统计")
async def get_joins(
    user: JoinsReader,
    request: Request,
    session: Session,
    org: OrgService,
    org_id: int | None = None,
    granularity: Literal["day", "week", "month"] = "day",
    start: date | None = None,
    end: date | None = None,
) -> Response:
    node = await workbench.scoped_org(session, user, org_id)
    return await relay(org, user, request, f"/orgs/{node.org_id}/joins")
