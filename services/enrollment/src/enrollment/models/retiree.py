"""退休住院计划 (retiree hospitalisation plan) tables: the year's rules beside the programme-year, the
social-security headcounts, the units (参保编码, loaded by the insurer) with their files and name changes,
a unit's batches (TXZY…) with their people, uploads, attachments, social-security checks, withholding
requests and the operation log.

People's ID numbers and phones are sealed (AES-GCM) with blind indexes — the ID number for the
once-per-year rule, the phone for "手机号不能重复" within a roster; lists show masked copies.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field

from .columns import EnrollmentTable, now, timestamp


def _batch_fk(nullable: bool = False, index: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(sa.String(20), sa.ForeignKey("rt_batch.batch_no", ondelete="CASCADE"), nullable=nullable, index=index)


class RetireeRules(EnrollmentTable, table=True):
    """The year's figures beside its programme-year: 450 元, ≤ 450 元 withheld, 30 days, 75 %, 50 %."""

    __tablename__ = "rt_rules"

    programme_year_id: int = Field(foreign_key="programme_year.id", primary_key=True)
    premium_fen: int = 45000
    withholding_max_fen: int = 45000
    waiting_days: int = 30
    ratio_min_pct: int = 75
    phone_valid_pct: int = 50
    pension_day: date | None = None  # 养老金发放日: the bank deducts on it
    template_max_rows: int = 5000
    updated_by: str = Field(default="", max_length=64)
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class RetireeHeadcount(EnrollmentTable, table=True):
    """社保人数 of one 单位社保编码 (the insurer's figure): the ratio's denominator."""

    __tablename__ = "rt_headcount"

    programme_year_id: int = Field(foreign_key="programme_year.id", primary_key=True)
    unit_code: str = Field(primary_key=True, max_length=20)
    unit_name: str = Field(default="", max_length=100)
    headcount: int
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())  # the load that last said it


class RetireeUnit(EnrollmentTable, table=True):
    """参保单位 of the plan by its 参保编码; its owner is the gateway account bound to it (tuixiu<code>)."""

    __tablename__ = "rt_unit"

    code: str = Field(primary_key=True, max_length=20)
    unit_name: str = Field(max_length=100, index=True)
    uscc: str = Field(default="", max_length=32)
    uscc_valid: bool = False
    org_id: int | None = Field(default=None, index=True)
    org_path: str = Field(default="", max_length=400)
    owner_user_id: str | None = Field(default=None, max_length=64, index=True)
    owner_tier: str | None = Field(default=None, max_length=12)
    address: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=10)
    district: str = Field(default="", max_length=100)
    economic_type: str = Field(default="", max_length=50)
    handler_name: str = Field(default="", max_length=50)
    handler_phone_enc: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary, nullable=True))
    handler_phone_masked: str = Field(default="", max_length=20)
    handler_email: str = Field(default="", max_length=100)
    announced_version: int = 0  # enrollment.retiree_unit.registered sent with this version
    loaded_at: datetime = Field(default_factory=now, sa_column=timestamp())
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class RetireeUnitFile(EnrollmentTable, table=True):
    """A file a unit uploaded for its name change (《红头文件》或《工商变更登记表》)."""

    __tablename__ = "rt_unit_file"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, index=True)
    name_change_id: int | None = Field(default=None, index=True)
    file_name: str = Field(max_length=100)
    media_type: str = Field(max_length=40)
    size: int
    content: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    uploaded_by: str = Field(max_length=64)
    uploaded_at: datetime = Field(default_factory=now, sa_column=timestamp())


class RetireeNameChange(EnrollmentTable, table=True):
    """修改单位名称: the application and the insurer's answer."""

    __tablename__ = "rt_name_change"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, index=True)
    old_unit_name: str = Field(max_length=100)
    new_unit_name: str = Field(max_length=100)
    uscc: str = Field(max_length=32)
    handler_name: str = Field(max_length=50)
    handler_phone_enc: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    handler_phone_masked: str = Field(max_length=20)
    handler_email: str = Field(max_length=100)
    district: str = Field(max_length=100)
    economic_type: str = Field(max_length=50)
    address: str = Field(max_length=200)
    postcode: str = Field(max_length=10)
    principal: str = Field(default="", max_length=50)
    unit_phone: str = Field(default="", max_length=30)
    status: str = Field(max_length=10, index=True)
    reason: str | None = Field(default=None, max_length=200)
    submitted_by: str = Field(max_length=64)
    submitted_at: datetime = Field(default_factory=now, sa_column=timestamp())
    reviewed_by: str | None = Field(default=None, max_length=64)
    reviewed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class RetireeBatchNumbers(EnrollmentTable, table=True):
    """The day's last batch number (TXZY + YYYYMMDD + 4 digits)."""

    __tablename__ = "rt_counter"

    day: date = Field(primary_key=True)
    last: int


