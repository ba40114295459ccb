"""The programme model: programmes, their years, windows, guarantee types, district splits (fen)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Column, Field

from .columns import EnrollmentTable, now, timestamp


class Programme(EnrollmentTable, table=True):
    __tablename__ = "programme"

    code: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=100)
    description: str = Field(default="", max_length=500)


class ProgrammeYear(EnrollmentTable, table=True):
    __tablename__ = "programme_year"
    __table_args__ = (sa.UniqueConstraint("programme_code", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_code: str = Field(foreign_key="programme.code", max_length=40)
    year: int
    insurance_start: date
    insurance_end: date
    unit_pay_by: date | None = Field(default=None, description="grassroots units pay their district by this day")
    collective_pay_by: date = Field(description="the district pays the insurer by this day")
    instant_pay_days: int = 15
    lapse_grace_days: int = 0
    ss_card_channel: bool = False
    retirement_age_male: int = 60
    retirement_age_female: int = 55
    issuer_name: str = Field(default="上海市职工保障互助中心", max_length=100)
    payee_name: str = Field(default="", max_length=100)
    payee_account: str = Field(default="", max_length=40)
    payee_bank: str = Field(default="", max_length=100)
    version: int = 1


class ProgrammeWindow(EnrollmentTable, table=True):
    __tablename__ = "programme_window"

    programme_year_id: int = Field(foreign_key="programme_year.id", primary_key=True)
    kind: str = Field(primary_key=True, max_length=30)
    opens_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), nullable=False))
    closes_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), nullable=False))


class GuaranteeType(EnrollmentTable, table=True):
    """保障类型 of one programme-year: per-person premium and its default split (fen)."""

    __tablename__ = "guarantee_type"
    __table_args__ = (sa.UniqueConstraint("programme_year_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_year_id: int = Field(foreign_key="programme_year.id", index=True)
    code: str = Field(max_length=8)
    name: str = Field(max_length=60)
    premium_fen: int
    city_fen: int
    district_fen: int
    grassroots_fen: int
    half_year_premium_fen: int | None = None
    waiting_days: int = 0
    active: bool = True
    sort: int = 0
    # mutual-aid items (保障项目): A1–A3 keep no 免责期 for accident hospitalisation; A0 is for 职保 only
    accident_exempt: bool = False
    social_security_only: bool = False


class DistrictSplit(EnrollmentTable, table=True):
    """保障金额设置: a district's split of one type for its subtree."""

    __tablename__ = "district_split"

    guarantee_type_id: int = Field(foreign_key="guarantee_type.id", primary_key=True)
    district_org_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    city_fen: int
    district_fen: int
    grassroots_fen: int
    set_by: str = Field(max_length=64)
    set_at: datetime = Field(default_factory=now, sa_column=timestamp())
