"""Submissions, the review lists, batches, coverage."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from contracts.enrollment import Channel, EnrollmentType

from .common import Page, Strict
from .unit import AmountsOut


class SubmissionOut(BaseModel):
    id: int
    request_id: str
    org_id: int
    org_name: str
    union_code: str
    upper_org_name: str
    programme: str
    year: int
    enrollment_type: EnrollmentType
    channel: Channel
    type_code: str
    type_name: str
    persons: int
    amounts: AmountsOut
    state: str
    submitted_by: str
    submitted_at: datetime
    staged_by: str | None
    staged_at: datetime | None
    returned_by: str | None
    returned_at: datetime | None
    return_reason: str | None
    batch_no: str | None
    updated_at: datetime


class LineOut(BaseModel):
    member_id: str
    org_id: int
    name: str
    id_number: str
    channel: Channel
    type_code: str
    premium_fen: int
    state: str
    cover_start: date | None
    cover_end: date | None
    batch_no: str | None


class SubmissionIds(Strict):
    submission_ids: list[int] = Field(min_length=1, max_length=1000)


class ReturnIn(Strict):
    submission_ids: list[int] = Field(min_length=1, max_length=1000)
    reason: str = Field(max_length=200, description="退回原因")


class StagedTotals(BaseModel):
    persons: int
    persons_member_card: int
    persons_ss_card: int
    amounts: AmountsOut


class StagedList(Page[SubmissionOut]):
    totals: StagedTotals


class HandlerIn(Strict):
    name: str = Field(max_length=50)
    phone: str = Field(max_length=20)
    email: str = Field(max_length=100)


class BatchSubmitIn(Strict):
    programme: str
    year: int
    enrollment_type: EnrollmentType
    handler: HandlerIn


class TypeCount(BaseModel):
    code: str
    name: str
    persons: int
    amount_fen: int


class BatchOut(BaseModel):
    batch_no: str
    programme: str
    year: int
    payer_org_id: int
    payer_org_name: str
    enrollment_type: EnrollmentType
    persons: int
    persons_member_card: int
    persons_ss_card: int
    amounts: AmountsOut
    by_type: list[TypeCount]
    pay_by: date
    coverage_start: date | None
    coverage_end: date
    handler_name: str
    handler_phone: str = Field(description="masked")
    handler_email: str
    state: str
    submitted_by: str
    submitted_at: datetime
    paid_amount_fen: int | None
    confirmed_at: datetime | None
    lapsed_at: datetime | None
    roster_frozen: bool = Field(description="a voucher was uploaded: billing holds the payer to the roster")
    frozen_at: datetime | None
    voucher_no: str | None = Field(description="the latest voucher paying the batch")
    voucher_submitted_at: datetime | None = Field(description="凭证上传时间")
    updated_at: datetime
    notice_url: str


class LapseOut(BaseModel):
    lapsed: list[str]


class CoverageOut(BaseModel):
    programme: str
    programme_name: str
    year: int
    enrollment_type: EnrollmentType
    channel: Channel
    type_code: str
    type_name: str
    premium_fen: int
    org_id: int
    state: str
    cover_start: date | None
    cover_end: date | None
    batch_no: str | None
    submitted_at: datetime
    updated_at: datetime