class RetireeBatch(EnrollmentTable, table=True):
    """参保批次 (TXZY…): one unit's 集中参保 or 即时参保 from the step bar's first step to 投保成功."""

    __tablename__ = "rt_batch"
    __table_args__ = (sa.Index("ix_rt_batch_year_code", "programme_year_id", "code"),)

    batch_no: str = Field(primary_key=True, max_length=20)
    programme_year_id: int = Field(foreign_key="programme_year.id", index=True)
    enrollment_type: str = Field(max_length=10)
    code: str = Field(max_length=20)
    unit_name: str = Field(max_length=100)
    uscc: str = Field(default="", max_length=32)
    created_by: str = Field(max_length=64)
    owner_user_id: str | None = Field(default=None, max_length=64, index=True)
    org_id: int | None = Field(default=None, index=True)
    org_path: str = Field(default="", max_length=400)
    status: str = Field(max_length=12, index=True)
    unit_confirmed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    payment_mode: str | None = Field(default=None, max_length=10)
    withholding_amount_fen: int | None = None
    entrustment_attachment_id: int | None = None
    validation_requested: int = 0
    validation_answered: int = 0
    validation_requested_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    review_submitted_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    review_reason: str | None = Field(default=None, max_length=200)
    review_lines: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    reviewed_by: str | None = Field(default=None, max_length=64)
    reviewed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    withholding_request_no: str | None = Field(default=None, max_length=20)
    withholding_requested: int = 0
    withholding_answered: int = 0
    withholding_requested_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    deducted_on: date | None = None
    persons: int = 0
    amount_fen: int = 0
    withheld_persons: int = 0
    withheld_fen: int = 0
    payable_no: str | None = Field(default=None, max_length=40, unique=True)
    roster_confirmed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    pay_by: date | None = None
    voucher_no: str | None = Field(default=None, max_length=20)
    voucher_submitted_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    billing_version: int = 0
    paid_amount_fen: int | None = None
    completed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    cover_start: date | None = None
    cover_end: date | None = None
    handler_name: str = Field(default="", max_length=50)
    handler_phone_enc: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary, nullable=True))
    handler_phone_masked: str = Field(default="", max_length=20)
    handler_email: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())
    version: int = 1


