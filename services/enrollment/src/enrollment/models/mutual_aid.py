"""互助保障项目2020 (mutual-aid) tables: the year's rules beside its items (guarantee types), the
insurer's suggested roster and headcounts, a unit's batches (参保批次) with their rosters (参保清册),
roster uploads, roster check jobs (清册校验), attachments, social-security checks and the operation log.

ID numbers and phones of roster rows are sealed (AES-GCM) with a blind index for the once-per-year
rule and the joins to the suggested roster; lists show the masked copies. A unit's enrollment code
(参保编码) is referenced by its string only: the code applications live in their own tables.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Column, Field

from .columns import EnrollmentTable, now, timestamp

# --- the programme-year's data beside its items -----------------------------------------------------------


class MutualAidRules(EnrollmentTable, table=True):
    """What 清册校验 and the premium take from the year: the bundle (A0 B0 C0: −10 元), ±10 %, 75–100 %."""

    __tablename__ = "ma_rules"

    programme_year_id: int = Field(foreign_key="programme_year.id", primary_key=True)
    bundle_codes: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(sa.Text), nullable=False))
    bundle_discount_fen: int = 0
    change_pct: int = 10
    ratio_min_pct: int = 75
    ratio_max_pct: int = 100
    small_unit_max: int = 10
    template_max_rows: int = 5000
    updated_by: str = Field(default="", max_length=64)
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class SuggestedPerson(EnrollmentTable, table=True):
    """建议清册: the insurer's roster of a year — the social-security name and 单位社保编码 per ID number."""

    __tablename__ = "ma_suggested"
    __table_args__ = (sa.Index("ix_ma_suggested_year_unit", "programme_year_id", "unit_code"),)

    programme_year_id: int = Field(foreign_key="programme_year.id", primary_key=True)
    id_digest: bytes = Field(sa_column=Column(sa.LargeBinary, primary_key=True))
    id_masked: str = Field(default="", max_length=30)  # the list shows it; the number itself is not kept
    name: str = Field(max_length=50)
    unit_code: str = Field(max_length=20)
    employment: str = Field(default="在职", max_length=4)
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())  # the load that last said it


class UnitHeadcount(EnrollmentTable, table=True):
    """社保在职人数 (缴费人数) of one 单位社保编码: the denominator of 单位社保比例校验."""

    __tablename__ = "ma_headcount"

    programme_year_id: int = Field(foreign_key="programme_year.id", primary_key=True)
    unit_code: str = Field(primary_key=True, max_length=20)
    unit_name: str = Field(default="", max_length=100)
    headcount: int
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


# --- batches and rosters -----------------------------------------------------------------------------------


class MutualAidBatch(EnrollmentTable, table=True):
    """参保批次 (HZ…): one unit's 集中参保 or 即时参保 under an enrollment code, from roster to 参保已完成."""

    __tablename__ = "ma_batch"
    __table_args__ = (sa.Index("ix_ma_batch_year_code", "programme_year_id", "code"),)

    batch_no: str = Field(primary_key=True, max_length=20)
    programme_year_id: int = Field(foreign_key="programme_year.id", index=True)
    enrollment_type: str = Field(max_length=10)
    code: str = Field(max_length=40)  # 参保编码, by its string
    unit_name: str = Field(max_length=100)
    account_id: str = Field(max_length=64, index=True)  # the account that works the batch
    org_id: int | None = Field(default=None, index=True)  # the union, when the account has one
    org_path: str = Field(default="", max_length=400)
    status: str = Field(max_length=12, index=True)
    handler_name: str = Field(default="", max_length=50)
    handler_phone_enc: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary, nullable=True))
    handler_phone_masked: str = Field(default="", max_length=20)
    handler_email: str = Field(default="", max_length=100)
    check_summary: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    checked_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    roster_submitted_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    cover_start: date | None = None
    cover_end: date | None = None
    half_year: bool = False
    items: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(sa.Text), nullable=False))
    premium: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    persons: int = 0
    ss_persons: int = 0
    non_ss_persons: int = 0
    amount_fen: int = 0
    premium_confirmed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    voucher_due: date | None = None
    # the payable billing keeps: the batch number, suffixed after a withdrawal (HZ…-2)
    payable_no: str | None = Field(default=None, max_length=40, unique=True)
    payable_seq: int = 0
    voucher_no: str | None = Field(default=None, max_length=20)
    voucher_submitted_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    billing_version: int = 0
    paid_amount_fen: int | None = None
    completed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    created_by: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())
    version: int = 1


class BatchNumbers(EnrollmentTable, table=True):
    """The day's last 参保批次 number (HZ + YYYYMMDD + 4 digits)."""

    __tablename__ = "ma_counter"

    day: date = Field(primary_key=True)
    last: int


