"""业务工作台: the org header from the gateway's own tree, one panel per service; a service that
does not answer greys out its panel only."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import NotFound
from runtime.tokens import Tier

from ..domain import access
from ..errors import ServiceUnavailable
from ..models import EnterpriseNode, OrgNode
from . import orgtree
from .upstream import Upstream, UpstreamProblem
from .users import User


async def scoped_org(session: AsyncSession, user: User, org_id: int | None) -> OrgNode:
    """The org the workbench shows: the one asked for if in scope, else the user's own (the city
    root for city-wide staff without an org)."""
    target = org_id if org_id is not None else user.account.org_id
    node = await orgtree.live(session, target) if target is not None else await orgtree.root(session)
    if node is None or not user.principal.covers(node.path):
        raise NotFound("组织")
    return node


async def panel(service: Upstream, user: User, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    try:
        return {"status": "ok", "data": await service.fetch(user.principal, "GET", path, params=params)}
    except ServiceUnavailable as exc:
        return {"status": "unavailable", "message": exc.title}
    except UpstreamProblem as problem:
        return {"status": "unavailable", "message": _title(problem)}


def _title(problem: UpstreamProblem) -> str:
    try:
        return str(problem.response.json().get("title", "暂无数据"))
    except ValueError:
        return "暂无数据"


def org_header(node: OrgNode) -> dict[str, Any]:
    return {
        "id": node.org_id,  # the org service's shape, so the UI reads both alike
        "org_id": node.org_id,
        "name": node.name,
        "kind": node.kind,
        "union_code": node.union_code,
        "parent_id": node.parent_id,
        "path": node.path,
    }


async def workbench(
    session: AsyncSession, user: User, org_id: int | None, org: Upstream, members: Upstream
) -> dict[str, Any]:
    if user.account.tier is Tier.ENTERPRISE:
        return await _enterprise_workbench(session, user, org_id)
    if org_id is None and user.account.org_id is None and await orgtree.root(session) is None:
        return {"org": None, "panels": {}}  # platform staff before the city's org tree arrived
    node = await scoped_org(session, user, org_id)
    wanted = {"org_stats": panel(org, user, f"/orgs/{node.org_id}/stats")}
    if user.account.tier in access.MEMBER_READERS:  # 会员管理's own audience: not 职保会
        wanted["members"] = panel(members, user, "/statistics", {"org_id": node.org_id})
    answers = await asyncio.gather(*wanted.values())  # side by side: a slow service delays only itself
    return {"org": org_header(node), "panels": dict(zip(wanted, answers, strict=True))}


async def _enterprise_workbench(session: AsyncSession, user: User, org_id: int | None) -> dict[str, Any]:
    """A unit without a union has no place in the tree: its own name, and the programme panels later."""
    if org_id is not None:
        raise NotFound("组织")
    enterprise = await session.get(EnterpriseNode, user.account.enterprise_id) if user.account.enterprise_id else None
    name = enterprise.name if enterprise else user.account.name
    return {
        "org": {"id": None, "org_id": None, "enterprise_id": user.account.enterprise_id, "name": name},
        "panels": {},
    }
