"""退休住院计划 API shapes (docs/retiree-api.md): the year, units and name changes, batches, people, uploads,
the ratio table, attachments and the operation log. Money in fen; ID numbers and phones masked."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from contracts.enrollment import EnrollmentType

from ..domain.retiree.payment import PaymentMode
from ..domain.retiree.roster import NoSsClass
from .common import Strict
from .programmes import WindowOut

# --- the year -------------------------------------------------------------------------------------------


class RulesIn(Strict):
    premium_fen: int = Field(45000, gt=0, description="保费 per person per year (450 元)")
    withholding_max_fen: int = Field(45000, gt=0, description="委托代扣金额 upper bound per person")
    waiting_days: int = Field(30, ge=0, le=365, description="即时参保免责期")
    ratio_min_pct: int = Field(75, ge=0, le=100, description="参保比例 per 单位社保编码 below which material is needed")
    phone_valid_pct: int = Field(50, ge=0, le=100, description="有效手机号 share of the roster")
    pension_day: date | None = Field(None, description="养老金发放日: the bank deducts on it")
    template_max_rows: int = Field(5000, ge=1, le=50000)


class RulesOut(BaseModel):
    premium_fen: int
    withholding_max_fen: int
    waiting_days: int
    ratio_min_pct: int
    phone_valid_pct: int
    pension_day: date | None
    template_max_rows: int


class OpenYear(BaseModel):
    year: int
    enrollment_type: EnrollmentType


class YearView(BaseModel):
    programme: str
    programme_name: str
    year: int
    insurance_start: date
    insurance_end: date
    windows: list[WindowOut]
    open_now: list[EnrollmentType]
    rules: RulesOut
    payee_name: str
    payee_account: str
    payee_bank: str


class HeadcountIn(Strict):
    unit_code: str = Field(min_length=1, max_length=20, description="单位社保编码")
    unit_name: str = Field("", max_length=100)
    headcount: int = Field(ge=0, description="社保人数")


class HeadcountsIn(Strict):
    units: list[HeadcountIn] = Field(max_length=5000)


class CountOut(BaseModel):
    count: int


# --- units ------------------------------------------------------------------------------------------------


class UnitIn(Strict):
    code: str = Field(min_length=1, max_length=20, description="参保编码")
    unit_name: str = Field(min_length=1, max_length=100)
    uscc: str = Field("", max_length=32)


class UnitsIn(Strict):
    units: list[UnitIn] = Field(max_length=5000)


class InvalidUnit(BaseModel):
    code: str
    unit_name: str
    uscc: str
    reason: str


class UnitsLoaded(BaseModel):
    received: int
    registered: int = Field(description="announced for the first time")
    updated: int = Field(description="announced again: name, USCC or org changed")
    unchanged: int
    invalid: list[InvalidUnit] = Field(description="kept, not announced: the USCC is not valid")


class OwnerIn(Strict):
    user_id: str = Field(min_length=1, max_length=64)
    tier: str = Field(min_length=1, max_length=12)
    org_id: int | None = None


class UnitInfoIn(Strict):
    address: str = Field("", max_length=200)
    postcode: str = Field("", max_length=10)
    district: str = Field("", max_length=100, description="所属区局")
    economic_type: str = Field("", max_length=50)
    handler_name: str = Field("", max_length=50)
    handler_phone: str = Field("", max_length=20)
    handler_email: str = Field("", max_length=100)


class UnitOut(BaseModel):
    code: str
    unit_name: str
    uscc: str | None
    uscc_matched: bool
    org_id: int | None
    owner_user_id: str | None
    owner_tier: str | None
    address: str
    postcode: str
    district: str
    economic_type: str
    handler_name: str
    handler_phone: str
    handler_email: str
    info_complete: bool
    pending_name_change_id: int | None
    updated_at: datetime


class UsccOut(BaseModel):
    unit_name: str
    uscc: str | None
    org_id: int | None


class FileOut(BaseModel):
    id: int
    file_name: str
    media_type: str
    size: int
    uploaded_at: datetime
    url: str | None = None


class NameChangeIn(Strict):
    new_unit_name: str = Field(min_length=1, max_length=100)
    uscc: str = Field(min_length=1, max_length=32)
    handler_name: str = Field(min_length=1, max_length=50)
    handler_phone: str = Field(min_length=1, max_length=20)
    handler_email: str = Field(min_length=1, max_length=100)
    district: str = Field(min_length=1, max_length=100)
    economic_type: str = Field(min_length=1, max_length=50)
    address: str = Field(min_length=1, max_length=200)
    postcode: str = Field(min_length=1, max_length=10)
    principal: str = Field("", max_length=50)
    unit_phone: str = Field("", max_length=30)
    attachment_ids: list[int] = Field(default_factory=list, max_length=10)


class NameChangeOut(BaseModel):
    id: int
    code: str
    old_unit_name: str
    new_unit_name: str
    uscc: str
    handler_name: str
    handler_phone: str
    handler_email: str
    district: str
    economic_type: str
    address: str
    postcode: str
    principal: str
    unit_phone: str
    status: str
    reason: str | None
    attachments: list[FileOut]
    submitted_by: str
    submitted_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None


class ReasonIn(Strict):
    reason: str = Field(max_length=400)


# --- batches ---------------------------------------------------------------------------------------------


class BatchIn(Strict):
    enrollment_type: EnrollmentType
    code: str = Field(min_length=1, max_length=20)
    unit_name: str = Field(min_length=1, max_length=100)
    year: int | None = Field(None, description="default: the year whose window of that kind is open")


class PaymentModeIn(Strict):
    mode: PaymentMode
    amount_fen: int | None = Field(None, description="委托代扣金额 per person: 0 < a ≤ 45000")
    entrustment_attachment_id: int | None = Field(None, description="the sealed 委托代扣申请书 (batch attachment)")


class Counts(BaseModel):
    persons: int = 0
    unchecked: int = 0
    anomalies: int = 0
    passed: int = 0
    withholdable: int = 0
    not_withholdable: int = 0
    name_mismatch: int = 0
    deceased: int = 0
    retirement_missing: int = 0
    not_found: int = 0
    check_failed: int = 0


class ValidationOut(BaseModel):
    requested: int
    answered: int
    percent: int
    requested_at: datetime | None


class WithholdingOut(BaseModel):
    request_no: str
    requested: int
    succeeded: int
    failed: int
    pending: int
    amount_fen: int
    pension_day: date | None
    requested_at: datetime | None
    deducted_on: date | None
    notified_at: datetime | None = Field(None, description="代扣结果已通过短信和邮件通知经办人的时间（均已发出时）")


class MoneyOut(BaseModel):
    persons: int
    premium_fen: int
    amount_fen: int
    withheld_persons: int
    withheld_fen: int
    unit_paid_persons: int
    unit_owes_fen: int


class ReviewLine(Strict):
    unit_code: str = Field(max_length=40)
    reason: str = Field(max_length=200)


class RejectIn(Strict):
    reason: str = Field(max_length=400)
    lines: list[ReviewLine] = Field(default_factory=list, max_length=100)


class BatchOut(BaseModel):
    batch_no: str
    year: int
    enrollment_type: EnrollmentType
    code: str
    unit_name: str
    uscc: str
    status: str
    step: int
    step_label: str
    actions: list[str]
    payment_mode: PaymentMode | None
    withholding_amount_fen: int | None
    entrustment_attachment_id: int | None
    unit_confirmed_at: datetime | None
    counts: Counts
    validation: ValidationOut | None
    review_reason: str | None
    review_lines: list[ReviewLine]
    withholding: WithholdingOut | None
    withholding_slip_from: datetime | None  # 代扣受理单 downloadable from (one working day after the request)
    money: MoneyOut
    cover_start: date | None
    cover_end: date | None
    covered_from: date | None
    payable_no: str | None
    voucher_no: str | None
    paid_amount_fen: int | None
    completed_at: datetime | None
    handler_name: str
    handler_phone: str
    handler_email: str
    created_at: datetime
    updated_at: datetime
    version: int


class OperationOut(BaseModel):
    action: str
    label: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    detail: dict[str, Any] | None
    actor_id: str
    actor_tier: str
    at: datetime


# --- people ----------------------------------------------------------------------------------------------


class PersonIn(Strict):
    name: str = Field(max_length=60)
    id_type: str = Field(max_length=10, description="身份证 / 非身份证")
    id_number: str = Field(max_length=30)
    birth_date: date | None = None
    gender: str = Field("", max_length=2)
    phone: str = Field("", max_length=30)


class PersonEditIn(Strict):
    name: str | None = Field(None, max_length=60)
    phone: str | None = Field(None, max_length=30)
    birth_date: date | None = None
    gender: str | None = Field(None, max_length=2)
    id_number: str | None = Field(None, max_length=30, description="非身份证 rows only")
    retirement_month: str | None = Field(None, max_length=7, description="YYYY-MM")


class NoSsClassIn(Strict):
    no_ss_class: NoSsClass
    remark: str | None = Field(None, max_length=200)
    attachment_id: int | None = None


class PersonIds(Strict):
    person_ids: list[int] = Field(default_factory=list, max_length=5000)
    all: bool = False


class PersonOut(BaseModel):
    id: int
    name: str
    ss_name: str
    id_type: str
    id_number: str
    birth_date: date
    gender: str
    phone: str
    phone_valid: bool
    source: str
    check_result: str
    anomaly: bool
    ss_found: bool
    ss_unit_code: str | None
    ss_unit_name: str
    retired: bool
    retirement_month: str | None
    medical_insured: bool
    withholdable: str
    new_retiree: bool
    no_ss_class: str | None
    no_ss_remark: str
    no_ss_attachment_id: int | None
    withholding_result: str | None
    withholding_amount_fen: int | None
    withholding_reason: str
    premium_fen: int | None
    cover_start: date | None
    cover_end: date | None


class ImportOut(BaseModel):
    id: str
    batch_no: str
    state: str
    file_name: str
    file_size: int
    rows_total: int
    rows_checked: int
    rows_added: int
    rows_rejected: int
    progress: int
    summary: str
    error_code: str | None
    error_message: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class RejectionOut(BaseModel):
    row_no: int
    column: str
    code: str
    reason: str
    name: str


# --- review --------------------------------------------------------------------------------------------


class AttachmentOut(BaseModel):
    id: int
    kind: str
    unit_code: str | None
    person_id: int | None
    file_name: str
    media_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    url: str


class RatioLineOut(BaseModel):
    unit_code: str
    unit_name: str
    headcount: int
    insured: int
    already_insured: int
    percent: str
    below_min: bool
    new_retirees_only: bool
    evidence_required: bool
    evidence: list[AttachmentOut]
    review_reason: str | None


class WithoutSsOut(BaseModel):
    insured: int
    people: list[PersonOut]


class RatiosOut(BaseModel):
    min_pct: int
    lines: list[RatioLineOut]
    without_ss: WithoutSsOut
    evidence_missing: list[str]
    unclassed: int
    ready: bool


class WithholdingIn(Strict):
    accepted: bool = Field(description="代扣名单确认：我已阅读并同意")
