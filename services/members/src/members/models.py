"""Members tables and their API shapes (Base / Create / Update / Public).

ID numbers and phones are stored three ways: sealed (AES-GCM, `runtime.pii`), as a blind index for
exact lookups and upserts, and masked for lists and exports — so a list never needs the key. ID
numbers also a fourth: sealed under the partner key, for the events.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Generic, TypeVar

import sqlalchemy as sa
from pydantic import ConfigDict
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import registry
from sqlmodel import Column, Field, SQLModel

from contracts.members import MemberCategory

from .domain.ids import time_ordered_id

T = TypeVar("T")


def _timestamp(nullable: bool = False) -> Column[datetime]:
    return Column(sa.DateTime(timezone=True), nullable=nullable, server_default=None if nullable else sa.func.now())


def _category() -> Column[MemberCategory]:
    kind = sa.Enum(MemberCategory, native_enum=False, length=10, values_callable=lambda e: [k.value for k in e])
    return Column(kind, nullable=False)


# --- members ------------------------------------------------------------------------------------------


# The members tables keep their own metadata (runtime.tables): cards, enrollment and billing also
# project the org tree into `org_ref`.
MEMBERS = registry()


class MembersTable(SQLModel, registry=MEMBERS):
    """Base of every members table."""


class MemberBase(MembersTable):
    name: str = Field(min_length=1, max_length=50, description="姓名")
    id_type: str = Field(max_length=20, description="证件类型")
    gender: str = Field(max_length=1, description="性别")
    birth_date: date | None = Field(default=None, description="出生日期 (from the ID; entered for other documents)")
    work_unit: str = Field(default="", max_length=100, description="工作单位/服务平台")
    work_address: str = Field(default="", max_length=200, description="工作单位地址")
    tags: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(sa.Text), nullable=False, server_default="{}"))
    source: str = Field(default="批量导入", max_length=20, description="会员来源")
    e_card_activated: bool = Field(default=False, description="是否激活电子会员证")
    enterprise_name: str | None = Field(default=None, max_length=100, description="关联企业")
    enterprise_uscc: str | None = Field(default=None, max_length=18)


class Member(MemberBase, table=True):
    __tablename__ = "member"
    __table_args__ = (
        # one active membership per person; deleted rows stay as history beside a later one
        sa.Index("ux_member_person_active", "id_number_bi", unique=True, postgresql_where=sa.text("status = '正常'")),
        # numbers come after joining: new rows (NULL) stay out of the index
        sa.Index("ux_member_no", "member_no", unique=True, postgresql_where=sa.text("member_no IS NOT NULL")),
        sa.Index("ix_member_phone_bi", "phone_bi"),
        sa.Index("ix_member_org_status", "org_id", "status"),
        sa.Index("ix_member_name_prefix", "name", postgresql_ops={"name": "text_pattern_ops"}),
    )

    # time-ordered (UUIDv7): newest first is an index scan of the primary key, and inserts stay local
    id: uuid.UUID = Field(default_factory=time_ordered_id, primary_key=True)
    category: MemberCategory = Field(sa_column=_category())
    id_number_enc: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    id_number_bi: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    id_number_masked: str = Field(max_length=30)
    phone_enc: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    phone_bi: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    phone_masked: str = Field(max_length=20)
    # The ID number sealed for the outside systems (runtime.pii.PartnerSeal), as every snapshot carries
    # it; kept so that events built in SQL can include it. NULL only for rows from before it existed.
    id_sealed: str | None = Field(default=None, sa_column=Column(sa.Text, nullable=True))
    org_id: int
    member_no: str | None = Field(default=None, max_length=20)
    status: str = Field(default="正常", max_length=10)
    joined_on: date
    import_id: str | None = Field(default=None, max_length=40)
    deleted_reason: str | None = Field(default=None, max_length=10)
    deleted_by: str | None = Field(default=None, max_length=64)
    deleted_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    version: int = 1
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
    updated_at: datetime | None = Field(default=None, sa_column=_timestamp())


class MemberCreate(MemberBase):
    """One member added by hand or by the gateway's scan-to-join (扫码入会)."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    id_number: str = Field(min_length=1, max_length=30, description="证件号码")
    phone: str = Field(max_length=20, description="手机号码")
    org_id: int
    category: MemberCategory
    tags: list[str] = Field(default_factory=list, max_length=5)


