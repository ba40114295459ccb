"""参保编码 as units and the insurer see them: applications (the unit's own list, the insurer's review
queue with filters, paging and export), codes with their units and handler, the handler form, name
changes. A unit sees what its account applied for; the insurer (and the platform) everything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import SHANGHAI
from runtime.errors import NotFound
from runtime.pii import PiiCipher
from runtime.spreadsheet import workbook_bytes
from runtime.tokens import Principal

from ..domain.mutual_aid.codes import PLAN_LABELS, Plan
from ..models import CodeApplication, CodeHandler, CodeHistory, CodeUnit, EnrollmentCode, NameChange
from ..schemas.codes import (
    ApplicationDetail,
    ApplicationOut,
    CodeOut,
    HandlerOut,
    HistoryOut,
    NameChangeOut,
    UnitOut,
)
from . import attachments
from .attachments import REVIEWERS
from .codes import CONTACT_PHONE, HANDLER_PHONE, LEADER_PHONE, application_subject, code_of, union_names_required
from .name_changes import subject as change_subject

EXPORT_LIMIT = 10_000


def _local(at: datetime | None) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if at else ""


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# --- applications -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationFilter:
    unit_name: str | None = None
    status: str | None = None
    committee: str | None = None
    code: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    plan: str | None = None  # 参保项目


def _application_where(caller: Principal, f: ApplicationFilter) -> list[Any]:
    where: list[Any] = []
    if caller.tier not in REVIEWERS:
        where.append(CodeApplication.owner_user_id == caller.user_id)
    if f.unit_name:
        where.append(col(CodeApplication.unit_name).ilike(_like(f.unit_name.strip())))
    if f.status:
        where.append(CodeApplication.status == f.status)
    if f.committee:
        where.append(col(CodeApplication.committee).ilike(_like(f.committee.strip())))
    if f.code:
        where.append(CodeApplication.code == f.code.strip().upper())
    if f.submitted_from:
        where.append(col(CodeApplication.submitted_at) >= f.submitted_from)
    if f.submitted_to:
        where.append(col(CodeApplication.submitted_at) < f.submitted_to)
    if f.plan:
        where.append(CodeApplication.plan == f.plan)
    return where


def _contact_phone(row: CodeApplication, cipher: PiiCipher | None) -> str:
    return cipher.decrypt(row.contact_phone_enc, field=CONTACT_PHONE) if cipher else row.contact_phone_masked


def application_out(row: CodeApplication, cipher: PiiCipher | None = None) -> ApplicationOut:
    """`cipher` given: phones whole (one application read by its unit or the insurer); else masked."""
    leader_phone = None
    if cipher is not None and row.leader_phone_enc:
        leader_phone = cipher.decrypt(row.leader_phone_enc, field=LEADER_PHONE)
    elif row.leader_phone_enc:
        leader_phone = "***********"
    assert row.id is not None
    return ApplicationOut(
        id=row.id, plan=Plan(row.plan), unit_name=row.unit_name, committee=row.committee, uscc=row.uscc,
        nature=row.nature, contact=row.contact, contact_phone=_contact_phone(row, cipher),
        email=row.email, address=row.address, postcode=row.postcode, headcount=row.headcount, leader=row.leader,
        leader_phone=leader_phone, unit_phone=row.unit_phone, status=row.status, code=row.code,
        owner_tier=row.owner_tier, submitted_by=row.owner_user_id, submitted_at=row.submitted_at,
        reviewed_by=row.reviewed_by, reviewed_at=row.reviewed_at, reject_reason=row.reject_reason,
        updated_at=row.updated_at,
    )  # fmt: skip


async def applications(
    session: AsyncSession, caller: Principal, f: ApplicationFilter, page: int, size: int
) -> tuple[list[ApplicationOut], int]:
    where = _application_where(caller, f)
    total = (await session.exec(select(sa.func.count()).select_from(CodeApplication).where(*where))).one()
    rows = await session.exec(
        select(CodeApplication)
        .where(*where)
        .order_by(col(CodeApplication.submitted_at).desc(), col(CodeApplication.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    return [application_out(r) for r in rows], int(total)


async def export_applications(session: AsyncSession, caller: Principal, f: ApplicationFilter) -> bytes:
    rows = await session.exec(
        select(CodeApplication)
        .where(*_application_where(caller, f))
        .order_by(col(CodeApplication.submitted_at).desc(), col(CodeApplication.id).desc())
        .limit(EXPORT_LIMIT)
    )
    header = [
        *("申请编号", "单位名称", "工委名称", "统一信用代码", "单位性质", "联系人", "联系人手机", "联系人邮箱"),
        *("单位地址", "邮政编码", "在职人数", "状态", "参保编码", "提交时间", "审核时间", "审核不通过原因"),
        "参保项目",  # last: a retiree application's 工委名称/单位性质/联系人 are its 所属区局工会/经济类型/经办人
    ]
    body = (
        [r.id, r.unit_name, r.committee, r.uscc or "", r.nature, r.contact, r.contact_phone_masked, r.email,
         r.address, r.postcode, r.headcount, r.status, r.code or "", _local(r.submitted_at), _local(r.reviewed_at),
         r.reject_reason or "", PLAN_LABELS[Plan(r.plan)]]
        for r in rows
    )  # fmt: skip
    return workbook_bytes("参保编码申请", header, body)


async def history(session: AsyncSession, subject: str) -> list[HistoryOut]:
    rows = await session.exec(
        select(CodeHistory).where(CodeHistory.subject == subject).order_by(col(CodeHistory.at), col(CodeHistory.id))
    )
    return [HistoryOut(action=r.action, actor=r.actor, at=r.at, note=r.note) for r in rows]


async def application(
    session: AsyncSession, caller: Principal, application_id: int, cipher: PiiCipher
) -> ApplicationDetail:
    row = await session.get(CodeApplication, application_id)
    if row is None or (caller.tier not in REVIEWERS and row.owner_user_id != caller.user_id):
        raise NotFound("参保编码申请")
    subject = application_subject(application_id)
    return ApplicationDetail(
        **application_out(row, cipher).model_dump(),
        attachments=await attachments.of(session, subject),
        history=await history(session, subject),
    )


# --- codes --------------------------------------------------------------------------------------------


async def code_out(session: AsyncSession, row: EnrollmentCode) -> CodeOut:
    app = await session.get(CodeApplication, row.application_id)
    assert app is not None
    units = await session.exec(select(CodeUnit).where(CodeUnit.code == row.code).order_by(col(CodeUnit.id)))
    pending = (
        await session.exec(select(NameChange.id).where(NameChange.code == row.code, NameChange.status == "申请中"))
    ).first()
    return CodeOut(
        code=row.code, unit_name=row.unit_name, owner_tier=row.owner_tier, application_id=row.application_id,
        contact=app.contact, contact_phone=app.contact_phone_masked, approved_by=row.approved_by,
        approved_at=row.approved_at, handler_complete=await session.get(CodeHandler, row.code) is not None,
        units=[UnitOut.model_validate(u, from_attributes=True) for u in units], pending_name_change=pending,
    )  # fmt: skip


async def codes(
    session: AsyncSession, caller: Principal, code: str | None, unit_name: str | None, page: int, size: int
) -> tuple[list[CodeOut], int]:
    where: list[Any] = []
    if caller.tier not in REVIEWERS:
        where.append(EnrollmentCode.owner_user_id == caller.user_id)
    if code:
        where.append(EnrollmentCode.code == code.strip().upper())
    if unit_name:
        where.append(col(EnrollmentCode.unit_name).ilike(_like(unit_name.strip())))
    total = (await session.exec(select(sa.func.count()).select_from(EnrollmentCode).where(*where))).one()
    rows = await session.exec(
        select(EnrollmentCode)
        .where(*where)
        .order_by(col(EnrollmentCode.approved_at).desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    return [await code_out(session, r) for r in rows.all()], int(total)


async def code(session: AsyncSession, caller: Principal, value: str) -> CodeOut:
    return await code_out(session, await code_of(session, caller, value, reading=True))


async def handler(session: AsyncSession, caller: Principal, value: str, cipher: PiiCipher) -> HandlerOut:
    """The saved 经办人填报, or the empty form prefilled from the code's application."""
    row = await code_of(session, caller, value, reading=True)
    saved = await session.get(CodeHandler, row.code)
    common = {"code": row.code, "unit_name": row.unit_name, "union_names_required": union_names_required(row)}
    if saved is not None:
        return HandlerOut(
            **common, complete=True, handler_name=saved.handler_name,
            handler_phone=cipher.decrypt(saved.handler_phone_enc, field=HANDLER_PHONE),
            handler_email=saved.handler_email, uscc=saved.uscc, economic_type=saved.economic_type,
            union_first=saved.union_first, union_second=saved.union_second, address=saved.address,
            industry=saved.industry, headcount=saved.headcount, saved_by=saved.saved_by, saved_at=saved.saved_at,
        )  # fmt: skip
    app = await session.get(CodeApplication, row.application_id)
    assert app is not None
    return HandlerOut(
        **common, complete=False, handler_name=None, handler_phone=None, handler_email=None, uscc=app.uscc,
        economic_type=app.nature, union_first=None, union_second=None, address=app.address, industry=None,
        headcount=app.headcount, saved_by=None, saved_at=None,
    )  # fmt: skip