class RosterRow(EnrollmentTable, table=True):
    """One person of a batch's 参保清册. `claimed` from 清册提交 on: one ID number is insured once per year."""

    __tablename__ = "ma_row"
    __table_args__ = (
        sa.UniqueConstraint("batch_no", "id_digest", name="ux_ma_row_batch_person"),
        sa.Index(
            "ux_ma_row_claimed_once_per_year",
            "programme_year_id",
            "id_digest",
            unique=True,
            postgresql_where=sa.text("claimed"),
        ),
        sa.Index("ix_ma_row_year_person", "programme_year_id", "id_digest"),
    )

    id: int | None = Field(default=None, sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=True))
    batch_no: str = Field(
        sa_column=Column(sa.String(20), sa.ForeignKey("ma_batch.batch_no", ondelete="CASCADE"), nullable=False)
    )
    programme_year_id: int
    name: str = Field(max_length=50)
    # 姓名匹配异常: the names that disagree (建议清册, 会员库, 本地导入), until the clerk picks one
    name_options: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(sa.Text), nullable=False))
    id_type: str = Field(max_length=10)
    id_enc: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    id_digest: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    id_masked: str = Field(max_length=30)
    birth_date: date
    gender: str = Field(max_length=1)
    phone_enc: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary, nullable=True))
    phone_masked: str = Field(default="", max_length=20)
    has_social_security: bool = False
    employment: str = Field(default="-", max_length=4)  # 职退状态: 在职 / 退休 / -
    unit_code: str | None = Field(default=None, max_length=20)  # 单位社保编码 from the suggested roster
    suggested: bool = False  # 是否建议名单
    over_age_kept: bool = False  # 社保尚在缴金 / 医保享受在职待遇 ticked
    source: str = Field(max_length=10)  # 本地导入 / 上年度 / 会员库
    member_id: str | None = Field(default=None, max_length=40)
    check_request_id: str | None = Field(default=None, max_length=40)  # 设置在职 asked, no answer yet
    check_note: str = Field(default="", max_length=200)
    problem: str = Field(default="", max_length=200)  # the last 清册校验's verdict on this row
    claimed: bool = False
    premium_fen: int | None = None
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class RosterImport(EnrollmentTable, table=True):
    """上传本地参保名单文件: a background job with its progress; the file is kept until it finishes."""

    __tablename__ = "ma_import"

    id: str = Field(primary_key=True, max_length=40)
    batch_no: str = Field(
        sa_column=Column(sa.String(20), sa.ForeignKey("ma_batch.batch_no", ondelete="CASCADE"), nullable=False)
    )
    state: str = Field(max_length=6, index=True)
    file_name: str = Field(max_length=200)
    file_size: int
    content: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary, nullable=True))
    rows_total: int = 0
    rows_checked: int = 0
    rows_added: int = 0
    rows_updated: int = 0
    rows_rejected: int = 0
    error_code: str | None = Field(default=None, max_length=60)
    error_message: str | None = Field(default=None, max_length=300)
    attempts: int = 0
    uploaded_by: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
    started_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class RosterRejection(EnrollmentTable, table=True):
    """导入失败 rows of an upload: the Excel row, the column, why."""

    __tablename__ = "ma_import_rejection"

    id: int | None = Field(default=None, primary_key=True)
    import_id: str = Field(
        sa_column=Column(sa.String(40), sa.ForeignKey("ma_import.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    row_no: int
    column: str = Field(max_length=20)
    code: str = Field(max_length=60)
    reason: str = Field(max_length=200)
    name: str = Field(default="", max_length=50)


RUNNING_CHECK = "state IN ('排队中', '校验中')"


class CheckJob(EnrollmentTable, table=True):
    """【清册校验】 as a background job: its progress, then the verdict it left on the batch, or its error."""

    __tablename__ = "ma_check_job"
    __table_args__ = (
        # one unfinished check per batch
        sa.Index("ux_ma_check_job_running", "batch_no", unique=True, postgresql_where=sa.text(RUNNING_CHECK)),
    )

    id: str = Field(primary_key=True, max_length=40)
    batch_no: str = Field(
        sa_column=Column(
            sa.String(20), sa.ForeignKey("ma_batch.batch_no", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    state: str = Field(max_length=6, index=True)
    rows_total: int = 0
    rows_checked: int = 0
    outcome: str | None = Field(default=None, max_length=12)  # 清册校验通过 / 清册校验不通过 / 需上传附件
    error_code: str | None = Field(default=None, max_length=60)
    error_message: str | None = Field(default=None, max_length=300)
    attempts: int = 0
    requested_by: str = Field(max_length=64)
    requested_tier: str = Field(max_length=12)
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
    started_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class Attachment(EnrollmentTable, table=True):
    """上传附件: 情况说明, 社会保险费缴费申报表, 退工单 … 人员确认承诺书 — an image or a PDF."""

    __tablename__ = "ma_attachment"

    id: int | None = Field(default=None, primary_key=True)
    batch_no: str = Field(
        sa_column=Column(
            sa.String(20), sa.ForeignKey("ma_batch.batch_no", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    kind: str = Field(max_length=20)
    file_name: str = Field(max_length=100)
    media_type: str = Field(max_length=40)
    size: int
    content: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    uploaded_by: str = Field(max_length=64)
    uploaded_at: datetime = Field(default_factory=now, sa_column=timestamp())


class EmploymentCheck(EnrollmentTable, table=True):
    """设置在职: a socialsec.check.requested for roster rows (subject_id = the row id)."""

    __tablename__ = "ma_check"

    request_id: str = Field(primary_key=True, max_length=40)
    batch_no: str = Field(
        sa_column=Column(
            sa.String(20), sa.ForeignKey("ma_batch.batch_no", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    subjects: int
    answered: int = 0
    requested_by: str = Field(max_length=64)
    requested_at: datetime = Field(default_factory=now, sa_column=timestamp())


class Operation(EnrollmentTable, table=True):
    """操作日志: every step of a batch — who, when, from which status to which, why. Kept after 批次删除."""

    __tablename__ = "ma_operation"

    id: int | None = Field(default=None, sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=True))
    batch_no: str = Field(max_length=20, index=True)
    action: str = Field(max_length=30)
    label: str = Field(max_length=40)
    from_status: str | None = Field(default=None, max_length=12)
    to_status: str | None = Field(default=None, max_length=12)
    reason: str | None = Field(default=None, max_length=200)
    detail: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    actor_id: str = Field(max_length=64)
    actor_tier: str = Field(max_length=12)
    at: datetime = Field(default_factory=now, sa_column=timestamp())
