"""The enrollment flow: the unit's choices, requests, submissions, lines, batches, notices, idempotency."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Column, Field

from ..domain.coverage import LIVE
from .columns import EnrollmentTable, now, timestamp

# --- the unit's choices for a year ----------------------------------------------------------------------


class Confirmation(EnrollmentTable, table=True):
    """集中参保待确认名单 → 确认: the member joins the list and cannot be removed."""

    __tablename__ = "confirmation"

    programme_year_id: int = Field(foreign_key="programme_year.id", primary_key=True)
    member_id: str = Field(primary_key=True, max_length=40)
    org_id: int
    confirmed_by: str = Field(max_length=64)
    confirmed_at: datetime = Field(default_factory=now, sa_column=timestamp())


class Exclusion(EnrollmentTable, table=True):
    """A member the clerk took off the collective list (e.g. retiring before the year starts)."""

    __tablename__ = "exclusion"

    programme_year_id: int = Field(foreign_key="programme_year.id", primary_key=True)
    member_id: str = Field(primary_key=True, max_length=40)
    org_id: int
    reason: str = Field(default="", max_length=100)
    excluded_by: str = Field(max_length=64)
    excluded_at: datetime = Field(default_factory=now, sa_column=timestamp())


# --- submissions, lines, batches --------------------------------------------------------------------------


class EnrollmentRequest(EnrollmentTable, table=True):
    """What a grassroots clerk submitted at once (提交至上级审核): one submission per channel, one notice."""

    __tablename__ = "enrollment_request"

    id: str = Field(primary_key=True, max_length=40)
    programme_year_id: int = Field(foreign_key="programme_year.id", index=True)
    org_id: int = Field(index=True)
    enrollment_type: str = Field(max_length=10)
    guarantee_type_id: int = Field(foreign_key="guarantee_type.id")
    persons: int
    amount_fen: int
    submitted_by: str = Field(max_length=64)
    submitted_at: datetime = Field(default_factory=now, sa_column=timestamp())


class Submission(EnrollmentTable, table=True):
    """One row of the reviewers' lists: a union's enrollment of one type and channel."""

    __tablename__ = "submission"
    __table_args__ = (sa.Index("ix_submission_year_state", "programme_year_id", "enrollment_type", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: str = Field(foreign_key="enrollment_request.id", index=True, max_length=40)
    programme_year_id: int = Field(foreign_key="programme_year.id")
    org_id: int = Field(index=True)
    enrollment_type: str = Field(max_length=10)
    channel: str = Field(max_length=10)
    guarantee_type_id: int = Field(foreign_key="guarantee_type.id")
    persons: int
    amount_fen: int
    city_fen: int
    district_fen: int
    grassroots_fen: int
    state: str = Field(max_length=10)
    submitted_by: str = Field(max_length=64)
    submitted_at: datetime = Field(default_factory=now, sa_column=timestamp())
    staged_by: str | None = Field(default=None, max_length=64)
    staged_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    returned_by: str | None = Field(default=None, max_length=64)
    returned_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    return_reason: str | None = Field(default=None, max_length=200)
    batch_no: str | None = Field(default=None, max_length=20, index=True)
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class Enrollment(EnrollmentTable, table=True):
    """One member in one submission; at most one live line per member and programme-year."""

    __tablename__ = "enrollment"
    __table_args__ = (
        sa.Index(
            "ux_enrollment_once_per_year",
            "programme_year_id",
            "member_id",
            unique=True,
            postgresql_where=sa.text("state IN (" + ", ".join(f"'{s}'" for s in sorted(LIVE)) + ")"),
        ),
        sa.Index("ix_enrollment_member", "member_id"),
    )

    id: int | None = Field(default=None, sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=True))
    programme_year_id: int = Field(foreign_key="programme_year.id")
    submission_id: int = Field(foreign_key="submission.id", index=True)
    member_id: str = Field(max_length=40)
    org_id: int
    channel: str = Field(max_length=10)
    guarantee_type_id: int = Field(foreign_key="guarantee_type.id")
    premium_fen: int
    name: str = Field(max_length=50)
    id_number_masked: str = Field(max_length=30)
    state: str = Field(max_length=10)
    cover_start: date | None = None
    cover_end: date | None = None
    batch_no: str | None = Field(default=None, max_length=20, index=True)
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())


class Batch(EnrollmentTable, table=True):
    """参保批次 (CB…): a district's reviewed submissions sent to the insurer; frozen from then on."""

    __tablename__ = "batch"

    batch_no: str = Field(primary_key=True, max_length=20)
    programme_year_id: int = Field(foreign_key="programme_year.id", index=True)
    payer_org_id: int = Field(index=True)
    enrollment_type: str = Field(max_length=10)
    persons: int
    persons_member_card: int
    persons_ss_card: int
    amount_fen: int
    city_fen: int
    district_fen: int
    grassroots_fen: int
    pay_by: date
    coverage_start: date | None = None
    coverage_end: date
    handler_name: str = Field(max_length=50)
    handler_phone_enc: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    handler_phone_masked: str = Field(max_length=20)
    handler_email: str = Field(max_length=100)
    state: str = Field(max_length=10, index=True)
    submitted_by: str = Field(max_length=64)
    submitted_at: datetime = Field(default_factory=now, sa_column=timestamp())
    paid_amount_fen: int | None = None
    confirmed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    lapsed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    # billing.voucher.submitted: the payer uploaded a voucher, the roster is frozen for billing too
    roster_frozen: bool = False
    frozen_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    voucher_no: str | None = Field(default=None, max_length=20)
    voucher_submitted_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    billing_version: int = 0  # the payable's version last heard from billing: older news is ignored
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())
    version: int = 1


class BatchCounter(EnrollmentTable, table=True):
    __tablename__ = "batch_counter"

    day: date = Field(primary_key=True)
    last: int


class Notice(EnrollmentTable, table=True):
    """A notice PDF (告知书): `owner` is `request:<id>` or `batch:<CB…>`."""

    __tablename__ = "notice"

    owner: str = Field(primary_key=True, max_length=60)
    file_name: str = Field(max_length=120)
    pdf: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())


class IdempotencyRecord(EnrollmentTable, table=True):
    """A request made with an Idempotency-Key: the same key and body give the first result again."""

    __tablename__ = "idempotency_record"

    user_id: str = Field(primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=100)
    request_hash: str = Field(max_length=64)
    result_ref: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