class MemberUpdate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: str | None = Field(default=None, min_length=1, max_length=50)
    phone: str | None = None
    birth_date: date | None = None
    gender: str | None = None
    work_unit: str | None = Field(default=None, max_length=100)
    work_address: str | None = Field(default=None, max_length=200)
    tags: list[str] | None = Field(default=None, max_length=5)
    e_card_activated: bool | None = None


class MemberPublic(SQLModel):
    id: uuid.UUID
    name: str
    id_type: str
    id_number: str = Field(description="masked: 310***********0012")
    phone: str = Field(description="masked: 139*****0000")
    gender: str
    birth_date: date | None
    org_id: int
    union_name: str = Field(description="所在工会")
    union_code: str = Field(description="工会编号")
    work_unit: str
    work_address: str
    tags: list[str]
    source: str
    e_card_activated: bool
    category: MemberCategory
    enterprise_name: str | None
    enterprise_uscc: str | None
    member_no: str | None
    status: str
    joined_on: date
    deleted_reason: str | None
    deleted_by: str | None
    deleted_at: datetime | None
    version: int


# --- the org tree, as org.v1 tells it -----------------------------------------------------------------


class OrgRef(MembersTable, table=True):
    """Projection of org.v1: enough to scope rows, resolve union codes and find 临时工会."""

    __tablename__ = "org_ref"
    __table_args__ = (sa.Index("ix_org_ref_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),)

    org_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    parent_id: int | None = None
    path: str = Field(max_length=400)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    union_code: str = Field(max_length=20, index=True)
    district_id: int | None = Field(default=None, index=True)
    deleted: bool = False
    version: int


class OrgChoice(SQLModel):
    org_id: int
    name: str
    union_code: str
    kind: str
    district_id: int | None


class Page(SQLModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int


# --- background jobs: 批量导入 and 会员比对 ---------------------------------------------------------------


class UploadedFile(MembersTable, table=True):
    """An upload kept until its job has finished, so that a restarted process can run the job again."""

    __tablename__ = "uploaded_file"

    job_id: str = Field(primary_key=True, max_length=40)
    content: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))


class JobOwner(MembersTable):
    """Who started a job, kept with it: the scope rules apply to them whenever the job runs."""

    file_name: str = Field(max_length=200)
    uploader_id: str = Field(max_length=64, description="操作账号")
    uploader_tier: str = Field(max_length=20)
    uploader_org_id: int | None = None
    uploader_org_path: str = Field(default="", max_length=400)


class ImportJob(JobOwner, table=True):
    __tablename__ = "import_job"

    id: str = Field(primary_key=True, max_length=40)
    state: str = Field(max_length=10, index=True)
    category: MemberCategory = Field(sa_column=_category())
    enterprise_name: str | None = Field(default=None, max_length=100)
    enterprise_uscc: str | None = Field(default=None, max_length=18)
    file_size: int = 0
    rows_total: int = 0
    rows_read: int = 0
    rows_validated: int = 0
    rows_stored: int = 0
    rows_created: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    error_code: str | None = Field(default=None, max_length=60)
    error_message: str | None = Field(default=None, max_length=500)
    attempts: int = 0
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
    started_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    # The W3C trace context of the request that asked for the job (upload, retry): every run of
    # the job, also one picked up again after a restart, continues that trace.
    traceparent: str | None = Field(default=None, max_length=100)


class ImportJobPublic(SQLModel):
    id: str
    state: str
    category: MemberCategory
    enterprise_name: str | None
    file_name: str
    file_size: int
    uploader_id: str
    rows_total: int
    rows_read: int
    rows_validated: int
    rows_stored: int
    rows_created: int
    rows_updated: int
    rows_unchanged: int
    rows_rejected: int
    error_code: str | None
    error_message: str | None
    attempts: int = Field(description="how many times the job ran (a restart runs it again)")
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


class ImportRejection(MembersTable, table=True):
    """One reason a row was not imported (a row may have several)."""

    __tablename__ = "import_rejection"

    id: int | None = Field(default=None, sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=True))
    import_id: str = Field(max_length=40, index=True)
    row_no: int
    column_name: str = Field(max_length=20, description="the column as the template names it")
    code: str = Field(max_length=60)
    reason: str = Field(max_length=300)
    name: str = Field(default="", max_length=50)
    id_number_masked: str = Field(default="", max_length=30)


