"""Events of the cards service (topic cards.v1): eligibility, card batches for the bank, issued cards."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from . import topics
from .envelope import Event

MAX_BATCH = 1000  # cards per batch: one batch travels as one message


class CardChannel(StrEnum):
    NORMAL = "普通"
    SPECIAL = "特殊"  # 生僻字 or non-ID documents
    PERSONAL = "个人"  # 个人办卡 through 申工社


class EligibilityChange(BaseModel):
    member_id: str
    org_id: int
    eligible: bool
    reason: str = Field("", description="why not: 无会员编号, 工作单位地址不足6个字, 已删除 …")
    version: int = Field(description="the member's version (from members.v1) this decision reflects")


class CardsEligibilityChanged(Event):
    """Members who became (in)eligible for a card, as one chunk per incoming members event."""

    ce_type: ClassVar[str] = "cards.eligibility.changed"
    topic: ClassVar[str] = topics.CARDS
    source_key: str = Field(description="the members event's aggregate key (import id or member id)")
    changes: list[EligibilityChange] = Field(max_length=1000)

    def key(self) -> str:
        return self.source_key


class CardRequest(BaseModel):
    """One card the bank is asked to issue."""

    member_id: str
    name: str
    id_type: str = "身份证"
    id_sealed: str = Field(description="证件号码 sealed under the partner key (runtime.pii.PartnerSeal)")
    id_expiry: date | None = Field(None, description="证件到期日; None with long_term")
    id_long_term: bool = False
    nationality: str = "中国"
    gender: str = ""
    birth_date: date | None = None
    work_unit: str = ""
    work_address: str = ""


class CardBatchSubmitted(Event):
    ce_type: ClassVar[str] = "cards.batch.submitted"
    topic: ClassVar[str] = topics.CARDS
    batch_no: str = Field(description="cb-YYYYMMDDhhmm… unique, human-readable")
    org_id: int
    channel: CardChannel
    branch: str = Field(description="发卡支行")
    outlet: str = Field(description="经办网点")
    outlet_address: str
    contact: str
    contact_phone: str
    submitted_at: datetime
    cards: list[CardRequest] = Field(min_length=1, max_length=MAX_BATCH)
    version: int = Field(description="the batch's version: 1 when submitted, +1 per later change")

    def key(self) -> str:
        return self.batch_no


class CardBatchRevoked(Event):
    """An approved revocation: the bank must not issue the batch's remaining cards."""

    ce_type: ClassVar[str] = "cards.batch.revoked"
    topic: ClassVar[str] = topics.CARDS
    batch_no: str
    org_id: int
    member_ids: list[str]
    version: int = Field(description="the batch's version after the revocation")

    def key(self) -> str:
        return self.batch_no


class CardIssued(Event):
    """A member now holds a service card (enrollment's member-card channel)."""

    ce_type: ClassVar[str] = "cards.card.issued"
    topic: ClassVar[str] = topics.CARDS
    member_id: str
    org_id: int
    batch_no: str
    channel: CardChannel
    card_number_masked: str
    issued_on: date
    version: int = Field(description="the member's card version: +1 per card change")

    def key(self) -> str:
        return self.member_id
