"""退休住院计划 pension withholding (委托代扣): enrollment asks the bank, the bank reports per person.

enrollment publishes `retiree.withholding.requested` (topic enrollment.v1) once the insurer approved a
batch whose payment mode is withholding; the bank deducts on the pension day and answers with
`bank.withholding.reported` (topic bank.v1), possibly in several reports and more than once: enrollment
applies outcomes idempotently by (request_no, subject_id).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, Field

from . import topics
from .envelope import Event

MAX_PEOPLE = 1000


class WithholdingPerson(BaseModel):
    subject_id: str = Field(description="enrollment's roster line id")
    name: str = Field(description="社保姓名")
    id_type: str = "身份证"
    id_sealed: str = Field(description="证件号码 sealed under the partner key (runtime.pii.PartnerSeal)")


class RetireeWithholdingRequested(Event):
    """代扣申请: deduct `amount_fen` from each person's pension on `pension_day`. One event per chunk of
    ≤ 1,000 people (`chunk` of `chunks`)."""

    ce_type: ClassVar[str] = "retiree.withholding.requested"
    topic: ClassVar[str] = topics.ENROLLMENT
    request_no: str = Field(description="the withholding request, e.g. DK202506040001")
    batch_no: str = Field(description="the retiree-plan batch it pays for")
    code: str = Field(description="参保编码 of the unit")
    unit_name: str
    amount_fen: int = Field(gt=0, le=45000, description="委托代扣金额 per person, the same for everyone")
    pension_day: date = Field(description="养老金发放日: the bank deducts on this day")
    chunk: int = Field(0, ge=0)
    chunks: int = Field(1, ge=1)
    people_total: int = Field(ge=1)
    people: list[WithholdingPerson] = Field(max_length=MAX_PEOPLE)
    requested_at: datetime
    version: int = Field(1, description="1, +1 when the same request is sent again")

    def key(self) -> str:
        return self.request_no


class WithholdingOutcome(BaseModel):
    subject_id: str
    success: bool
    amount_fen: int = Field(ge=0, description="deducted; 0 on failure")
    reason: str = Field("", description="why it failed, shown to the clerk: 余额不足, 账户已冻结, 养老金停发 …")


class BankWithholdingReported(Event):
    """Per-person outcomes of (part of) one withholding request."""

    ce_type: ClassVar[str] = "bank.withholding.reported"
    topic: ClassVar[str] = topics.BANK
    request_no: str
    batch_no: str
    deducted_on: date
    outcomes: list[WithholdingOutcome] = Field(max_length=MAX_PEOPLE)
    version: int = Field(1, description="the version of the request answered")

    def key(self) -> str:
        return self.request_no
