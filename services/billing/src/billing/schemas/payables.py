"""Payables, notices, receiving accounts (money in fen; the handler's phone masked)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from ..domain.accounts import AccountCategory
from .common import Strict


class SplitOut(BaseModel):
    amount_fen: int
    city_fen: int
    district_fen: int
    grassroots_fen: int


class TypeTotalOut(BaseModel):
    code: str
    name: str
    premium_fen: int
    persons: int
    amount_fen: int


class AccountOut(BaseModel):
    category: AccountCategory
    payee_name: str
    account_no: str
    bank: str
    updated_by: str
    updated_at: datetime


class AccountIn(Strict):
    payee_name: str = Field(max_length=100)
    account_no: str = Field(max_length=60)
    bank: str = Field(max_length=100)


class ProgrammeAccountIn(Strict):
    category: AccountCategory


class ProgrammeAccountOut(BaseModel):
    programme: str
    programme_name: str = Field("", description="as its newest payable names it; empty for one not seen yet")
    category: AccountCategory
    configured: bool = Field(description="false: the default for the programme")


class PayableOut(BaseModel):
    batch_no: str
    programme: str
    programme_name: str
    year: int
    enrollment_type: str
    payer_org_id: int
    payer_org_name: str
    persons: int
    persons_member_card: int
    persons_ss_card: int
    guarantee_types: list[TypeTotalOut]
    split: SplitOut
    due_fen: int
    withheld_fen: int = Field(
        description="已代扣 (退休住院计划): the 代扣行 — withheld from pensions (successes × amount), paid already, "
        "not a voucher to review; 0 for the other programmes"
    )
    withheld_persons: int = Field(description="people whose pension withholding succeeded")
    payer_due_fen: int = Field(description="需单位缴纳: due − withheld")
    paid_fen: int = Field(description="approved vouchers' share")
    pending_fen: int = Field(description="vouchers under review's share")
    outstanding_fen: int = Field(description="due − withheld − paid")
    shortfall_fen: int = Field(description="due − withheld − paid − pending (未缴足)")
    state: str = Field(description="待缴费 / 已确认 / 已失效")
    status: str = Field(description="缴费凭证待上传 / 审核中 / 未缴足 / 已确认 / 已失效")
    overdue: bool
    pay_by: date
    coverage_start: date | None
    coverage_end: date
    account_category: AccountCategory
    account: AccountOut | None
    handler_name: str
    handler_phone: str
    handler_email: str
    submitted_at: datetime
    complete: bool = Field(description="every chunk and line of the batch arrived")
    lines_received: int
    lines_total: int
    roster_frozen: bool
    frozen_at: datetime | None
    confirmed_at: datetime | None
    lapsed_at: datetime | None
    notice_version: int
    notice_url: str
    statistics_url: str
    version: int
    updated_at: datetime


class LineOut(BaseModel):
    member_id: str
    org_id: int
    org_name: str
    name: str
    id_number: str = Field(description="masked")
    channel: str
    guarantee_type: str
    premium_fen: int
