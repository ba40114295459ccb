"""The grassroots union's screens: 集中参保办理, its lists, 即时参保."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from contracts.enrollment import Channel, EnrollmentType

from .common import Strict


class AmountsOut(BaseModel):
    amount_fen: int
    city_fen: int
    district_fen: int
    grassroots_fen: int


class CollectiveCounts(BaseModel):
    total_members: int = Field(description="会员总人数")
    submitted: int = Field(description="集中参保已提交人数 (the last submission that counts)")
    without_card: int = Field(description="未办卡人数")
    retired: int = Field(description="退休人数")
    deceased: int = Field(description="死亡人数")
    pending: int = Field(description="待确认人数")
    excluded: int = Field(description="the clerk's exclusions")
    covered: int = Field(description="already enrolled this year otherwise (instant …)")
    insured: int = Field(description="参保人数: on the list now")
    member_card: int
    ss_card: int
    flagged_retiring: int = Field(description="on the list but retiring before the year starts: exclude them")


class LastSubmission(BaseModel):
    request_id: str
    type_code: str
    persons: int
    amount_fen: int
    submitted_at: datetime
    states: list[str]
    notice_url: str


class CollectiveOverview(BaseModel):
    org_id: int
    org_name: str
    programme: str
    year: int
    insurance_start: date
    insurance_end: date
    deadline: datetime | None = Field(description="the collective window's close (exclusive)")
    window_open: bool
    unit_pay_by: date | None
    type_code: str | None = Field(description="the type chosen this year (one per org and year) or asked for")
    locked_type_code: str | None = Field(description="set when the year's type can no longer change")
    premium: AmountsOut | None = Field(description="for the insured count and the type")
    counts: CollectiveCounts
    last_submission: LastSubmission | None


class RosterRow(BaseModel):
    member_id: str
    member_no: str | None
    name: str
    id_type: str
    id_number: str = Field(description="masked")
    card_number: str | None = Field(description="masked service-card number")
    standing: str
    channel: Channel | None
    confirmed: bool
    flagged_retiring: bool
    cover_start: date | None
    cover_end: date | None
    ss_card_held: bool | None
    employed: bool | None
    checked_at: datetime | None


class MemberIds(Strict):
    member_ids: list[str] = Field(default_factory=list, max_length=5000)
    all: bool = Field(False, description="全部确认: every member now pending")


class ExclusionIn(Strict):
    member_ids: list[str] = Field(min_length=1, max_length=5000)
    reason: str = Field("", max_length=100)


class CountOut(BaseModel):
    count: int


class CheckOut(BaseModel):
    request_ids: list[str]
    members: int
    skipped: int = Field(description="members without a sealed ID number (cannot be asked)")


class CollectiveSubmitIn(Strict):
    type_code: str = Field(description="the chosen guarantee type (A, A+ …)")


class InstantSubmitIn(Strict):
    type_code: str
    channel: Channel
    member_ids: list[str] = Field(default_factory=list, max_length=5000)


class InstantRow(BaseModel):
    member_id: str
    member_no: str | None
    name: str
    id_type: str
    id_number: str
    card_number: str | None
    newly_carded: bool = Field(description="新办卡: card issued after the collective window closed")
    channel: Channel
    list: str = Field(description="待提交 / 待校验")
    reason: str
    ss_card_held: bool | None
    employed: bool | None
    confirmed: bool
    expected_cover_start: date | None
    cover_end: date
    half_year: bool


class RequestOut(BaseModel):
    request_id: str
    org_id: int
    enrollment_type: EnrollmentType
    type_code: str
    persons: int
    amount_fen: int
    submission_ids: list[int]
    submitted_at: datetime
    notice_url: str
