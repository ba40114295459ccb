"""互助保障项目2020 API shapes: the year, batches (参保批次), roster rows, uploads, 清册校验, attachments,
premiums and the operation log. Money in fen; ID numbers and phones masked."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from contracts.enrollment import EnrollmentType

from .common import Strict
from .programmes import WindowOut

# --- the year -------------------------------------------------------------------------------------------


class RulesIn(Strict):
    bundle_codes: list[str] = Field(default_factory=list, max_length=12, description="A0 B0 C0: 同时参保优惠")
    bundle_discount_fen: int = Field(0, ge=0, description="优惠金额 per person (1000 = 10 元)")
    change_pct: int = Field(10, ge=0, le=100, description="清册增减幅度 ±%")
    ratio_min_pct: int = Field(75, ge=0, le=1000, description="单位社保比例 lower bound")
    ratio_max_pct: int = Field(100, ge=0, le=1000, description="单位社保比例 upper bound")
    small_unit_max: int = Field(10, ge=0, description="units with at most this many insured need 100 %")
    template_max_rows: int = Field(5000, ge=1, le=50000, description="单个模板导入上限")


class RulesOut(BaseModel):
    bundle_codes: list[str]
    bundle_discount_fen: int
    change_pct: int
    ratio_min_pct: int
    ratio_max_pct: int
    small_unit_max: int
    template_max_rows: int


class ItemOut(BaseModel):
    code: str
    name: str
    full_fen: int = Field(description="全年缴费标准 per person")
    half_fen: int = Field(description="半年缴费标准 (instant cover starting Jan 1 – Jun 30)")
    waiting_days: int = Field(description="免责期 of an instant enrollment")
    accident_exempt: bool
    social_security_only: bool


class YearView(BaseModel):
    programme: str
    programme_name: str
    year: int
    insurance_start: date
    insurance_end: date
    windows: list[WindowOut]
    open_now: list[EnrollmentType] = Field(description="which enrollment this year takes now")
    items: list[ItemOut]
    rules: RulesOut
    voucher_days: int = Field(description="缴费凭证: within N days of confirming the premium")
    retirement_age_male: int
    retirement_age_female: int
    payee_name: str
    payee_account: str
    payee_bank: str


class OpenYear(BaseModel):
    year: int
    enrollment_type: EnrollmentType


class SuggestedPersonIn(Strict):
    name: str = Field(min_length=1, max_length=50, description="社保姓名")
    id_number: str = Field(min_length=5, max_length=30)
    unit_code: str = Field(min_length=1, max_length=20, description="单位社保编码")
    employment: Literal["在职", "退休", "-"] = "在职"


class SuggestedIn(Strict):
    people: list[SuggestedPersonIn] = Field(max_length=5000)


class HeadcountIn(Strict):
    unit_code: str = Field(min_length=1, max_length=20)
    unit_name: str = Field("", max_length=100)
    headcount: int = Field(ge=0, description="社保在职人数 (缴费人数)")


class HeadcountsIn(Strict):
    units: list[HeadcountIn] = Field(max_length=5000)


class CountOut(BaseModel):
    count: int


class LoadOut(BaseModel):
    """A 建议清册 / 社保在职人数 file loaded whole."""

    rows: int = Field(description="数据读取: the file's rows")
    added: int = Field(description="新增加")
    updated: int = Field(description="已有的, replaced by this file")
    summary: str


class LoadProblemOut(BaseModel):
    """One wrong cell of a refused file (problem+json `rows`)."""

    row_no: int = Field(description="the Excel row (the header is row 1)")
    column: str
    code: str
    reason: str


class SuggestedOut(BaseModel):
    name: str = Field(description="社保姓名")
    id_number: str = Field(description="masked")
    unit_code: str = Field(description="单位社保编码")
    employment: str = Field(description="职退状态: 在职 / 退休 / -")
    updated_at: datetime


class HeadcountOut(BaseModel):
    unit_code: str
    unit_name: str
    headcount: int = Field(description="社保在职人数 (the retiree plan's list: 退休人数)")
    updated_at: datetime


# --- batches --------------------------------------------------------------------------------------------


class BatchIn(Strict):
    enrollment_type: EnrollmentType = Field(description="集中参保办理 / 即时参保办理")
    code: str = Field(min_length=1, max_length=40, description="参保编码")
    unit_name: str = Field(min_length=1, max_length=100, description="参保单位名称")
    year: int | None = Field(None, description="default: the year whose window of this kind is open")


class ReasonIn(Strict):
    reason: str = Field(max_length=500)


class PremiumRowOut(BaseModel):
    label: str = Field(description="参加项目: A3, or A0 B0 C0")
    standard_fen: int = Field(description="费用标准")
    discount_fen: int = Field(description="优惠费用标准")
    price_fen: int
    ss_persons: int = Field(description="社保人员 人数")
    ss_fen: int = Field(description="社保人员 实际费用")
    non_ss_persons: int
    non_ss_fen: int
    total_fen: int = Field(description="合计费用")


class PremiumOut(BaseModel):
    items: list[str]
    half_year: bool
    rows: list[PremiumRowOut]
    ss_persons: int
    non_ss_persons: int
    ss_fen: int
    non_ss_fen: int
    total_fen: int = Field(description="总计")
    locked_items: list[str] | None = Field(description="the unit's collective items an instant batch must keep")


class PremiumIn(Strict):
    items: list[str] = Field(min_length=1, max_length=12)


class RemovalOut(BaseModel):
    row_id: int
    name: str
    id_number: str
    id_type: str
    gender: str
    reason: str = Field(description="退休 / 超龄")


class ClashOut(BaseModel):
    row_id: int
    name: str
    id_number: str
    unit_name: str
    handler_name: str
    handler_phone: str
    message: str


class ChangeOut(BaseModel):
    last: int = Field(description="上年度参保人数")
    this: int = Field(description="本年拟参保人数")
    percent: str = Field(description="(last − this) / last")
    within: bool


class UnitRatioOut(BaseModel):
    unit_code: str
    unit_name: str
    insured: int = Field(description="拟参保人数")
    headcount: int = Field(description="社保在职人数")
    percent: str


class RatioOut(BaseModel):
    units: list[UnitRatioOut]
    overall: UnitRatioOut
    required_min_pct: int
    max_pct: int
    within: bool


class CheckOut(BaseModel):
    """清册校验结果."""

    outcome: str = Field(description="清册校验不通过 / 清册校验通过 / 需上传附件")
    insured: int
    removals: list[RemovalOut]
    clashes: list[ClashOut]
    change: ChangeOut | None
    ratio: RatioOut | None
    new_unit: bool
    unmatched: int = Field(description="建议清册未能匹配人员: 人员确认 needed")
    evidence: str | None = Field(description="what to upload when attachments are needed")
    evidence_uploaded: bool
    checked_at: datetime


class BatchOut(BaseModel):
    batch_no: str
    programme: str
    year: int
    enrollment_type: EnrollmentType
    code: str
    unit_name: str
    org_id: int | None
    status: str
    actions: list[str] = Field(description="what the 操作 column offers in this status")
    handler_name: str
    handler_phone: str
    handler_email: str
    persons: int = Field(description="people on the roster now")
    check: CheckOut | None
    roster_submitted_at: datetime | None
    cover_start: date | None
    cover_end: date | None
    half_year: bool
    items: list[str]
    premium: PremiumOut | None
    amount_fen: int
    premium_confirmed_at: datetime | None
    voucher_due: date | None
    voucher_late: bool
    payable_no: str | None
    voucher_no: str | None
    voucher_submitted_at: datetime | None
    paid_amount_fen: int | None
    completed_at: datetime | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int


class SubmitIn(Strict):
    commitment_accepted: bool = Field(description="承诺书: 我已阅读并同意")
    people_confirmed: bool = Field(False, description="人员确认 of the people the suggested roster did not match")


class OperationOut(BaseModel):
    id: int
    batch_no: str
    action: str
    label: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    detail: dict[str, Any] | None
    actor_id: str
    actor_tier: str
    at: datetime


# --- roster rows ----------------------------------------------------------------------------------------


class RowOut(BaseModel):
    id: int
    name: str
    name_options: list[str] = Field(description="姓名匹配异常: pick one (建议清册, 会员库, 本地导入)")
    id_type: str
    id_number: str
    birth_date: date
    gender: str
    phone: str
    has_social_security: bool
    employment: str = Field(description="职退状态: 在职 / 退休 / -")
    unit_code: str | None
    suggested: bool = Field(description="是否建议名单")
    over_age: bool
    over_age_kept: bool
    source: str
    checking: bool = Field(description="设置在职 asked, social security has not answered yet")
    check_note: str
    problem: str = Field(description="the last 清册校验's verdict")
    premium_fen: int | None
    editable: bool = Field(description="only 非身份证 rows can be edited")


class RowEditIn(Strict):
    name: str | None = Field(None, min_length=1, max_length=50)
    birth_date: date | None = None
    gender: Literal["男", "女"] | None = None
    phone: str | None = Field(None, max_length=20, description="empty text clears it")
    has_social_security: bool | None = None


class OverAgeIn(Strict):
    kept: bool = Field(description="社保尚在缴金 / 医保享受在职待遇")


class NameIn(Strict):
    name: str = Field(min_length=1, max_length=50)


class RowIds(Strict):
    row_ids: list[int] = Field(default_factory=list, max_length=50000)
    all: bool = Field(False, description="批量设置为在职: every row whose 职退状态 is “-”")


class BuildOut(BaseModel):
    added: int
    updated: int
    skipped: int = Field(0, description="people who could not be taken (no ID number on record)")


class CheckSentOut(BaseModel):
    request_ids: list[str]
    rows: int


class ImportOut(BaseModel):
    id: str
    batch_no: str
    state: str = Field(description="排队中 → 校验中 → 入库中 → 已完成 | 已失败")
    file_name: str
    file_size: int
    rows_total: int
    rows_checked: int
    rows_added: int
    rows_updated: int
    rows_rejected: int
    progress: int = Field(description="percent")
    summary: str
    error_code: str | None
    error_message: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class CheckJobOut(BaseModel):
    """【清册校验】 running in the background; when 已完成 the batch carries the verdict (`Batch.check`)."""

    id: str
    batch_no: str
    state: str = Field(description="排队中 → 校验中 → 已完成 | 已失败")
    rows_total: int
    rows_checked: int
    progress: int = Field(description="percent")
    outcome: str | None = Field(description="清册校验不通过 / 清册校验通过 / 需上传附件, once 已完成")
    error_code: str | None
    error_message: str | None
    requested_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class RejectionOut(BaseModel):
    row_no: int
    column: str
    code: str
    reason: str
    name: str


class AttachmentOut(BaseModel):
    id: int
    kind: str
    file_name: str
    media_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    url: str