# --- name changes -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameChangeFilter:
    status: str | None = None
    code: str | None = None
    unit_name: str | None = None  # old or new name, part


def _change_where(caller: Principal, f: NameChangeFilter) -> list[Any]:
    where: list[Any] = []
    if caller.tier not in REVIEWERS:
        owned = select(EnrollmentCode.code).where(EnrollmentCode.owner_user_id == caller.user_id)
        where.append(col(NameChange.code).in_(owned))
    if f.status:
        where.append(NameChange.status == f.status)
    if f.code:
        where.append(NameChange.code == f.code.strip().upper())
    if f.unit_name:
        like = _like(f.unit_name.strip())
        where.append(sa.or_(col(NameChange.old_name).ilike(like), col(NameChange.new_name).ilike(like)))
    return where


async def change_out(session: AsyncSession, row: NameChange) -> NameChangeOut:
    assert row.id is not None
    return NameChangeOut(
        id=row.id, code=row.code, old_name=row.old_name, new_name=row.new_name, note=row.note, status=row.status,
        applied_by=row.applied_by, applied_at=row.applied_at, reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at, reject_reason=row.reject_reason,
        attachments=await attachments.of(session, change_subject(row.id)),
    )  # fmt: skip


async def name_changes(
    session: AsyncSession, caller: Principal, f: NameChangeFilter, page: int, size: int
) -> tuple[list[NameChangeOut], int]:
    where = _change_where(caller, f)
    total = (await session.exec(select(sa.func.count()).select_from(NameChange).where(*where))).one()
    rows = await session.exec(
        select(NameChange)
        .where(*where)
        .order_by(col(NameChange.applied_at).desc(), col(NameChange.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    return [await change_out(session, r) for r in rows.all()], int(total)


async def name_change(session: AsyncSession, caller: Principal, change_id: int) -> NameChangeOut:
    row = await session.get(NameChange, change_id)
    if row is not None and caller.tier not in REVIEWERS:
        owner = await session.get(EnrollmentCode, row.code)
        row = row if owner is not None and owner.owner_user_id == caller.user_id else None
    if row is None:
        raise NotFound("单位名称变更申请")
    return await change_out(session, row)


async def export_name_changes(session: AsyncSession, caller: Principal, f: NameChangeFilter) -> bytes:
    rows: Sequence[NameChange] = (
        await session.exec(
            select(NameChange)
            .where(*_change_where(caller, f))
            .order_by(col(NameChange.applied_at).desc(), col(NameChange.id).desc())
            .limit(EXPORT_LIMIT)
        )
    ).all()
    header = [
        "申请编号",
        "参保编码",
        "原单位名称",
        "变更后单位名称",
        "说明",
        "状态",
        "申请时间",
        "审核时间",
        "审核不通过原因",
    ]
    body = (
        [r.id, r.code, r.old_name, r.new_name, r.note or "", r.status, _local(r.applied_at), _local(r.reviewed_at),
         r.reject_reason or ""]
        for r in rows
    )  # fmt: skip
    return workbook_bytes("单位名称变更", header, body)
