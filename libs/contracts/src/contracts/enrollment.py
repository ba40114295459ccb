"""Events of the enrollment service (topic enrollment.v1): batches that go to the insurer, and their end.

A district union's reviewed batch (参保批次, `CB…`) travels as `enrollment.batch.submitted`. A batch of
more than 1,000 member lines is sent as several events with the same `batch_no` and header (payer,
totals, split, dates, handler) and consecutive `chunk` numbers 0 … `chunks` − 1, each with at most
1,000 lines; the key is the batch number, so the chunks stay in order on one partition. A consumer
creates the payable from the header of whichever chunk comes first (idempotently by `batch_no`) and
collects the lines by (`batch_no`, `chunk`); the batch is whole when it holds `chunks` chunks and
`lines_total` lines.

The batch then ends once: `enrollment.batch.completed` when the payment was confirmed (cover active),
or `enrollment.batch.lapsed` when the pay-by date passed unpaid (every enrollment in it void).

The mutual-aid programme (互助保障项目2020) adds `enrollment.code.approved`: a unit's 参保编码 was granted.
The retiree hospitalisation plan (退休住院计划) adds `enrollment.retiree_unit.registered`: a unit of last
year's plan was loaded, for the gateway to pre-issue its account.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from . import topics
from .envelope import Event

MAX_LINES = 1000
PAYER_ACCOUNT = (
    "mutual-aid: the gateway account that owns the batch's 参保编码 (the unit's account); a payer without a "
    "union (未建会单位, payer_org_id 0) is known by it alone. None for the district unions' batches"
)


class EnrollmentType(StrEnum):
    COLLECTIVE = "集中参保"
    INSTANT = "即时参保"


class Channel(StrEnum):
    """参保通道: the service card (会员卡参保) or the Shanghai social-security card (社保卡参保)."""

    MEMBER_CARD = "会员卡参保"
    SS_CARD = "社保卡参保"
    UNIT_ROSTER = "单位清册"  # mutual-aid: a unit's 参保清册 (no card channel; persons_member_card holds them all)


class PremiumSplit(BaseModel):
    """An amount in fen and who pays it: city allocation + district and union levels + grassroots unit."""

    amount_fen: int = Field(ge=0, description="保障费用 (fen) = city_fen + district_fen + grassroots_fen")
    city_fen: int = Field(ge=0, description="市总统一划拨 (fen)")
    district_fen: int = Field(ge=0, description="区局/各级工会缴费 (fen)")
    grassroots_fen: int = Field(ge=0, description="基层单位缴费 (fen)")


class GuaranteeTotal(BaseModel):
    """Persons and amount of one guarantee type (保障类型) in the batch."""

    code: str = Field(description="A, A+, B, B+ …")
    name: str = Field(description="A类会员专享基本保障 …")
    premium_fen: int = Field(description="per person per year (fen)")
    persons: int
    amount_fen: int


class BatchLine(BaseModel):
    """One member enrolled by the batch."""

    member_id: str
    org_id: int = Field(description="the member's grassroots union that submitted them")
    name: str
    id_number_masked: str = Field(description="证件号码, masked: 310***********0012")
    channel: Channel
    guarantee_type: str = Field(description="the guarantee type's code")
    premium_fen: int


class EnrollmentBatchSubmitted(Event):
    """A district union submitted a reviewed batch to the insurer (提交至职保中心): billing makes the
    payable and the payment notice from it. One event per chunk of ≤ 1,000 lines (see the module)."""

    ce_type: ClassVar[str] = "enrollment.batch.submitted"
    topic: ClassVar[str] = topics.ENROLLMENT
    batch_no: str = Field(description="CB + YYYYMMDD + 4-digit sequence, e.g. CB202212260004")
    chunk: int = Field(0, ge=0)
    chunks: int = Field(1, ge=1)
    lines_total: int = Field(ge=1)
    payer_org_id: int = Field(
        description="the district union (区局（产业）工会) that pays the insurer; mutual-aid: the unit's union, "
        "0 for a unit without a union (未建会单位)"
    )
    payer_org_name: str = Field(description="the payer's name; mutual-aid: the unit's name (单位名称)")
    payer_account: str | None = Field(None, description=PAYER_ACCOUNT)
    programme: str = Field(description="programme code, e.g. member-basic")
    programme_name: str = Field(description="工会会员专享基本保障 …")
    year: int = Field(description="insurance year (保障年度)")
    enrollment_type: EnrollmentType
    guarantee_types: list[GuaranteeTotal]
    persons_member_card: int
    persons_ss_card: int
    split: PremiumSplit = Field(description="the whole batch's amount and its split")
    pay_by: date = Field(description="the payment must reach the insurer by this day (Asia/Shanghai)")
    coverage_start: date | None = Field(
        description="collective: the insurance year's start; instant: None — cover starts the day after "
        "the payment is confirmed, never backdated"
    )
    coverage_end: date
    handler_name: str = Field(description="经办人")
    handler_phone_masked: str = Field(description="经办人手机号, masked (the full number stays in enrollment)")
    handler_email: str
    submitted_at: datetime
    lines: list[BatchLine] = Field(max_length=MAX_LINES)
    withheld_fen: int = Field(
        0,
        ge=0,
        description="退休住院计划: withheld from pensions already (代扣行); the payer owes the rest",
    )
    withheld_persons: int = Field(0, ge=0, description="退休住院计划: people whose withholding succeeded")
    version: int = Field(1, description="the batch's version: 1 when submitted")

    def key(self) -> str:
        return self.batch_no


class EnrollmentBatchCompleted(Event):
    """The batch's payment was confirmed: its members' cover is active."""

    ce_type: ClassVar[str] = "enrollment.batch.completed"
    topic: ClassVar[str] = topics.ENROLLMENT
    batch_no: str
    payer_org_id: int
    persons: int
    paid_amount_fen: int
    coverage_start: date = Field(description="collective: the year's start; instant: the day after confirmation")
    coverage_end: date
    completed_at: datetime
    version: int

    def key(self) -> str:
        return self.batch_no


class EnrollmentBatchLapsed(Event):
    """The pay-by date passed unpaid: every enrollment of the batch is void (instant enrollment then)."""

    ce_type: ClassVar[str] = "enrollment.batch.lapsed"
    topic: ClassVar[str] = topics.ENROLLMENT
    batch_no: str
    payer_org_id: int
    payer_account: str | None = Field(None, description=PAYER_ACCOUNT)
    persons: int
    pay_by: date
    lapsed_at: datetime
    version: int

    def key(self) -> str:
        return self.batch_no


class EnrollmentCodeApproved(Event):
    """互助保障 参保编码申请 approved by the insurer (职保会): the unit's code exists from now on. The code
    belongs to the applying account (`owner_user_id`, the gateway's account id); batches of the mutual-aid
    programme carry it."""

    ce_type: ClassVar[str] = "enrollment.code.approved"
    topic: ClassVar[str] = topics.ENROLLMENT
    code: str = Field(description="参保编码, six characters")
    application_id: int
    unit_name: str = Field(description="单位名称")
    uscc: str | None = Field(None, description="统一社会信用代码, when the application gave one")
    committee: str = Field(description="工委名称")
    nature: str = Field(description="单位性质")
    headcount: int = Field(description="在职人数 as applied")
    owner_user_id: str = Field(description="the account the code belongs to")
    owner_tier: str = Field(description="grassroots (基层工会) or enterprise (未建会单位)")
    owner_org_id: int | None = Field(None, description="the grassroots union's org id; none for an enterprise")
    approved_by: str
    approved_at: datetime
    version: int = Field(1, description="1 when approved")

    def key(self) -> str:
        return self.code


class EnrollmentRetireeUnitRegistered(Event):
    """退休住院计划: a unit of last year's plan (参保编码 `code`) with a valid USCC was loaded. The gateway
    pre-issues the account `tuixiu<code>` (manual 003 一(一)) when the USCC matched a union (`org_id`) or
    a registered enterprise, and binds it to the unit (PUT /retiree/units/{code}/owner)."""

    ce_type: ClassVar[str] = "enrollment.retiree_unit.registered"
    topic: ClassVar[str] = topics.ENROLLMENT
    code: str = Field(description="参保编码")
    unit_name: str = Field(description="单位名称")
    uscc: str = Field(description="统一社会信用代码")
    org_id: int | None = Field(None, description="the union matched by USCC/name; None for a unit without a union")
    version: int = 1

    def key(self) -> str:
        return self.code
