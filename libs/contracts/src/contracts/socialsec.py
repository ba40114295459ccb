"""Social-security checks (topic socialsec.v1): cards and enrollment ask, the social-security adapter answers.

A request names its subjects by the requester's own id (a pending row, a roster line) and carries the
ID number sealed for the outside systems; the report answers per subject. Requests may be answered
more than once (a real connector retries): requesters apply a report idempotently by
(request_id, subject_id).
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from . import topics
from .envelope import Event

MAX_SUBJECTS = 1000


class CheckKind(StrEnum):
    RETIREMENT = "retirement"  # 退休状态 and retirement month
    NAME = "name"  # 姓名 on record
    SS_CARD = "ss_card"  # holds a Shanghai social-security card
    EMPLOYMENT = "employment"  # 就业单位
    MEDICAL = "medical"  # 医保 insured
    WITHHOLDABLE = "withholdable"  # pension can be withheld (退休住院计划)
    DECEASED = "deceased"


class CheckSubject(BaseModel):
    subject_id: str = Field(description="the requester's id for this person (pending row, roster line)")
    name: str
    id_type: str = "身份证"
    id_sealed: str = Field(description="证件号码 sealed under the partner key (runtime.pii.PartnerSeal)")


class SocialsecCheckRequested(Event):
    ce_type: ClassVar[str] = "socialsec.check.requested"
    topic: ClassVar[str] = topics.SOCIALSEC
    request_id: str
    requester: str = Field(description="service that asked: cards | enrollment")
    checks: list[CheckKind]
    subjects: list[CheckSubject] = Field(max_length=MAX_SUBJECTS)
    version: int = Field(1, description="1, +1 each time the requester sends the same request again")

    def key(self) -> str:
        return self.request_id


class CheckResult(BaseModel):
    subject_id: str
    found: bool = Field(description="the person is on the social-security register")
    name_on_record: str = ""
    name_matches: bool = True
    retired: bool = False
    retirement_month: str | None = Field(None, description="YYYY-MM")
    employment_unit: str = ""
    unit_code: str = Field("", description="单位社保编码 of the person's (last) employer on the register")
    unit_uscc: str = Field("", description="统一社会信用代码 of that employer, when the register has it")
    ss_card_held: bool = False
    medical_insured: bool = False
    withholdable: bool = False
    deceased: bool = False
    failure: str = Field("", description="why the register could not answer for this person (temporary)")


class SocialsecCheckReported(Event):
    """Results for (part of) one request; a request of n subjects may be answered in several reports."""

    ce_type: ClassVar[str] = "socialsec.check.reported"
    topic: ClassVar[str] = topics.SOCIALSEC
    request_id: str
    requester: str
    results: list[CheckResult] = Field(max_length=MAX_SUBJECTS)
    version: int = Field(1, description="the version of the request answered")

    def key(self) -> str:
        return self.request_id
