"""缴费管理 (1/2): 应缴 (payables with their notices, statistics and lines), the insurer's receiving
accounts and 缴费凭证 (upload, correction, the insurer's review) — passed on to the billing service under
/api/billing, by the service's own paths.

The billing service scopes every row by the payer org's subtree (anything outside is 404 there; the
city and the insurer see everything), masks phones, ID numbers and refund account numbers and checks
tiers again; the gateway keeps each action to its tier — payers upload and correct vouchers, the
insurer (职保会) and the platform review them and keep the accounts. Money-moving requests carry an
`Idempotency-Key`, passed on. Voucher uploads (multipart: `data`, `file`, `refund_file`) go through
unchanged with their own body limit; files (notices, voucher images, exports) are streamed as the
service sends them. The URLs in an answer name the service's paths: they are rewritten to the gateway's.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response

from ..service.upstream import Upstream
from ..service.users import User
from .deps import BillingInsurer, BillingPayer, BillingReader, BillingService, Settings
from .relay import relay, relay_file

PREFIX = "/api/billing"
router = APIRouter(prefix=PREFIX, tags=["billing"])
# Numbers are the service's (CB… batches, PZ… vouchers, TK… refunds, ZY… receipts): one plain segment.
BatchNo = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,40}$", description="批次编号 CB…")]
VoucherNo = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,40}$", description="凭证编号 PZ…")]
Programme = Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{1,40}$", description="项目编码, e.g. member-basic")]
PageNo = Annotated[int, Query(ge=1)]
Size = Annotated[int, Query(ge=1, le=200)]
LineSize = Annotated[int, Query(ge=1, le=500)]
# The upload routes' own body limit (see main.py): a voucher and a refund explanation, 10 MB each there.
UPLOAD_ROUTES = (("POST", f"{PREFIX}/vouchers"), ("PUT", f"{PREFIX}/vouchers/{{voucher_no}}"))
PAYABLE_STATUS = "缴费凭证待上传 / 审核中 / 未缴足 / 已确认 / 已失效"
VOUCHER_STATE = "审核中 / 审核通过 / 审核不通过"
URL_FIELDS = frozenset({"notice_url", "statistics_url", "url", "pdf_url"})


class AccountCategory(StrEnum):
    """收款帐户类别"""

    IN_SERVICE = "在职"
    RETIRED = "退休"
    MEMBER = "会员专享"


def gateway_urls(body: Any) -> Any:
    """Every file URL in an answer, as the browser reaches it through the gateway (the statistics
    workbook as `….xlsx`, so the operation log records it like every other file of data)."""
    if isinstance(body, list):
        return [gateway_urls(item) for item in body]
    if isinstance(body, dict):
        return {k: _url(k, v) if k in URL_FIELDS and isinstance(v, str) else gateway_urls(v) for k, v in body.items()}
    return body


def _url(field: str, value: str) -> str:
    if not value.startswith("/"):
        return value
    return PREFIX + value + (".xlsx" if field == "statistics_url" else "")


async def relay_billing(service: Upstream, user: User, request: Request, path: str) -> Response:
    """A JSON answer of the billing service, its file URLs made the gateway's."""
    return await relay(service, user, request, path, reshape=gateway_urls)


def _payable(batch_no: str) -> str:
    return f"/payables/{quote(batch_no, safe='')}"


def _voucher(voucher_no: str) -> str:
    return f"/vouchers/{quote(voucher_no, safe='')}"


# --- 应缴清单 (payers and the insurer, scoped) -----------------------------------------------------------


@router.get("/payables", summary="应缴清单")
async def list_payables(
    user: BillingReader, request: Request, service: BillingService,
    programme: str | None = None, year: int | None = None,
    batch_no: Annotated[str | None, Query(description="批次编号")] = None,
    payer_org_id: int | None = None,
    status: Annotated[str | None, Query(description=PAYABLE_STATUS)] = None,
    enrollment_type: Annotated[str | None, Query(description="集中参保 / 即时参保")] = None,
    overdue: Annotated[bool | None, Query(description="true: unpaid after the pay-by date")] = None,
    pay_by_from: date | None = None, pay_by_to: date | None = None,
    page: PageNo = 1, size: Size = 20,
) -> Response:  # fmt: skip
    return await relay_billing(service, user, request, "/payables")


@router.get("/payables/export", summary="导出应缴清单")
async def export_payables(
    user: BillingReader, request: Request, service: BillingService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, "/payables/export", timeout=timeout)


@router.get("/payables/{batch_no}", summary="应缴详情")
async def get_payable(batch_no: BatchNo, user: BillingReader, request: Request, service: BillingService) -> Response:
    return await relay_billing(service, user, request, _payable(batch_no))


@router.get("/payables/{batch_no}/notice", summary="下载缴费告知书")
async def download_payable_notice(
    batch_no: BatchNo, user: BillingReader, request: Request, service: BillingService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, f"{_payable(batch_no)}/notice", timeout=timeout)


@router.post("/payables/{batch_no}/notice", summary="重新生成缴费告知书")
async def reissue_payable_notice(
    batch_no: BatchNo, user: BillingInsurer, request: Request, service: BillingService
) -> Response:
    return await relay_billing(service, user, request, f"{_payable(batch_no)}/notice")


