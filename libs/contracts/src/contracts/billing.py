"""Events of the billing service (topic billing.v1): the money facts other services act on.

Only what enrollment consumes today is defined here; billing adds its notices, refunds and receipts.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from . import topics
from .envelope import Event


class BillingPaymentConfirmed(Event):
    """The insurer confirmed that a batch is paid (vouchers approved and covering what is due):
    enrollment completes the batch and its members' cover becomes active. Sent once per batch; a
    repeat changes nothing."""

    ce_type: ClassVar[str] = "billing.payment.confirmed"
    topic: ClassVar[str] = topics.BILLING
    batch_no: str = Field(description="the enrollment batch paid (CB…)")
    paid_amount_fen: int = Field(ge=0, description="what was paid for this batch (fen)")
    confirmed_at: datetime
    version: int = Field(1, description="the payable's version when confirmed")

    def key(self) -> str:
        return self.batch_no
