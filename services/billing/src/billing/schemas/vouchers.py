"""Vouchers, their review, the allocation preview."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from ..domain.accounts import AccountCategory
from ..domain.vouchers import Method, RefundMethod
from .common import Strict


class RefundAccountIn(Strict):
    account_category: AccountCategory
    account_name: str = Field(max_length=100)
    account_no: str = Field(max_length=60)
    bank: str = Field(max_length=100)
    method: RefundMethod = RefundMethod.TRANSFER


class VoucherIn(Strict):
    """The `data` field of the multipart upload (JSON), or the body of POST /vouchers/preview."""

    batch_nos: list[str] = Field(min_length=1, max_length=200)
    paying_unit: str = Field(max_length=100)
    method: Method
    amount_fen: int = Field(gt=0)
    account_category: AccountCategory
    transfer_date: date
    refund: RefundAccountIn | None = None


class AppliedOut(BaseModel):
    batch_no: str
    due_fen: int = Field(description="the batch's whole amount")
    outstanding_fen: int = Field(description="what it still lacked before this voucher")
    applied_fen: int = Field(description="what this voucher pays of it")


class PreviewOut(BaseModel):
    batches: list[AppliedOut]
    withheld_fen: int = Field(description="已代扣: the chosen batches' pension withholding (代扣行), paid already")
    due_fen: int = Field(description="what the chosen batches still lack (withholding and other vouchers counted)")
    amount_fen: int
    applied_fen: int
    refund_fen: int
    shortfall_fen: int
    refund_required: bool
    refund_explanation_required: bool


class FileOut(BaseModel):
    file_name: str
    media_type: str
    size: int
    url: str


class RefundAccountOut(BaseModel):
    account_category: str
    account_name: str
    account_no: str = Field(description="masked")
    bank: str
    method: str


class VoucherOut(BaseModel):
    voucher_no: str
    payer_org_id: int
    payer_org_name: str
    programme: str
    year: int
    paying_unit: str
    method: str
    amount_fen: int
    account_category: str
    transfer_date: date
    batches: list[AppliedOut]
    due_fen: int
    applied_fen: int
    refund_fen: int
    shortfall_fen: int
    refund: RefundAccountOut | None
    refund_no: str | None
    file: FileOut | None
    refund_file: FileOut | None
    state: str = Field(description="审核中 / 审核通过 / 审核不通过")
    review_reason: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    confirmed_batches: list[str] = Field(description="batches whose payment this approval confirmed")
    submitted_by: str
    submitted_at: datetime
    updated_at: datetime
    version: int


class ReturnIn(Strict):
    reason: str = Field(max_length=500)