class RetireePerson(EnrollmentTable, table=True):
    """One person of a batch's 参保名单, with social security's answer, the clerk's fixes and the bank's
    outcome. `claimed` from the review submission on: one ID number is insured once per year."""

    __tablename__ = "rt_person"
    __table_args__ = (
        sa.UniqueConstraint("batch_no", "id_digest", name="ux_rt_person_batch_id"),
        sa.UniqueConstraint("batch_no", "phone_digest", name="ux_rt_person_batch_phone"),
        sa.Index(
            "ux_rt_person_claimed_once_per_year",
            "programme_year_id",
            "id_digest",
            unique=True,
            postgresql_where=sa.text("claimed"),
        ),
        sa.Index("ix_rt_person_year_code", "programme_year_id", "ss_unit_code"),
    )

    id: int | None = Field(default=None, sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=True))
    batch_no: str = Field(sa_column=_batch_fk())
    programme_year_id: int
    name: str = Field(max_length=50)
    id_type: str = Field(max_length=10)
    id_enc: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    id_digest: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    id_masked: str = Field(max_length=30)
    birth_date: date
    gender: str = Field(max_length=1)
    phone_enc: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    phone_digest: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    phone_masked: str = Field(max_length=20)
    phone_valid: bool = False
    source: str = Field(max_length=4)  # 导入 / 新增
    # social security's answer (socialsec.check.reported)
    check_request_id: str | None = Field(default=None, max_length=40)  # asked, no answer yet
    answered: bool = False
    failure: str = Field(default="", max_length=200)
    found: bool = False
    ss_name: str = Field(default="", max_length=50)
    deceased: bool = False
    retired: bool = False
    retirement_month: str | None = Field(default=None, max_length=7)
    retirement_edited: bool = False
    name_confirmed: bool = False
    medical_insured: bool = False
    withholdable: bool = False
    ss_unit_code: str | None = Field(default=None, max_length=20)
    ss_unit_uscc: str = Field(default="", max_length=32)
    check_result: str = Field(default="待校验", max_length=20, index=True)
    # people without social security (未匹配到社保信息)
    no_ss_class: str | None = Field(default=None, max_length=4)
    no_ss_remark: str = Field(default="", max_length=200)
    no_ss_attachment_id: int | None = None
    # the bank (bank.withholding.reported)
    withholding_request_no: str | None = Field(default=None, max_length=20)
    withholding_result: str | None = Field(default=None, max_length=4)
    withholding_amount_fen: int | None = None
    withholding_reason: str = Field(default="", max_length=100)
    claimed: bool = False
    premium_fen: int | None = None
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class RetireeImport(EnrollmentTable, table=True):
    """导入参保名单: a background job with its progress; the file is kept until it finishes."""

    __tablename__ = "rt_import"

    id: str = Field(primary_key=True, max_length=40)
    batch_no: str = Field(sa_column=_batch_fk())
    state: str = Field(max_length=6, index=True)
    file_name: str = Field(max_length=200)
    file_size: int
    content: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary, nullable=True))
    rows_total: int = 0
    rows_checked: int = 0
    rows_added: int = 0
    rows_rejected: int = 0
    error_code: str | None = Field(default=None, max_length=60)
    error_message: str | None = Field(default=None, max_length=300)
    attempts: int = 0
    uploaded_by: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
    started_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class RetireeRejection(EnrollmentTable, table=True):
    """导入失败 rows of an upload: the Excel row, the column, why."""

    __tablename__ = "rt_import_rejection"

    id: int | None = Field(default=None, primary_key=True)
    import_id: str = Field(
        sa_column=Column(sa.String(40), sa.ForeignKey("rt_import.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    row_no: int
    column: str = Field(max_length=20)
    code: str = Field(max_length=60)
    reason: str = Field(max_length=200)
    name: str = Field(default="", max_length=50)


class RetireeAttachment(EnrollmentTable, table=True):
    """委托代扣申请书, 参保比例佐证材料 (per 单位社保编码), 无社保人员材料 (per person), 其他 — an image or a PDF."""

    __tablename__ = "rt_attachment"

    id: int | None = Field(default=None, primary_key=True)
    batch_no: str = Field(sa_column=_batch_fk(index=True))
    kind: str = Field(max_length=20)
    unit_code: str | None = Field(default=None, max_length=20)
    person_id: int | None = None
    file_name: str = Field(max_length=100)
    media_type: str = Field(max_length=40)
    size: int
    content: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    uploaded_by: str = Field(max_length=64)
    uploaded_at: datetime = Field(default_factory=now, sa_column=timestamp())


class RetireeCheck(EnrollmentTable, table=True):
    """提交系统校验: one socialsec.check.requested (subject_id = the person's id)."""

    __tablename__ = "rt_check"

    request_id: str = Field(primary_key=True, max_length=40)
    batch_no: str = Field(sa_column=_batch_fk(index=True))
    subjects: int
    answered: int = 0
    requested_by: str = Field(max_length=64)
    requested_at: datetime = Field(default_factory=now, sa_column=timestamp())


class RetireeWithholding(EnrollmentTable, table=True):
    """代扣申请 (DK…): one retiree.withholding.requested in chunks; the bank answers per person."""

    __tablename__ = "rt_withholding"

    request_no: str = Field(primary_key=True, max_length=20)
    batch_no: str = Field(sa_column=_batch_fk(index=True))
    people: int
    answered: int = 0
    amount_fen: int
    pension_day: date
    requested_by: str = Field(max_length=64)
    requested_at: datetime = Field(default_factory=now, sa_column=timestamp())


class RetireeNotice(EnrollmentTable, table=True):
    """A message to the batch's handler (经办人), one per batch, kind and channel: recorded in the transaction
    that makes it due (the bank's last outcome for 代扣结果), sent by the notice loop, marked sent once."""

    __tablename__ = "rt_notice"
    __table_args__ = (
        sa.UniqueConstraint("batch_no", "kind", "channel", name="ux_rt_notice_once"),
        sa.Index("ix_rt_notice_unsent", "id", postgresql_where=sa.text("sent_at IS NULL")),
    )

    id: int | None = Field(default=None, sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=True))
    batch_no: str = Field(sa_column=_batch_fk())
    kind: str = Field(max_length=30)
    channel: str = Field(max_length=10)  # sms / mail
    subject: str = Field(default="", max_length=200)
    text: str = Field(sa_column=Column(sa.Text, nullable=False))
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
    attempts: int = 0
    tried_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    last_error: str = Field(default="", max_length=200)
    sent_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class RetireeOperation(EnrollmentTable, table=True):
    """操作记录: every step of a batch — who, when, from which status to which, why. Kept after 批次删除."""

    __tablename__ = "rt_operation"

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
