"""互助保障 参保编码: the application form, its review, the code with its units and handler, unit name
changes, SMS codes and attachments. Lists mask phones; one application or handler read in full gives
them whole (the unit edits its own, the insurer calls the contact)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ..domain.mutual_aid.codes import MAX_ATTACHMENTS, Plan
from ..domain.mutual_aid.sms import Purpose
from .common import Strict

AttachmentIds = list[str]


class SmsIn(Strict):
    phone: str = Field(max_length=20)
    purpose: Purpose


class SmsOut(BaseModel):
    phone: str  # masked
    expires_at: datetime
    resend_after_seconds: int
    code: str | None = None  # only with ENROLLMENT_SMS_SHOW_CODE (development)


class AttachmentOut(BaseModel):
    id: str
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime
    url: str


class ApplicationIn(Strict):
    """申请参保编码 ("*" required; the service says which one is missing). `plan` 退休住院计划 (retiree): the
    manual 003 form — 经办人 as contact/contact_phone/email, 所属区局工会 as committee, 经济类型 as nature,
    USCC required, no headcount or leader_phone. None: mutual_aid when applying, unchanged when resubmitting."""

    plan: Plan | None = None
    unit_name: str = Field("", max_length=100)
    committee: str = Field("", max_length=50)
    uscc: str | None = Field(None, max_length=30)
    nature: str = Field("", max_length=20)
    contact: str = Field("", max_length=30)
    contact_phone: str = Field("", max_length=20)
    email: str = Field("", max_length=100)
    address: str = Field("", max_length=200)
    postcode: str = Field("", max_length=10)
    headcount: int = 0
    leader: str | None = Field(None, max_length=30)
    leader_phone: str | None = Field(None, max_length=20)
    unit_phone: str | None = Field(None, max_length=20)
    sms_code: str = Field("", max_length=10)
    attachment_ids: AttachmentIds = Field(default_factory=list, max_length=MAX_ATTACHMENTS + 1)


class HistoryOut(BaseModel):
    action: str
    actor: str
    at: datetime
    note: str | None


class ApplicationOut(BaseModel):
    id: int
    plan: Plan  # 参保项目: mutual_aid 互助保障 / retiree 退休住院计划
    unit_name: str
    committee: str
    uscc: str | None
    nature: str
    contact: str
    contact_phone: str  # masked in lists
    email: str
    address: str
    postcode: str
    headcount: int
    leader: str | None
    leader_phone: str | None
    unit_phone: str | None
    status: str  # 申请中 / 审核通过 / 审核不通过
    code: str | None
    owner_tier: str
    submitted_by: str
    submitted_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    reject_reason: str | None
    updated_at: datetime


class ApplicationDetail(ApplicationOut):
    attachments: list[AttachmentOut]
    history: list[HistoryOut]


class ReviewIn(Strict):
    reason: str | None = Field(None, max_length=500)


class UnitIn(Strict):
    unit_name: str = Field("", max_length=100)
    uscc: str | None = Field(None, max_length=30)


class UnitOut(BaseModel):
    id: int
    unit_name: str
    uscc: str | None
    main: bool
    added_by: str
    added_at: datetime


class CodeOut(BaseModel):
    code: str
    unit_name: str
    owner_tier: str
    application_id: int
    contact: str
    contact_phone: str  # masked
    approved_by: str
    approved_at: datetime
    handler_complete: bool  # 经办人填报 saved: the unit may go on
    units: list[UnitOut]
    pending_name_change: int | None  # id of the 单位名称变更 awaiting review


class HandlerIn(Strict):
    """经办人填报."""

    handler_name: str = Field("", max_length=30)
    handler_phone: str = Field("", max_length=20)
    handler_email: str = Field("", max_length=100)
    uscc: str = Field("", max_length=30)
    economic_type: str = Field("", max_length=30)
    union_first: str | None = Field(None, max_length=100)
    union_second: str | None = Field(None, max_length=100)
    address: str = Field("", max_length=200)
    industry: str = Field("", max_length=50)
    headcount: int = 0
    sms_code: str = Field("", max_length=10)


class HandlerOut(BaseModel):
    """The saved handler, or (`complete` false) the form prefilled from the application."""

    code: str
    unit_name: str
    complete: bool
    union_names_required: bool
    handler_name: str | None
    handler_phone: str | None
    handler_email: str | None
    uscc: str | None
    economic_type: str | None
    union_first: str | None
    union_second: str | None
    address: str | None
    industry: str | None
    headcount: int | None
    saved_by: str | None
    saved_at: datetime | None


class NameChangeIn(Strict):
    new_name: str = Field("", max_length=100)
    note: str | None = Field(None, max_length=200)
    attachment_ids: AttachmentIds = Field(default_factory=list, max_length=MAX_ATTACHMENTS + 1)


class NameChangeOut(BaseModel):
    id: int
    code: str
    old_name: str
    new_name: str
    note: str | None
    status: str
    applied_by: str
    applied_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    reject_reason: str | None
    attachments: list[AttachmentOut]
