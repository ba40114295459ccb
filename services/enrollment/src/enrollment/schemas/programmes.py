"""The programme model as the city and districts configure it."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from .common import Strict


class ProgrammeIn(Strict):
    name: str = Field(min_length=1, max_length=100, description="项目名称, e.g. 工会会员专享基本保障")
    description: str = Field("", max_length=500)


class WindowIn(Strict):
    opens_at: datetime = Field(description="inclusive; a time without offset is Asia/Shanghai")
    closes_at: datetime = Field(description="exclusive: 12月25日之前 closes at 12-26T00:00+08:00")


class YearIn(Strict):
    insurance_start: date
    insurance_end: date
    unit_pay_by: date | None = Field(None, description="基层单位 pay their district by (collective notice)")
    collective_pay_by: date = Field(description="区局（产业）工会 pay the insurer by (collective batches)")
    instant_pay_days: int = Field(15, ge=1, le=365, description="instant batches: pay within N days of submission")
    lapse_grace_days: int = Field(0, ge=0, le=60)
    ss_card_channel: bool = Field(False, description="社保卡参保 offered this year")
    retirement_age_male: int = 60
    retirement_age_female: int = 55
    issuer_name: str = Field("上海市职工保障互助中心", max_length=100)
    payee_name: str = Field("", max_length=100, description="insurer's receiving account: 户名")
    payee_account: str = Field("", max_length=40, description="帐号")
    payee_bank: str = Field("", max_length=100, description="开户行")
    windows: dict[str, WindowIn] = Field(
        default_factory=dict, description="split / collective / review / district_submit / instant"
    )


class TypeIn(Strict):
    name: str = Field(min_length=1, max_length=60, description="A类会员专享基本保障")
    premium_fen: int = Field(description="参保费用 per person per year (fen)")
    city_fen: int = Field(description="市总统一划拨 per person (fen)")
    district_fen: int = Field(description="区局/各级工会默认缴纳 per person (fen)")
    grassroots_fen: int = Field(description="基层单位默认缴纳 per person (fen)")
    half_year_premium_fen: int | None = Field(None, ge=1)
    waiting_days: int = Field(0, ge=0, le=365)
    active: bool = True
    sort: int = 0
    accident_exempt: bool = Field(False, description="mutual-aid A1–A3: no 免责期 for accident hospitalisation")
    social_security_only: bool = Field(False, description="mutual-aid A0: only for people in 职保")


class WindowOut(BaseModel):
    kind: str
    label: str
    opens_at: datetime
    closes_at: datetime
    open_now: bool


class SplitOut(BaseModel):
    city_fen: int
    district_fen: int
    grassroots_fen: int


class TypeOut(BaseModel):
    code: str
    name: str
    premium_fen: int
    default_split: SplitOut
    half_year_premium_fen: int | None
    waiting_days: int
    active: bool
    sort: int
    accident_exempt: bool = False
    social_security_only: bool = False


class YearOut(BaseModel):
    programme: str
    programme_name: str
    year: int
    insurance_start: date
    insurance_end: date
    unit_pay_by: date | None
    collective_pay_by: date
    instant_pay_days: int
    lapse_grace_days: int
    ss_card_channel: bool
    retirement_age_male: int
    retirement_age_female: int
    issuer_name: str
    payee_name: str
    payee_account: str
    payee_bank: str
    windows: list[WindowOut]
    types: list[TypeOut]
    version: int


class ProgrammeOut(BaseModel):
    code: str
    name: str
    description: str
    years: list[int]


class DistrictSplitIn(Strict):
    district_fen: int = Field(description="区局/各级工会缴纳 per person (fen)")
    grassroots_fen: int = Field(description="基层单位缴纳 per person (fen)")


class DistrictSplitOut(BaseModel):
    type_code: str
    type_name: str
    premium_fen: int
    default_split: SplitOut
    split: SplitOut = Field(description="what applies to the district's subtree")
    set_by: str | None
    set_at: datetime | None
