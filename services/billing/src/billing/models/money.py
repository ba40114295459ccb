"""Vouchers and the batches they pay, refunds of over-payments, special receipts."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

from .columns import fen, now, timestamp


class Voucher(SQLModel, table=True):
    """缴费凭证: one transfer to the insurer, paying one or several batches of one payer and programme-year."""

    __tablename__ = "voucher"
    __table_args__ = (sa.Index("ix_voucher_programme_year", "programme", "year"),)

    voucher_no: str = Field(primary_key=True, max_length=20)
    payer_org_id: int = Field(index=True)
    payer_account: str | None = Field(default=None, max_length=64, index=True)  # the payable's (orgs.scoped)
    programme: str = Field(max_length=40)
    year: int
    paying_unit: str = Field(max_length=100)
    method: str = Field(max_length=20)
    amount_fen: int = Field(sa_column=fen())
    account_category: str = Field(max_length=10)
    transfer_date: date
    due_fen: int = Field(sa_column=fen())  # what the chosen batches still lacked when submitted
    applied_fen: int = Field(sa_column=fen())
    refund_fen: int = Field(sa_column=fen())
    shortfall_fen: int = Field(sa_column=fen())
    refund_account_category: str | None = Field(default=None, max_length=10)
    refund_account_name: str | None = Field(default=None, max_length=100)
    refund_account_enc: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary, nullable=True))
    refund_account_masked: str | None = Field(default=None, max_length=40)
    refund_bank: str | None = Field(default=None, max_length=100)
    refund_method: str | None = Field(default=None, max_length=10)
    file_ref: str | None = Field(default=None, max_length=80)
    refund_file_ref: str | None = Field(default=None, max_length=80)
    state: str = Field(max_length=10, index=True)
    review_reason: str = Field(default="", max_length=500)
    reviewed_by: str | None = Field(default=None, max_length=64)
    reviewed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    submitted_by: str = Field(max_length=64)
    submitted_at: datetime = Field(default_factory=now, sa_column=timestamp())
    updated_at: datetime = Field(default_factory=now, sa_column=timestamp())
    version: int = 1


class VoucherBatch(SQLModel, table=True):
    """A batch a voucher pays, and how much of the voucher went to it (many-to-many)."""

    __tablename__ = "voucher_batch"

    voucher_no: str = Field(primary_key=True, foreign_key="voucher.voucher_no", max_length=20)
    batch_no: str = Field(primary_key=True, foreign_key="payable.batch_no", max_length=40, index=True)
    outstanding_fen: int = Field(sa_column=fen())  # what the batch still lacked before this voucher
    applied_fen: int = Field(sa_column=fen())


class Refund(SQLModel, table=True):
    """退款: an approved voucher's over-payment, 待退款 until the insurer pays it back (已退款)."""

    __tablename__ = "refund"

    refund_no: str = Field(primary_key=True, max_length=20)
    voucher_no: str = Field(foreign_key="voucher.voucher_no", unique=True, max_length=20)
    payer_org_id: int = Field(index=True)
    payer_account: str | None = Field(default=None, max_length=64, index=True)  # the payable's (orgs.scoped)
    programme: str = Field(max_length=40)
    year: int
    amount_fen: int = Field(sa_column=fen())
    account_category: str = Field(max_length=10)
    account_name: str = Field(max_length=100)
    account_enc: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    account_masked: str = Field(max_length=40)
    bank: str = Field(max_length=100)
    method: str = Field(max_length=10)
    state: str = Field(max_length=10, index=True)
    reference: str = Field(default="", max_length=100)
    paid_on: date | None = None
    created_at: datetime = Field(default_factory=now, sa_column=timestamp())
    issued_by: str | None = Field(default=None, max_length=64)
    issued_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    version: int = 1


class Receipt(SQLModel, table=True):
    """专用收据 / 电子票据: asked for by the payer (待开具), issued by the insurer with its number and PDF."""

    __tablename__ = "receipt"

    id: int | None = Field(default=None, primary_key=True)
    receipt_no: str | None = Field(default=None, unique=True, max_length=20)
    batch_no: str = Field(foreign_key="payable.batch_no", index=True, max_length=40)
    payer_org_id: int = Field(index=True)
    payer_account: str | None = Field(default=None, max_length=64, index=True)  # the payable's (orgs.scoped)
    title: str = Field(max_length=100)
    uscc: str = Field(default="", max_length=18)
    amount_fen: int = Field(sa_column=fen())
    remark: str = Field(default="", max_length=200)
    state: str = Field(max_length=10)
    requested_by: str = Field(max_length=64)
    requested_at: datetime = Field(default_factory=now, sa_column=timestamp())
    issued_by: str | None = Field(default=None, max_length=64)
    issued_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    void_reason: str = Field(default="", max_length=200)
    voided_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    version: int = 1
