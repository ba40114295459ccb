"""Refunds, receipts, reconciliation."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from .common import Strict

PAYER_ACCOUNT = "a unit without a union (payer_org_id 0): its account, one row per unit"


class RefundOut(BaseModel):
    refund_no: str
    voucher_no: str
    batch_nos: list[str]
    payer_org_id: int
    payer_org_name: str
    programme: str
    year: int
    amount_fen: int
    account_category: str
    account_name: str
    account_no: str = Field(description="full for insurer staff, masked for everyone else")
    bank: str
    method: str
    state: str = Field(description="待退款 / 已退款")
    paid_on: date | None
    reference: str
    created_at: datetime
    issued_by: str | None
    issued_at: datetime | None
    version: int


class RefundIssueIn(Strict):
    paid_on: date
    reference: str = Field("", max_length=100, description="the bank's transaction reference")


class ReceiptLineIn(Strict):
    title: str = Field(max_length=100)
    amount_fen: int
    uscc: str = Field("", max_length=18)
    remark: str = Field("", max_length=200)


class ReceiptRequestIn(Strict):
    lines: list[ReceiptLineIn] = Field(max_length=50)


class ReceiptOut(BaseModel):
    id: int
    receipt_no: str | None
    batch_no: str
    payer_org_id: int
    payer_org_name: str
    programme: str
    year: int
    title: str
    uscc: str
    amount_fen: int
    remark: str
    state: str = Field(description="待开具 / 已开具 / 已作废")
    requested_by: str
    requested_at: datetime
    issued_by: str | None
    issued_at: datetime | None
    void_reason: str
    voided_at: datetime | None
    pdf_url: str | None
    version: int


class ReceiptsOut(BaseModel):
    batch_no: str
    due_fen: int
    paid_fen: int = Field(description="what was paid: withheld from pensions (代扣行) + approved vouchers' share")
    rule: str = Field(description="等于应缴纳保费 (member-basic, mutual-aid) / 不超过已缴金额 (retiree plan)")
    requested_fen: int
    issued_fen: int
    items: list[ReceiptOut]


class VoidIn(Strict):
    reason: str = Field(max_length=200)


class BalanceRow(BaseModel):
    payer_org_id: int
    payer_account: str | None = Field(None, description=PAYER_ACCOUNT)
    payer_org_name: str
    batches: int
    persons: int
    due_fen: int
    received_fen: int = Field(description="approved vouchers, gross (over-payments included)")
    withheld_fen: int = Field(description="已代扣: withheld from pensions (retiree plan's 代扣行), paid already")
    paid_fen: int = Field(description="approved vouchers' share of the premiums")
    pending_fen: int
    refund_due_fen: int = Field(description="待退款")
    refunded_fen: int = Field(description="已退款")
    outstanding_fen: int = Field(description="due − withheld − paid")
    overdue_batches: int


class BalanceOut(BaseModel):
    programme: str
    year: int
    items: list[BalanceRow]
    totals: BalanceRow


class SplitRow(BaseModel):
    payer_org_id: int
    payer_account: str | None = Field(None, description=PAYER_ACCOUNT)
    payer_org_name: str
    batches: int
    persons: int
    amount_fen: int
    city_fen: int
    district_fen: int
    grassroots_fen: int


class SplitViewOut(BaseModel):
    programme: str
    year: int
    items: list[SplitRow]
    totals: SplitRow
