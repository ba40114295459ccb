"""Gateway tables (accounts, registrations, password resets, audit, the org projection) and their API shapes."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

import sqlalchemy as sa
from pydantic import ConfigDict, field_validator
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Column, Field, SQLModel

from runtime.tokens import Tier

T = TypeVar("T")
ACCOUNT_NAME = re.compile(r"[A-Za-z0-9_.@-]+")


def _enum(cls: type[StrEnum]) -> sa.Enum:
    return sa.Enum(cls, native_enum=False, length=20, values_callable=lambda e: [k.value for k in e])


def _moment(*, nullable: bool = True, index: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(sa.DateTime(timezone=True), nullable=nullable, index=index)


# --- accounts ----------------------------------------------------------------------------------


class AccountStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"
    PENDING = "pending"  # a self-registered enterprise waiting for review
    REJECTED = "rejected"  # its registration was refused; it may register again

    @property
    def label(self) -> str:
        return {"active": "正常", "disabled": "已停用", "pending": "待审核", "rejected": "未通过审核"}[self.value]


class AccountBase(SQLModel):
    account: str = Field(min_length=3, max_length=64, description="登录账号")
    name: str = Field(min_length=1, max_length=100, description="姓名或单位名称")
    tier: Tier
    org_id: int | None = Field(default=None, description="所属工会组织")


class Account(AccountBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(unique=True, max_length=64)
    tier: Tier = Field(sa_column=Column(_enum(Tier), nullable=False))
    org_id: int | None = Field(default=None, index=True)
    enterprise_id: int | None = Field(default=None, index=True)
    status: AccountStatus = Field(sa_column=Column(_enum(AccountStatus), nullable=False))
    password_hash: str = Field(max_length=200)
    must_change_password: bool = True
    failed_attempts: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=_moment())
    last_login_at: datetime | None = Field(default=None, sa_column=_moment())
    password_changed_at: datetime | None = Field(default=None, sa_column=_moment())
    created_by: int | None = None
    created_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), server_default=sa.func.now()))


class AccountCreate(AccountBase):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    @field_validator("account")
    @classmethod
    def _login_name(cls, value: str) -> str:
        if not ACCOUNT_NAME.fullmatch(value):
            raise ValueError("账号只能包含字母、数字和 _ . @ -")
        return value


class AccountPublic(SQLModel):
    id: int
    account: str
    name: str
    tier: Tier
    org_id: int | None
    org_name: str | None
    status: str = Field(description="active / locked / disabled / pending / rejected")
    last_login_at: datetime | None
    locked_until: datetime | None
    must_change_password: bool


class AccountCreated(AccountPublic):
    temporary_password: str


class TemporaryPassword(SQLModel):
    temporary_password: str


# --- login and the session user ------------------------------------------------------------------


class Credentials(SQLModel):
    account: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=128)
    captcha_id: str = Field(min_length=1, max_length=64)
    captcha_code: str = Field(min_length=1, max_length=16)


class PasswordChange(SQLModel):
    old_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=1, max_length=128)


class CaptchaPublic(SQLModel):
    captcha_id: str
    image: str = Field(description="data:image/png;base64,…")


class Me(SQLModel):
    account_id: int
    account: str
    name: str
    tier: Tier
    org_id: int | None
    org_name: str | None
    org_path: str
    must_change_password: bool
    menus: list[str]


# --- enterprise self-registration (企业注册) ---------------------------------------------------------


class RegistrationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class RegistrationBase(SQLModel):
    uscc: str = Field(max_length=18, description="统一社会信用代码")
    name: str = Field(min_length=2, max_length=100, description="单位名称")
    contact: str = Field(min_length=1, max_length=40, description="联系人")
    phone: str = Field(max_length=11, description="联系电话")


class Registration(RegistrationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uscc: str = Field(max_length=18, index=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    status: RegistrationStatus = Field(sa_column=Column(_enum(RegistrationStatus), nullable=False, index=True))
    enterprise_id: int | None = None
    reviewed_by: str | None = Field(default=None, max_length=64)
    reviewed_at: datetime | None = Field(default=None, sa_column=_moment())
    reason: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), nullable=False))


class RegistrationCreate(RegistrationBase):
    uscc: str = Field(min_length=1, max_length=32)
    phone: str = Field(min_length=1, max_length=20)
    password: str = Field(min_length=1, max_length=128)
    captcha_id: str = Field(min_length=1, max_length=64)
    captcha_code: str = Field(min_length=1, max_length=16)


class RegistrationCreated(SQLModel):
    id: int
    status: RegistrationStatus
    account: str = Field(description="the login account: the unit's USCC")


class RegistrationPublic(RegistrationBase):
    id: int
    account: str
    status: RegistrationStatus
    enterprise_id: int | None
    created_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    reason: str | None


class Rejection(SQLModel):
    reason: str = Field(min_length=1, max_length=200, description="不通过原因")


# --- password reset by application (未建会单位找回密码) -------------------------------------------


class PasswordResetStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class PasswordReset(SQLModel, table=True):
    """An enterprise's application to have its password reset: it has no upper union, so the platform
    admin checks it (calling the registered phone) and hands over a temporary password."""

    __tablename__ = "password_reset"
    __table_args__ = (
        # one open application per account (the use case checks first, under the account's row lock)
        sa.Index(
            "ux_password_reset_pending",
            "account_id",
            unique=True,
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    uscc: str = Field(max_length=18, index=True)
    name: str = Field(max_length=100, description="单位名称（申请时）")
    contact: str = Field(max_length=40)
    phone: str = Field(max_length=11)
    reason: str | None = Field(default=None, max_length=200, description="申请原因")
    status: PasswordResetStatus = Field(sa_column=Column(_enum(PasswordResetStatus), nullable=False, index=True))
    reviewed_by: str | None = Field(default=None, max_length=64)
    reviewed_at: datetime | None = Field(default=None, sa_column=_moment())
    rejection_reason: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), nullable=False))


class PasswordResetCreate(SQLModel):
    uscc: str = Field(min_length=1, max_length=32, description="统一社会信用代码（登录账号）")
    contact: str = Field(min_length=1, max_length=40, description="联系人（与企业注册时一致）")
    phone: str = Field(min_length=1, max_length=20, description="联系电话（与企业注册时一致）")
    reason: str | None = Field(default=None, max_length=200, description="申请原因")
    captcha_id: str = Field(min_length=1, max_length=64)
    captcha_code: str = Field(min_length=1, max_length=16)


class PasswordResetCreated(SQLModel):
    id: int
    status: PasswordResetStatus


class PasswordResetPublic(SQLModel):
    id: int
    account_id: int
    account: str
    uscc: str
    name: str
    contact: str
    phone: str
    reason: str | None
    status: PasswordResetStatus
    created_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    rejection_reason: str | None


class PasswordResetApproved(PasswordResetPublic):
    temporary_password: str = Field(description="shown this once; the unit must change it at its next login")


# --- audit (操作日志) -----------------------------------------------------------------------------


class AuditBase(SQLModel):
    account: str | None = Field(default=None, max_length=64)
    tier: str | None = Field(default=None, max_length=20)
    ip: str = Field(max_length=64)
    method: str = Field(max_length=10)
    route: str = Field(max_length=200)
    action: str = Field(max_length=80)
    outcome: str = Field(max_length=10, description="success / denied / failure")
    status: int


class AuditEntry(AuditBase, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=True))
    at: datetime = Field(sa_column=_moment(nullable=False, index=True))
    account_id: int | None = None
    account: str | None = Field(default=None, max_length=64, index=True)
    action: str = Field(max_length=80, index=True)
    action_label: str = Field(default="", max_length=80)
    target_ids: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(sa.String), nullable=False))


class AuditPublic(AuditBase):
    id: int
    at: datetime
    action_label: str
    target_ids: list[str]


# --- 退休住院计划 预派账号 (manual 003 一(一)) ----------------------------------------------------------


class PreIssueOutcome(StrEnum):
    """What became of a unit of the retiree plan that enrollment announced."""

    ISSUED = "issued"
    UNMATCHED = "unmatched"  # neither a union nor a registered enterprise holds its USCC: no account
    NAME_TAKEN = "name_taken"  # an account of that login existed already, not one issued here


class RetireeUnitAccount(SQLModel, table=True):
    """A unit of last year's retiree plan (参保编码 `code`) and the account `tuixiu<code>` issued to it."""

    __tablename__ = "retiree_unit_account"

    code: str = Field(primary_key=True, max_length=20, description="参保编码")
    unit_name: str = Field(max_length=200)
    uscc: str = Field(max_length=32, index=True)
    org_id: int | None = Field(default=None, description="the union its USCC matched")
    enterprise_id: int | None = Field(default=None, description="the registered enterprise its USCC matched")
    outcome: PreIssueOutcome = Field(sa_column=Column(_enum(PreIssueOutcome), nullable=False, index=True))
    account_id: int | None = Field(default=None, foreign_key="account.id", unique=True)
    created_at: datetime = Field(
        sa_column=Column(sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)
    )


