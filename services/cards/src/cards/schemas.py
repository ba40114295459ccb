"""What the routes take and give. ID numbers, card numbers and phones are masked in every one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from contracts.cards import CardChannel

T = TypeVar("T")


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int


# --- 卡片信息管理 --------------------------------------------------------------------------------------


class CardInfo(BaseModel):
    member_id: str
    member_no: str | None
    name: str
    id_type: str
    id_number: str = Field(description="masked: 310***********0012")
    gender: str
    org_id: int | None
    union_name: str
    work_unit: str
    work_address: str
    status: str = Field(description="未办卡 / 待办中 / 已办卡")
    card_number: str | None = Field(description="masked bank card number")
    applied_at: datetime | None = Field(description="申办时间")
    channel: str | None = Field(description="申请通道: 普通 / 特殊 / 个人")
    batch_no: str | None
    issued_on: date | None
    note: str | None = Field(description="why back to 未办卡: the bank's reason, 批次已撤销 …")
    addable: bool = Field(description="may be added to the pending list (the checkbox)")
    not_addable_reason: str | None


class MemberCardHistory(BaseModel):
    batch_no: str
    channel: str
    submitted_at: datetime
    outcome: str
    card_number: str | None
    reason: str | None


class CardDetail(CardInfo):
    history: list[MemberCardHistory]


class AddToPending(Request):
    member_ids: list[str] = Field(min_length=1, max_length=5000)


class AddAllToPending(Request):
    org_id: int | None = Field(None, description="only this org's subtree (default: the caller's whole scope)")


class Added(BaseModel):
    added: int


# --- 待办会员列表 ----------------------------------------------------------------------------------------


class PendingRow(BaseModel):
    id: int
    member_id: str
    member_no: str | None
    name: str
    id_type: str
    id_number: str = Field(description="masked")
    org_id: int | None
    union_name: str
    channel: str
    added_at: datetime | None = Field(description="加入待办时间")
    added_by: str
    id_expiry: date | None = Field(description="证件到期日")
    id_long_term: bool = Field(description="证件长期有效")
    nationality: str
    check_state: str = Field(description="信息校验结果: 未校验 / 校验中 / 已通过 / 未通过")
    check_reason: str
    checked_at: datetime | None
    info_complete: bool = Field(description="信息完善状态 (特殊通道)")
    ready: bool = Field(description="may be submitted as it is")


class ChannelProgress(BaseModel):
    total: int
    unchecked: int
    checking: int
    passed: int
    failed: int
    complete: int
    incomplete: int
    ready: bool = Field(description="every row ready and at most one batch's worth: 提交办卡 may be pressed")


class CheckRequest(Request):
    ids: list[int] = Field(min_length=1, max_length=5000)


class CheckSent(BaseModel):
    request_ids: list[str]
    rows: int


class ExpiryChange(Request):
    expiry: date | None = None
    long_term: bool = False


class ChannelChange(Request):
    channel: CardChannel


class InfoCompletion(Request):
    id_type: str
    expiry: date | None = None
    long_term: bool = False
    nationality: str = "中国"


class RemoveUnready(Request):
    channel: CardChannel


class Removed(BaseModel):
    removed: int


# --- 办卡批次管理 ----------------------------------------------------------------------------------------


class BatchSubmit(Request):
    channel: CardChannel
    branch: str = Field(max_length=100, description="发卡支行")
    outlet: str = Field(max_length=100, description="经办网点")
    outlet_address: str = Field(max_length=200, description="网点地址")
    contact: str = Field(max_length=50, description="联系人")
    contact_phone: str = Field(max_length=20, description="联系方式")


class BatchSummary(BaseModel):
    batch_no: str
    org_id: int
    union_name: str
    channel: str
    total: int = Field(description="办理总人数")
    issued_count: int = Field(description="办理成功人数")
    rejected_count: int
    waiting_count: int
    state: str = Field(description="办理中 / 已完成 / 已撤销")
    submitted_at: datetime
    submitted_by: str
    feedback_at: datetime | None = Field(description="银行反馈时间 (the latest answer)")
    branch: str
    outlet: str
    outlet_address: str
    contact: str
    contact_phone: str = Field(description="masked")
    revocation_state: str | None = Field(description="批次撤销情况: 审核中 / 审核通过 / 审核不通过, None: never asked")
    revocable: bool
    version: int


class BatchCardRow(BaseModel):
    member_id: str
    member_no: str | None
    name: str
    id_type: str
    id_number: str = Field(description="masked")
    work_unit: str
    id_expiry: date | None
    id_long_term: bool
    nationality: str
    outcome: str = Field(description="待反馈 / 已办卡 / 办卡失败 / 已撤销")
    card_number: str | None
    reason: str | None
    answered_at: datetime | None


class Revocation(BaseModel):
    id: int
    batch_no: str
    org_id: int
    union_name: str
    channel: str
    batch_total: int
    applicant_name: str
    applicant_phone: str = Field(description="masked")
    state: str
    requested_by: str
    requested_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_reason: str | None


class BatchDetail(BatchSummary):
    cards: list[BatchCardRow]
    revocations: list[Revocation]


class RevocationRequest(Request):
    applicant_name: str = Field(max_length=50)
    applicant_phone: str = Field(max_length=20)


class RevocationRejection(Request):
    reason: str = Field(max_length=200)


# --- 个人办卡 ---------------------------------------------------------------------------------------------


class PersonalApplicationIn(Request):
    name: str = Field(max_length=50)
    id_type: str = Field("身份证", max_length=20)
    id_number: str = Field(max_length=30)
    phone: str = Field(max_length=20)
    category: str = Field(description="灵活就业类 / 企业外入会类")
    work_unit: str = Field(max_length=100, description="工作单位/服务平台")
    work_address: str = Field(max_length=200, description="工作单位地址, ≥ 6 字")
    id_expiry: date | None = None
    id_long_term: bool = False
    nationality: str = Field("中国", max_length=30)
    gender: str | None = Field(None, description="男 / 女: required for documents other than 身份证")
    birth_date: date | None = Field(None, description="required for documents other than 身份证")


class PersonalApplication(BaseModel):
    id: str
    name: str
    id_type: str
    id_number: str = Field(description="masked")
    phone: str = Field(description="masked")
    category: str
    work_unit: str
    work_address: str
    applied_at: datetime | None
    status: str = Field(description="未办卡 / 待办中 / 已办卡 (卡片信息管理's status)")
    stage: str = Field(
        description="待校验 / 校验中 / 校验未通过 / 已通过待提交 / 银行办理中 / 已办卡 / 办卡失败 / 已撤销 / 已移除"
    )
    reason: str | None
    batch_no: str | None
    card_number: str | None = Field(description="masked")
