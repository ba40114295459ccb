"""参保编码: applications (互助保障's, and by `plan` the 退休住院计划's 新参保编码申请) and their review, the
mutual-aid codes with their units and handler, unit name changes, the files units attach, and the SMS
codes of the forms. Phones are sealed (AES-GCM, the service's PII key) and kept masked beside for lists."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Column, Field

from .columns import EnrollmentTable, now, timestamp


def sealed(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(sa.LargeBinary, nullable=nullable)


class CodeApplication(EnrollmentTable, table=True):
    """参保编码申请: what the unit filled in, its state and the insurer's last word."""

    __tablename__ = "code_application"
    __table_args__ = (
        sa.Index("ix_code_application_status", "status", "submitted_at"),
        sa.Index("ix_code_application_plan", "plan", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # 参保项目: mutual_aid (互助保障) or retiree (退休住院计划: committee holds 所属区局工会, nature 经济类型,
    # contact/contact_phone/email the 经办人; no 在职人数)
    plan: str = Field(default="mutual_aid", max_length=12, sa_column_kwargs={"server_default": "mutual_aid"})
    owner_user_id: str = Field(max_length=64, index=True)  # the applying account: the code will be its
    owner_tier: str = Field(max_length=20)
    owner_org_id: int | None = None
    unit_name: str = Field(max_length=100)
    name_key: str = Field(max_length=100, index=True)
    committee: str = Field(max_length=50)
    uscc: str | None = Field(default=None, max_length=18)
    nature: str = Field(max_length=20)
    contact: str = Field(max_length=30)
    contact_phone_enc: bytes = Field(sa_column=sealed())
    contact_phone_masked: str = Field(max_length=20)
    email: str = Field(max_length=100)
    address: str = Field(max_length=200)
    postcode: str = Field(max_length=6)
    headcount: int
    leader: str | None = Field(default=None, max_length=30)
    leader_phone_enc: bytes | None = Field(default=None, sa_column=sealed(nullable=True))
    unit_phone: str | None = Field(default=None, max_length=20)
    status: str = Field(max_length=10)
    code: str | None = Field(default=None, max_length=10, unique=True)
    submitted_at: datetime = Field(default_factory=now, sa_column=timestamp())
    reviewed_by: str | None = Field(default=None, max_length=64)
    reviewed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    reject_reason: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class EnrollmentCode(EnrollmentTable, table=True):
    """参保编码: one account's; its unit name changes only through 单位名称变更."""

    __tablename__ = "enrollment_code"

    code: str = Field(primary_key=True, max_length=10)
    application_id: int = Field(foreign_key="code_application.id", unique=True)
    owner_user_id: str = Field(max_length=64, index=True)
    owner_tier: str = Field(max_length=20)
    owner_org_id: int | None = None
    unit_name: str = Field(max_length=100)
    approved_by: str = Field(max_length=64)
    approved_at: datetime = Field(sa_column=timestamp())
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class CodeUnit(EnrollmentTable, table=True):
    """A unit enrolled under a code: the applicant itself (`main`), and the group's other units
    ("一个参保编码中可以由多个单位组成一套名单"). A unit name is under one code only."""

    __tablename__ = "code_unit"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(foreign_key="enrollment_code.code", index=True, max_length=10)
    unit_name: str = Field(max_length=100)
    name_key: str = Field(max_length=100, unique=True)
    uscc: str | None = Field(default=None, max_length=18)
    main: bool = False
    added_by: str = Field(max_length=64)
    added_at: datetime = Field(default_factory=now, sa_column=timestamp())


class CodeHandler(EnrollmentTable, table=True):
    """经办人填报 of a code: saved only complete, so a row means the unit may go on."""

    __tablename__ = "code_handler"

    code: str = Field(foreign_key="enrollment_code.code", primary_key=True, max_length=10)
    handler_name: str = Field(max_length=30)
    handler_phone_enc: bytes = Field(sa_column=sealed())
    handler_phone_masked: str = Field(max_length=20)
    handler_email: str = Field(max_length=100)
    uscc: str = Field(max_length=18)
    economic_type: str = Field(max_length=30)
    union_first: str | None = Field(default=None, max_length=100)
    union_second: str | None = Field(default=None, max_length=100)
    address: str = Field(max_length=200)
    industry: str = Field(max_length=50)
    headcount: int
    saved_by: str = Field(max_length=64)
    saved_at: datetime = Field(default_factory=now, sa_column=timestamp())


class NameChange(EnrollmentTable, table=True):
    """单位名称变更 of a code, with its evidence; the insurer's approval renames the code's unit."""

    __tablename__ = "code_name_change"
    __table_args__ = (
        # one open application per code
        sa.Index("ux_code_name_change_pending", "code", unique=True, postgresql_where=sa.text("status = '申请中'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(foreign_key="enrollment_code.code", index=True, max_length=10)
    old_name: str = Field(max_length=100)
    new_name: str = Field(max_length=100)
    note: str | None = Field(default=None, max_length=200)
    status: str = Field(max_length=10)
    applied_by: str = Field(max_length=64)
    applied_at: datetime = Field(default_factory=now, sa_column=timestamp())
    reviewed_by: str | None = Field(default=None, max_length=64)
    reviewed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    reject_reason: str | None = Field(default=None, max_length=200)


class CodeHistory(EnrollmentTable, table=True):
    """The operation log of an application or a name change: who did what when, and why."""

    __tablename__ = "code_history"

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=40, index=True)  # application:12, name_change:3
    action: str = Field(max_length=20)  # 提交申请 / 重新提交 / 审核通过 / 审核不通过
    actor: str = Field(max_length=64)
    at: datetime = Field(default_factory=now, sa_column=timestamp())
    note: str | None = Field(default=None, max_length=200)


class CodeAttachment(EnrollmentTable, table=True):
    """A file a unit uploaded; `subject` is what it was attached to (none yet: just uploaded)."""

    __tablename__ = "code_attachment"

    id: str = Field(primary_key=True, max_length=32)
    owner_user_id: str = Field(max_length=64, index=True)
    subject: str | None = Field(default=None, max_length=40, index=True)
    file_name: str = Field(max_length=100)
    content_type: str = Field(max_length=30)
    size: int
    content: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    uploaded_at: datetime = Field(default_factory=now, sa_column=timestamp())


class SmsCode(EnrollmentTable, table=True):
    """A verification code sent by SMS: kept as a keyed digest, with the number's digest."""

    __tablename__ = "sms_code"
    __table_args__ = (sa.Index("ix_sms_code_phone", "purpose", "phone_digest", "sent_at"),)

    id: int | None = Field(default=None, sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=True))
    purpose: str = Field(max_length=20)
    phone_digest: str = Field(max_length=64)
    requested_by: str = Field(max_length=64, index=True)
    code_digest: str = Field(max_length=64)
    sent_at: datetime = Field(sa_column=timestamp())
    expires_at: datetime = Field(sa_column=timestamp())
    attempts: int = 0
    used_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