class RejectionPublic(SQLModel):
    row_no: int
    column: str
    code: str
    reason: str
    name: str
    id_number_masked: str


class RosterCompare(JobOwner, table=True):
    __tablename__ = "roster_compare"

    id: str = Field(primary_key=True, max_length=40)
    state: str = Field(max_length=10, index=True)
    rows_total: int = 0
    missing_from_file: int = 0
    missing_from_platform: int = 0
    error_code: str | None = Field(default=None, max_length=60)
    error_message: str | None = Field(default=None, max_length=500)
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
    finished_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class ComparePublic(SQLModel):
    id: str
    state: str
    file_name: str
    uploader_id: str
    rows_total: int
    missing_from_file: int = Field(description="在平台但不在上传名单中的会员数（查看处理详情）")
    missing_from_platform: int = Field(description="在上传名单但不在平台中的人数（下载比对结果）")
    error_code: str | None
    error_message: str | None
    created_at: datetime | None
    finished_at: datetime | None


class CompareMissing(MembersTable, table=True):
    """A member in the platform but not in the uploaded roster, and what the clerk decided."""

    __tablename__ = "compare_missing"

    compare_id: str = Field(primary_key=True, max_length=40)
    member_id: uuid.UUID = Field(primary_key=True)
    handling: str | None = Field(default=None, max_length=10)
    handled_by: str | None = Field(default=None, max_length=64)
    handled_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class CompareMissingPublic(SQLModel):
    member_id: uuid.UUID
    name: str
    id_type: str
    id_number: str
    phone: str
    union_name: str
    status: str
    handling: str | None
    handled_by: str | None
    handled_at: datetime | None


class HandlingRequest(SQLModel):
    action: str = Field(description="转出 / 退休 / 死亡 / 犯罪 / 保留")
    target_org_id: int | None = Field(default=None, description="转出: the receiving org (default: 临时工会)")
    reason: str | None = Field(default=None, description="转出: the transfer reason")


class CompareExtra(MembersTable, table=True):
    """A person in the uploaded roster but not in the platform: kept sealed until downloaded for import."""

    __tablename__ = "compare_extra"

    compare_id: str = Field(primary_key=True, max_length=40)
    row_no: int = Field(primary_key=True)
    cells: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False), description="the row, sealed")


# --- 会员转移 and 会籍审核管理 ---------------------------------------------------------------------------


class TransferRequest(MembersTable, table=True):
    __tablename__ = "transfer_request"
    __table_args__ = (
        # a member waits for at most one review at a time
        sa.Index("ux_transfer_pending", "member_id", unique=True, postgresql_where=sa.text("state = '待审核'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: str = Field(max_length=40, index=True)
    member_id: uuid.UUID = Field(index=True)
    from_org_id: int = Field(index=True)
    to_org_id: int = Field(index=True)
    reason: str = Field(max_length=200)
    state: str = Field(max_length=10, index=True)
    requested_by: str = Field(max_length=64)
    requested_at: datetime | None = Field(default=None, sa_column=_timestamp())
    reviewed_by: str | None = Field(default=None, max_length=64)
    reviewed_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    review_note: str | None = Field(default=None, max_length=200)


class TransferCreate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    member_ids: list[str] = Field(min_length=1, max_length=500)
    target_district_id: int | None = Field(default=None, description="转入工会组织的区/产业局")
    target_org_id: int | None = Field(default=None, description="转入的工会组织; default: the district's 临时工会")
    reason: str = Field(max_length=200, description="转移原因")


class TransferReview(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    note: str | None = Field(default=None, max_length=200, description="审核意见; required to reject")


class TransferPublic(SQLModel):
    id: int
    batch_id: str
    member_id: uuid.UUID
    member_name: str
    id_number: str = Field(description="masked")
    from_org_id: int
    from_org_name: str
    to_org_id: int
    to_org_name: str
    reason: str
    state: str
    requested_by: str
    requested_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str | None
