"""The bank's answers (topic bank.v1): one outcome per card of a submitted batch.

Outcomes may arrive more than once and in any order across batches; cards applies them idempotently
by (batch_no, member_id). An outcome for a revoked batch is ignored.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field

from . import topics
from .envelope import Event


class BankCardIssued(Event):
    ce_type: ClassVar[str] = "bank.card.issued"
    topic: ClassVar[str] = topics.BANK
    batch_no: str
    member_id: str
    card_number_masked: str = Field(description="银行卡号, masked: 6222 **** **** 1234")
    issued_on: date
    version: int = Field(1, description="the version of the submitted batch this outcome answers")

    def key(self) -> str:
        return self.batch_no


class BankCardRejected(Event):
    ce_type: ClassVar[str] = "bank.card.rejected"
    topic: ClassVar[str] = topics.BANK
    batch_no: str
    member_id: str
    reason: str = Field(description="why the bank refused, shown to the clerk: 证件已过期, 身份信息核验不通过 …")
    version: int = Field(1, description="the version of the submitted batch this outcome answers")

    def key(self) -> str:
        return self.batch_no
