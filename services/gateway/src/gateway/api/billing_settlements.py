"""缴费管理 (2/2): 退款 (the insurer pays over-payments back), 专用收据 (payers ask, the insurer issues and
voids; the PDF) and 对账 with the city federation's view of the split — passed on to the billing service
under /api/billing (see api/billing.py).

Refund account numbers come full to the insurer and masked to everyone else (the service decides);
money-moving requests carry an `Idempotency-Key`, passed on; exports and PDFs are streamed.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response

from .billing import PREFIX, BatchNo, PageNo, Size, relay_billing
from .deps import BillingInsurer, BillingPayer, BillingReader, BillingService, Settings
from .relay import relay_file

router = APIRouter(prefix=PREFIX, tags=["billing"])
RefundNo = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,40}$", description="退款编号 TK…")]
ReceiptNo = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,40}$", description="收据编号 ZY…")]
RECEIPT_STATE = "待开具 / 已开具 / 已作废"


def _refund(refund_no: str) -> str:
    return f"/refunds/{quote(refund_no, safe='')}"


def _receipts(batch_no: str) -> str:
    return f"/payables/{quote(batch_no, safe='')}/receipts"


def _receipt(receipt_no: str) -> str:
    return f"/receipts/{quote(receipt_no, safe='')}"


# --- 退款管理 ----------------------------------------------------------------------------------------------


@router.get("/refunds", summary="退款查询")
async def search_refunds(
    user: BillingReader, request: Request, service: BillingService,
    state: Annotated[str | None, Query(description="待退款 / 已退款")] = None,
    payer_org_id: int | None = None, programme: str | None = None, year: int | None = None,
    voucher_no: str | None = None, page: PageNo = 1, size: Size = 20,
) -> Response:  # fmt: skip
    return await relay_billing(service, user, request, "/refunds")


@router.get("/refunds/export", summary="导出退款清单")
async def export_refunds(
    user: BillingReader, request: Request, service: BillingService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, "/refunds/export", timeout=timeout)


@router.get("/refunds/{refund_no}", summary="退款详情")
async def get_refund(refund_no: RefundNo, user: BillingReader, request: Request, service: BillingService) -> Response:
    return await relay_billing(service, user, request, _refund(refund_no))


@router.post("/refunds/{refund_no}/issue", summary="确认已退款")
async def issue_refund(
    refund_no: RefundNo, user: BillingInsurer, request: Request, service: BillingService
) -> Response:
    return await relay_billing(service, user, request, f"{_refund(refund_no)}/issue")


# --- 专用收据 / 电子票据 --------------------------------------------------------------------------------------


@router.get("/payables/{batch_no}/receipts", summary="批次专用收据")
async def get_payable_receipts(
    batch_no: BatchNo, user: BillingReader, request: Request, service: BillingService
) -> Response:
    return await relay_billing(service, user, request, _receipts(batch_no))


@router.put("/payables/{batch_no}/receipts", summary="申请专用收据")
async def request_receipts(
    batch_no: BatchNo, user: BillingPayer, request: Request, service: BillingService
) -> Response:
    return await relay_billing(service, user, request, _receipts(batch_no))


@router.post("/payables/{batch_no}/receipts/issue", summary="开具专用收据")
async def issue_receipts(
    batch_no: BatchNo, user: BillingInsurer, request: Request, service: BillingService
) -> Response:
    return await relay_billing(service, user, request, f"{_receipts(batch_no)}/issue")


@router.get("/receipts", summary="专用收据查询")
async def search_receipts(
    user: BillingReader, request: Request, service: BillingService,
    state: Annotated[str | None, Query(description=RECEIPT_STATE)] = None,
    batch_no: str | None = None, payer_org_id: int | None = None, programme: str | None = None,
    year: int | None = None, title: Annotated[str | None, Query(description="抬头 (part)")] = None,
    page: PageNo = 1, size: Size = 20,
) -> Response:  # fmt: skip
    return await relay_billing(service, user, request, "/receipts")


@router.get("/receipts/export", summary="导出专用收据")
async def export_receipts(
    user: BillingReader, request: Request, service: BillingService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, "/receipts/export", timeout=timeout)


@router.get("/receipts/{receipt_no}/pdf", summary="下载专用收据")
async def download_receipt(
    receipt_no: ReceiptNo, user: BillingReader, request: Request, service: BillingService, settings: Settings
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, f"{_receipt(receipt_no)}/pdf", timeout=timeout)


@router.post("/receipts/{receipt_no}/void", summary="作废专用收据")
async def void_receipt(
    receipt_no: ReceiptNo, user: BillingInsurer, request: Request, service: BillingService
) -> Response:
    return await relay_billing(service, user, request, f"{_receipt(receipt_no)}/void")


# --- 对账 (scoped: a district sees its own row) -----------------------------------------------------------


@router.get("/reconciliation", summary="缴费对账")
async def get_reconciliation(
    user: BillingReader, request: Request, service: BillingService, programme: str, year: int
) -> Response:
    return await relay_billing(service, user, request, "/reconciliation")


@router.get("/reconciliation/export", summary="导出缴费对账")
async def export_reconciliation(
    user: BillingReader, request: Request, service: BillingService, settings: Settings, programme: str, year: int
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, "/reconciliation/export", timeout=timeout)


@router.get("/reconciliation/split", summary="保障费用分摊")
async def get_premium_split(
    user: BillingReader, request: Request, service: BillingService, programme: str, year: int
) -> Response:
    return await relay_billing(service, user, request, "/reconciliation/split")


@router.get("/reconciliation/split/export", summary="导出保障费用分摊")
async def export_premium_split(
    user: BillingReader, request: Request, service: BillingService, settings: Settings, programme: str, year: int
) -> Response:
    timeout = settings.upstream_file_timeout_seconds
    return await relay_file(service, user, request, "/reconciliation/split/export", timeout=timeout)
