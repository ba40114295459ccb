"""会员专享保障 (1/2): the programme model, 保障金额设置, 集中参保 and 即时参保 — passed on to the
enrollment service under /api/enrollment.

The enrollment service scopes every row by the caller's org path (anything outside is 404 there),
masks ID numbers and phones, enforces the windows and checks tiers again; the gateway keeps each
action to the tier the manuals give it and relays status, problem+json and PDFs unchanged. The
`notice_url` of an answer names the service's path: it is rewritten to the gateway's.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response

from .deps import (
    EnrollingUnion,
    EnrollmentReader,
    EnrollmentService,
    ProgrammeEditor,
    SplitSetter,
    UnionStaff,
)
from .relay import relay

PREFIX = "/api/enrollment"
router = APIRouter(prefix=PREFIX, tags=["enrollment"])
# Codes are checked by the service (its own Chinese titles); here only that they are one plain segment.
Code = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,40}$", description="项目编码, e.g. member-basic")]
Year = Annotated[int, Path(ge=1900, le=2999, description="保障年度")]
TypeCode = Annotated[str, Path(pattern=r"^[0-9A-Za-z+]{1,8}$", description="保障类型编码 (A, A+ …; + URL-encoded)")]
MemberId = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,64}$")]
OrgId = Annotated[int | None, Query(description="the union acted on; default the caller's own")]
PageNo = Annotated[int, Query(ge=1)]
RosterSize = Annotated[int, Query(ge=1, le=500)]
ROSTER_LISTS = "参保名单 / 待确认 / 未办卡 / 退休 / 死亡 / 已排除 / 已参保 / 已提交 / 即将退休 (empty: everyone)"


def gateway_urls(body: Any) -> Any:
    """Every `notice_url` in an answer, as the browser reaches it through the gateway."""
    if isinstance(body, list):
        return [gateway_urls(item) for item in body]
    if isinstance(body, dict):
        return {
            k: PREFIX + v if k == "notice_url" and isinstance(v, str) and v.startswith("/") else gateway_urls(v)
            for k, v in body.items()
        }
    return body


def _year(code: str, year: int) -> str:
    return f"/programmes/{quote(code, safe='')}/years/{year}"


# --- 项目与保障类型 (city; reads for every tier with enrollment work) ---------------------------------


@router.get("/programmes", summary="保障项目列表")
async def list_programmes(user: EnrollmentReader, request: Request, service: EnrollmentService) -> Response:
    return await relay(service, user, request, "/programmes")


@router.put("/programmes/{code}", summary="设置保障项目")
async def put_programme(code: Code, user: ProgrammeEditor, request: Request, service: EnrollmentService) -> Response:
    return await relay(service, user, request, f"/programmes/{quote(code, safe='')}")


@router.get("/programmes/{code}/years/{year}", summary="保障年度参数")
async def get_programme_year(
    code: Code, year: Year, user: EnrollmentReader, request: Request, service: EnrollmentService
) -> Response:
    return await relay(service, user, request, _year(code, year))


@router.put("/programmes/{code}/years/{year}", summary="设置保障年度")
async def put_programme_year(
    code: Code, year: Year, user: ProgrammeEditor, request: Request, service: EnrollmentService
) -> Response:
    return await relay(service, user, request, _year(code, year))


@router.put("/programmes/{code}/years/{year}/types/{type_code}", summary="设置保障类型")
async def put_guarantee_type(
    code: Code, year: Year, type_code: TypeCode, user: ProgrammeEditor, request: Request, service: EnrollmentService
) -> Response:
    return await relay(service, user, request, f"{_year(code, year)}/types/{quote(type_code, safe='')}")


# --- 保障金额设置 (district) -----------------------------------------------------------------------------


@router.get("/programmes/{code}/years/{year}/splits", summary="保障金额设置")
async def list_splits(
    code: Code, year: Year, user: SplitSetter, request: Request, service: EnrollmentService
) -> Response:
    return await relay(service, user, request, f"{_year(code, year)}/splits")


@router.put("/programmes/{code}/years/{year}/splits/{type_code}", summary="设置缴费比例")
async def put_split(
    code: Code, year: Year, type_code: TypeCode, user: SplitSetter, request: Request, service: EnrollmentService
) -> Response:
    return await relay(service, user, request, f"{_year(code, year)}/splits/{quote(type_code, safe='')}")


# --- 集中参保 (grassroots; reads also for the upper unions with org_id) -------------------------------


@router.get("/programmes/{code}/years/{year}/collective", summary="集中参保办理")
async def get_collective(
    code: Code, year: Year, user: UnionStaff, request: Request, service: EnrollmentService,
    org_id: OrgId = None, type_code: str | None = None,
) -> Response:  # fmt: skip
    return await relay(service, user, request, f"{_year(code, year)}/collective", reshape=gateway_urls)


@router.get("/programmes/{code}/years/{year}/collective/members", summary="集中参保名单")
async def list_collective_members(
    code: Code, year: Year, user: UnionStaff, request: Request, service: EnrollmentService,
    org_id: OrgId = None,
    which: Annotated[str | None, Query(alias="list", description=ROSTER_LISTS)] = None,
    name: str | None = None, page: PageNo = 1, size: RosterSize = 20,
) -> Response:  # fmt: skip
    return await relay(service, user, request, f"{_year(code, year)}/collective/members")


@router.post("/programmes/{code}/years/{year}/collective/confirmations", summary="确认集中参保待确认名单")
async def confirm_collective(
    code: Code, year: Year, user: EnrollingUnion, request: Request, service: EnrollmentService, org_id: OrgId = None
) -> Response:
    return await relay(service, user, request, f"{_year(code, year)}/collective/confirmations")


@router.post("/programmes/{code}/years/{year}/collective/exclusions", summary="排除集中参保人员")
async def exclude_collective(
    code: Code, year: Year, user: EnrollingUnion, request: Request, service: EnrollmentService, org_id: OrgId = None
) -> Response:
    return await relay(service, user, request, f"{_year(code, year)}/collective/exclusions")


@router.delete("/programmes/{code}/years/{year}/collective/exclusions/{member_id}", summary="恢复集中参保人员")
async def include_collective(
    code: Code, year: Year, member_id: MemberId, user: EnrollingUnion, request: Request, service: EnrollmentService,
    org_id: OrgId = None,
) -> Response:  # fmt: skip
    return await relay(service, user, request, f"{_year(code, year)}/collective/exclusions/{member_id}")


@router.post("/programmes/{code}/years/{year}/collective/checks", status_code=202, summary="获取社保卡和就业状态")
async def check_collective(
    code: Code, year: Year, user: EnrollingUnion, request: Request, service: EnrollmentService, org_id: OrgId = None
) -> Response:
    return await relay(service, user, request, f"{_year(code, year)}/collective/checks")


@router.post("/programmes/{code}/years/{year}/collective/submissions", status_code=201, summary="集中参保提交")
async def submit_collective(
    code: Code, year: Year, user: EnrollingUnion, request: Request, service: EnrollmentService, org_id: OrgId = None
) -> Response:
    path = f"{_year(code, year)}/collective/submissions"
    return await relay(service, user, request, path, reshape=gateway_urls)


# --- 即时参保 (grassroots) ------------------------------------------------------------------------------


@router.get("/programmes/{code}/years/{year}/instant/candidates", summary="即时参保人员")
async def list_instant_candidates(
    code: Code, year: Year, user: UnionStaff, request: Request, service: EnrollmentService,
    org_id: OrgId = None,
    channel: Annotated[str | None, Query(description="会员卡参保 (default) / 社保卡参保")] = None,
    which: Annotated[str | None, Query(alias="list", description="待提交 / 待校验")] = None,
    newly_carded: Annotated[bool | None, Query(description="新办卡 (true) / 有卡无保 (false)")] = None,
    name: str | None = None, page: PageNo = 1, size: RosterSize = 20,
) -> Response:  # fmt: skip
    return await relay(service, user, request, f"{_year(code, year)}/instant/candidates")


@router.post("/programmes/{code}/years/{year}/instant/checks", status_code=202, summary="即时参保获取社保卡和就业状态")
async def check_instant(
    code: Code, year: Year, user: EnrollingUnion, request: Request, service: EnrollmentService, org_id: OrgId = None
) -> Response:
    return await relay(service, user, request, f"{_year(code, year)}/instant/checks")


@router.post("/programmes/{code}/years/{year}/instant/confirmations", summary="确认参保待确认名单")
async def confirm_instant(
    code: Code, year: Year, user: EnrollingUnion, request: Request, service: EnrollmentService, org_id: OrgId = None
) -> Response:
    return await relay(service, user, request, f"{_year(code, year)}/instant/confirmations")


@router.post("/programmes/{code}/years/{year}/instant/submissions", status_code=201, summary="即时参保提交至上级审核")
async def submit_instant(
    code: Code, year: Year, user: EnrollingUnion, request: Request, service: EnrollmentService, org_id: OrgId = None
) -> Response:
    path = f"{_year(code, year)}/instant/submissions"
    return await relay(service, user, request, path, reshape=gateway_urls)
