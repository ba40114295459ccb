"""操作日志: search and export (平台管理员, 市总工会)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from runtime.db import Session

from ..models import AuditPublic, Page
from ..service import audit
from ..service.audit import AuditFilter
from .deps import AuditReader
from .exports import EXPORT_LIMIT, xlsx

router = APIRouter(prefix="/api/audit", tags=["audit"])
OUTCOME_LABELS = {"success": "成功", "denied": "拒绝", "failure": "失败"}


def audit_filter(
    account: str | None = None,
    action: str | None = None,
    target: str | None = None,
    outcome: Literal["success", "denied", "failure"] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> AuditFilter:
    return AuditFilter(account, action, target, outcome, start, end)


Filter = Annotated[AuditFilter, Depends(audit_filter)]


@router.get("", response_model=Page[AuditPublic], summary="操作日志")
async def search_audit(
    _: AuditReader,
    session: Session,
    f: Filter,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[AuditPublic]:
    items, total = await audit.search(session, f, page, size)
    return Page(items=[AuditPublic.model_validate(e) for e in items], total=total, page=page, size=size)


@router.get("/export", summary="导出操作日志")
async def export_audit(_: AuditReader, session: Session, f: Filter) -> Response:
    rows = await audit.iter_all(session, f, EXPORT_LIMIT)
    header = ["时间", "账号", "层级", "IP", "请求方法", "接口", "操作", "操作对象", "结果", "状态码"]
    return xlsx(
        "操作日志.xlsx",
        header,
        (
            [
                e.at,
                e.account,
                e.tier,
                e.ip,
                e.method,
                e.route,
                e.action_label or e.action,
                " ".join(e.target_ids),
                OUTCOME_LABELS.get(e.outcome, e.outcome),
                e.status,
            ]
            for e in rows
        ),
    )