class RetireeLoginStatus(StrEnum):
    NOT_LOGGED_IN = "not_logged_in"
    PENDING_CHANGE = "pending_change"  # signed in (or reset) and the temporary password still stands
    CHANGED = "changed"

    @property
    def label(self) -> str:
        return {"not_logged_in": "未登录", "pending_change": "待修改密码", "changed": "已修改密码"}[self.value]


class RetireeAccountPublic(SQLModel):
    account_id: int
    account: str = Field(description="登录账号 tuixiu+参保编码")
    code: str = Field(description="参保编码")
    unit_name: str
    uscc: str
    tier: Tier
    org_id: int | None
    org_name: str | None
    login_status: RetireeLoginStatus = Field(description="未登录 / 待修改密码 / 已修改密码")
    status: str = Field(description="the account's own status: active / locked / disabled")
    last_login_at: datetime | None
    password_changed_at: datetime | None
    issued_at: datetime


# --- the org tree as the gateway hears it from org.v1 --------------------------------------------


class OrgNode(SQLModel, table=True):
    """Just what scopes need: where an org hangs (path) and what to call it."""

    __tablename__ = "org_node"
    __table_args__ = (sa.Index("ix_org_node_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),)

    org_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    parent_id: int | None = None
    path: str = Field(max_length=400)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    union_code: str = Field(max_length=20)
    version: int
    deleted: bool = False  # a tombstone keeps older upserts from bringing it back


class EnterpriseNode(SQLModel, table=True):
    __tablename__ = "enterprise_node"

    enterprise_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str = Field(max_length=100)
    uscc: str = Field(max_length=18, index=True)
    district_id: int | None = None
    version: int


class Page(SQLModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int
