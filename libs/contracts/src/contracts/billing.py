"""Events of the billing service (topic billing.v1): the money facts other services act on.

`billing.voucher.submitted` freezes a batch's roster in enrollment and `billing.payment.confirmed`
completes the batch. The notice, refund and receipt events tell the gateway (to-do reminders,
downloads) and whoever books the money; no bank account number and no personal data travel in them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from . import topics
from .envelope import Event


class BillingPaymentConfirmed(Event):
    """A batch is paid: approved vouchers, with what was withheld from pensions (退休住院计划), cover what
    is due — or the withholding alone did. Enrollment completes the batch and its people's cover becomes
    active. Sent once per batch; a repeat changes nothing."""

    ce_type: ClassVar[str] = "billing.payment.confirmed"
    topic: ClassVar[str] = topics.BILLING
    batch_no: str = Field(description="the enrollment batch paid (CB…)")
    paid_amount_fen: int = Field(ge=0, description="what was paid for this batch (fen), the withheld part included")
    confirmed_at: datetime
    version: int = Field(1, description="the payable's version when confirmed")

    def key(self) -> str:
        return self.batch_no


class BillingVoucherSubmitted(Event):
    """A payer uploaded a payment voucher (缴费凭证) for batches, or corrected a returned one: the batch's
    roster is frozen from now on (缴费凭证上传后清册不能再修改), in enrollment as in billing. One event per
    batch the voucher pays, keyed by the batch so it stays in order with `billing.payment.confirmed`."""

    ce_type: ClassVar[str] = "billing.voucher.submitted"
    topic: ClassVar[str] = topics.BILLING
    batch_no: str = Field(description="the enrollment batch the voucher pays (CB…)")
    voucher_no: str = Field(description="PZ + YYYYMMDD + 4-digit sequence")
    payer_org_id: int
    applied_fen: int = Field(ge=0, description="what this voucher pays of the batch, under review (fen)")
    roster_frozen_at: datetime = Field(description="when the batch's roster froze: its first voucher's upload")
    submitted_at: datetime = Field(description="when this voucher was uploaded (or corrected)")
    version: int = Field(description="the payable's version after the upload")

    def key(self) -> str:
        return self.batch_no


class BillingNoticeIssued(Event):
    """The payment notice (告知书) of a batch was rendered and can be downloaded: sent when the payable is
    made, again (with a higher version) when the insurer re-issues it, e.g. after the receiving account
    changed."""

    ce_type: ClassVar[str] = "billing.notice.issued"
    topic: ClassVar[str] = topics.BILLING
    batch_no: str
    payer_org_id: int
    programme: str
    year: int
    amount_fen: int = Field(ge=0, description="what the payer owes for the batch (fen)")
    pay_by: date
    account_category: str = Field(description="the receiving account the notice names: 在职 / 退休 / 会员专享")
    issued_at: datetime
    version: int = Field(description="the notice's version: 1 when first issued")

    def key(self) -> str:
        return self.batch_no


class BillingRefundIssued(Event):
    """The insurer paid back an over-payment (已退款): the voucher paid more than its batches were due."""

    ce_type: ClassVar[str] = "billing.refund.issued"
    topic: ClassVar[str] = topics.BILLING
    refund_no: str = Field(description="TK + YYYYMMDD + 4-digit sequence")
    voucher_no: str
    batch_nos: list[str]
    payer_org_id: int
    amount_fen: int = Field(gt=0, description="refund = paid − due (fen)")
    method: str = Field(description="退款方式, e.g. 划帐")
    issued_at: datetime
    version: int = Field(description="the refund's version when issued")

    def key(self) -> str:
        return self.refund_no


class BillingReceiptIssued(Event):
    """A special receipt / e-receipt (专用收据 / 电子票据) was issued for a paid batch; its PDF can be downloaded."""

    ce_type: ClassVar[str] = "billing.receipt.issued"
    topic: ClassVar[str] = topics.BILLING
    receipt_no: str = Field(description="unique: ZY + YYYYMMDD + 4-digit sequence")
    batch_no: str
    payer_org_id: int
    title: str = Field(description="专用收据抬头 (free: need not be the payer)")
    amount_fen: int = Field(gt=0)
    issued_at: datetime
    version: int = Field(description="the receipt's version when issued")

    def key(self) -> str:
        return self.receipt_no