@router.get("/payables/{batch_no}/statistics.xlsx", summary="下载参保统计表")
async def export_payable_statistics(
    batch_no: BatchNo, user: BillingReader, request: Request, service: BillingService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, f"{_payable(batch_no)}/statistics", timeout=timeout)


@router.get("/payables/{batch_no}/lines", summary="应缴参保人员")
async def list_payable_lines(
    batch_no: BatchNo, user: BillingReader, request: Request, service: BillingService,
    page: PageNo = 1, size: LineSize = 50,
) -> Response:  # fmt: skip
    return await relay_billing(service, user, request, f"{_payable(batch_no)}/lines")


# --- 收款帐户 (read by everyone who pays; kept by the insurer) --------------------------------------------


@router.get("/accounts", summary="收款帐户")
async def list_receiving_accounts(user: BillingReader, request: Request, service: BillingService) -> Response:
    return await relay_billing(service, user, request, "/accounts")


@router.put("/accounts/{category}", summary="设置收款帐户")
async def put_receiving_account(
    category: AccountCategory, user: BillingInsurer, request: Request, service: BillingService
) -> Response:
    return await relay_billing(service, user, request, f"/accounts/{quote(category.value, safe='')}")


@router.get("/programme-accounts", summary="项目收款帐户类别")
async def list_programme_accounts(user: BillingReader, request: Request, service: BillingService) -> Response:
    return await relay_billing(service, user, request, "/programme-accounts")


@router.put("/programme-accounts/{programme}", summary="设置项目收款帐户类别")
async def put_programme_account(
    programme: Programme, user: BillingInsurer, request: Request, service: BillingService
) -> Response:
    return await relay_billing(service, user, request, f"/programme-accounts/{quote(programme, safe='')}")


# --- 缴费凭证 (payers upload and correct; the insurer reviews) ----------------------------------------------


@router.post("/vouchers/preview", summary="缴费凭证试算")
async def preview_voucher(user: BillingPayer, request: Request, service: BillingService) -> Response:
    return await relay_billing(service, user, request, "/vouchers/preview")


@router.post("/vouchers", status_code=201, summary="上传缴费凭证")
async def upload_voucher(user: BillingPayer, request: Request, service: BillingService) -> Response:
    """multipart/form-data (`data` JSON, `file`, `refund_file`) and the `Idempotency-Key`, passed on."""
    return await relay_billing(service, user, request, "/vouchers")


@router.get("/vouchers", summary="缴费凭证查询")
async def search_vouchers(
    user: BillingReader, request: Request, service: BillingService,
    state: Annotated[str | None, Query(description=VOUCHER_STATE)] = None,
    batch_no: str | None = None, payer_org_id: int | None = None, programme: str | None = None,
    year: int | None = None, account_category: str | None = None, method: str | None = None,
    paying_unit: Annotated[str | None, Query(description="付款单位 (part)")] = None,
    submitted_from: datetime | None = None, submitted_to: datetime | None = None,
    oldest_first: Annotated[bool, Query(description="the review queue: oldest first")] = False,
    page: PageNo = 1, size: Size = 20,
) -> Response:  # fmt: skip
    return await relay_billing(service, user, request, "/vouchers")


@router.get("/vouchers/export", summary="导出缴费凭证")
async def export_vouchers(
    user: BillingReader, request: Request, service: BillingService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, "/vouchers/export", timeout=timeout)


@router.get("/vouchers/{voucher_no}", summary="缴费凭证详情")
async def get_voucher(
    voucher_no: VoucherNo, user: BillingReader, request: Request, service: BillingService
) -> Response:
    return await relay_billing(service, user, request, _voucher(voucher_no))


@router.put("/vouchers/{voucher_no}", summary="修改缴费凭证")
async def correct_voucher(
    voucher_no: VoucherNo, user: BillingPayer, request: Request, service: BillingService
) -> Response:
    """A returned voucher corrected (multipart as the upload; a file not sent again is kept)."""
    return await relay_billing(service, user, request, _voucher(voucher_no))


@router.get("/vouchers/{voucher_no}/file", summary="查看缴费凭证文件")
async def download_voucher_file(
    voucher_no: VoucherNo, user: BillingReader, request: Request, service: BillingService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, f"{_voucher(voucher_no)}/file", timeout=timeout)


@router.get("/vouchers/{voucher_no}/refund-file", summary="查看退款情况说明")
async def download_voucher_refund_file(
    voucher_no: VoucherNo, user: BillingReader, request: Request, service: BillingService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, f"{_voucher(voucher_no)}/refund-file", timeout=timeout)


@router.post("/vouchers/{voucher_no}/approve", summary="缴费凭证审核通过")
async def approve_voucher(
    voucher_no: VoucherNo, user: BillingInsurer, request: Request, service: BillingService
) -> Response:
    return await relay_billing(service, user, request, f"{_voucher(voucher_no)}/approve")


@router.post("/vouchers/{voucher_no}/return", summary="缴费凭证审核不通过")
async def return_voucher(
    voucher_no: VoucherNo, user: BillingInsurer, request: Request, service: BillingService
) -> Response:
    return await relay_billing(service, user, request, f"{_voucher(voucher_no)}/return")
