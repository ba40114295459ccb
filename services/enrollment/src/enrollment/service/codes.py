"""参保编码申请 and its review, the units under a code, 经办人填报 — and `require_handler`, the gate every
other mutual-aid action of a unit goes through first.

An application is for a plan (参保项目): 互助保障, or the 退休住院计划's 新参保编码申请 — the retiree form, who
holds a name and what approval creates (the plan's unit) are service/retiree/code_applications.py's; the
SMS code, the attachments, the review and its log are the same for both.

Each use case is one transaction: the rows, the operation log (`code_history`) and, on approval, the
`enrollment.code.approved` event. A unit name is locked while it is checked and taken, so two
applications for one name cannot both end with a code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentCodeApproved
from runtime import outbox
from runtime.errors import DomainError, NotFound
from runtime.identity import mask_phone
from runtime.pii import PiiCipher
from runtime.tokens import Principal, Tier

from ..domain.mutual_aid import codes as rules
from ..domain.mutual_aid.codes import Plan
from ..domain.mutual_aid.sms import Purpose
from ..domain.retiree import code_application as retiree_rules
from ..models import CodeApplication, CodeHandler, CodeHistory, CodeUnit, EnrollmentCode
from ..schemas.codes import ApplicationIn, HandlerIn, UnitIn
from . import SOURCE, attachments, sms
from .attachments import REVIEWERS
from .retiree import code_applications as retiree_codes

CONTACT_PHONE = "code_application.contact_phone"
LEADER_PHONE = "code_application.leader_phone"
HANDLER_PHONE = "code_handler.handler_phone"
NEXT_CODE = sa.text("SELECT nextval('enrollment_code_seq')")
EVIDENCE = "附件（《社会保险费缴费申报表》或营业执照等复印件，加盖公章）"


def application_subject(application_id: int) -> str:
    return f"application:{application_id}"


def log(
    session: AsyncSession, subject: str, action: str, caller: Principal, at: datetime, note: str | None = None
) -> None:
    session.add(CodeHistory(subject=subject, action=action, actor=caller.user_id, at=at, note=note))


async def lock_name(session: AsyncSession, key: str) -> None:
    await sms.lock(session, f"code-name:{key}")


# --- who holds a unit name -------------------------------------------------------------------------------


async def holder(session: AsyncSession, cipher: PiiCipher, key: str) -> tuple[str, rules.Contact] | None:
    """The code a unit name is enrolled under, with that code's contact (as applied)."""
    row = (
        await session.exec(
            select(CodeUnit.code, CodeApplication.contact, CodeApplication.contact_phone_enc)
            .join(EnrollmentCode, col(EnrollmentCode.code) == col(CodeUnit.code))
            .join(CodeApplication, col(CodeApplication.id) == col(EnrollmentCode.application_id))
            .where(CodeUnit.name_key == key)
        )
    ).first()
    if row is None:
        return None
    code, contact, phone = row
    return code, rules.Contact(contact, cipher.decrypt(phone, field=CONTACT_PHONE))


async def refuse_taken(session: AsyncSession, cipher: PiiCipher, key: str, error: str) -> None:
    held = await holder(session, cipher, key)
    if held is not None:
        raise rules.name_has_code(held[1], code=error)


# --- 参保编码申请 ------------------------------------------------------------------------------------------


def _form(data: ApplicationIn, plan: Plan) -> rules.ApplicationForm:
    check = retiree_rules.check_application if plan is Plan.RETIREE else rules.check_application
    return check(
        rules.ApplicationForm(
            unit_name=data.unit_name, committee=data.committee, uscc=data.uscc, nature=data.nature,
            contact=data.contact, contact_phone=data.contact_phone, email=data.email, address=data.address,
            postcode=data.postcode, headcount=data.headcount, leader=data.leader, leader_phone=data.leader_phone,
            unit_phone=data.unit_phone,
        )
    )  # fmt: skip


def _fields(form: rules.ApplicationForm, plan: Plan, cipher: PiiCipher) -> dict[str, Any]:
    """The application's columns from its form (phones sealed, the contact's also masked)."""
    return {
        "plan": plan.value, "unit_name": form.unit_name, "name_key": rules.name_key(form.unit_name),
        "committee": form.committee, "uscc": form.uscc, "nature": form.nature, "contact": form.contact,
        "email": form.email,
        "contact_phone_enc": cipher.encrypt(form.contact_phone, field=CONTACT_PHONE),
        "contact_phone_masked": mask_phone(form.contact_phone), "address": form.address, "postcode": form.postcode,
        "headcount": form.headcount, "leader": form.leader, "unit_phone": form.unit_phone,
        "leader_phone_enc": cipher.encrypt(form.leader_phone, field=LEADER_PHONE) if form.leader_phone else None,
    }  # fmt: skip


async def _checked_submission(
    session: AsyncSession, caller: Principal, form: rules.ApplicationForm, plan: Plan, data: ApplicationIn,
    gate: sms.SmsGate, cipher: PiiCipher, now: datetime, application_id: int | None,
) -> None:  # fmt: skip
    """What a submission and a resubmission both pass: the SMS code (first: nothing about other units
    is told without it), the name free of the plan's codes, no second open application for it."""
    await sms.use(session, gate, caller, Purpose.CODE_APPLICATION, form.contact_phone, data.sms_code, now)
    key = rules.name_key(form.unit_name)
    await _refuse_taken_in_plan(session, cipher, plan, form.unit_name, form.uscc)
    twin = (
        await session.exec(
            select(CodeApplication.id).where(
                CodeApplication.owner_user_id == caller.user_id,
                CodeApplication.plan == plan.value,
                CodeApplication.name_key == key,
                CodeApplication.status == rules.ReviewStatus.PENDING.value,
                col(CodeApplication.id) != (application_id or 0),
            )
        )
    ).first()
    if twin is not None:
        raise DomainError(
            "code_application.pending_exists", "该单位的参保编码申请正在审核中，请勿重复提交", application_id=twin
        )


async def _refuse_taken_in_plan(
    session: AsyncSession, cipher: PiiCipher, plan: Plan, unit_name: str, uscc: str | None
) -> None:
    """The name (locked for the transaction) has no code of the plan yet: a unit with a mutual-aid code
    may still apply for the retiree plan's, and the other way round."""
    if plan is Plan.RETIREE:
        await retiree_codes.refuse_taken(session, cipher, unit_name, uscc)
        return
    key = rules.name_key(unit_name)
    await lock_name(session, key)
    await refuse_taken(session, cipher, key, "code_application.name_has_code")


async def apply(
    session: AsyncSession, caller: Principal, data: ApplicationIn, gate: sms.SmsGate, cipher: PiiCipher,
    now: datetime,
) -> int:  # fmt: skip
    """申请参保编码 → 申请中; the id of the application."""
    plan = data.plan or Plan.MUTUAL_AID
    form = _form(data, plan)

    async def run() -> int:
        async with session.begin():
            await _checked_submission(session, caller, form, plan, data, gate, cipher, now, None)
            row = CodeApplication(
                **_fields(form, plan, cipher), owner_user_id=caller.user_id, owner_tier=caller.tier.value,
                owner_org_id=caller.org_id, status=rules.ReviewStatus.PENDING.value, submitted_at=now, updated_at=now,
            )  # fmt: skip
            session.add(row)
            await session.flush()
            assert row.id is not None
            subject = application_subject(row.id)
            await attachments.attach(session, caller, data.attachment_ids, subject, EVIDENCE)
            log(session, subject, "提交申请", caller, now)
            return row.id

    return await sms.counting_wrong_codes(session, run)


async def _own_application(session: AsyncSession, caller: Principal, application_id: int) -> CodeApplication:
    row = (
        await session.exec(select(CodeApplication).where(CodeApplication.id == application_id).with_for_update())
    ).first()
    if row is None or row.owner_user_id != caller.user_id:
        raise NotFound("参保编码申请")
    return row


async def resubmit(
    session: AsyncSession, caller: Principal, application_id: int, data: ApplicationIn, gate: sms.SmsGate,
    cipher: PiiCipher, now: datetime,
) -> None:  # fmt: skip
    """【编辑】 of a rejected application: changed and submitted again → 申请中 (for the plan it was for)."""

    async def run() -> None:
        async with session.begin():
            row = await _own_application(session, caller, application_id)
            rules.check_resubmittable(rules.ReviewStatus(row.status))
            plan = Plan(row.plan)
            if data.plan is not None and data.plan is not plan:
                raise DomainError(
                    "code_application.plan_fixed",
                    f"该申请为{rules.PLAN_LABELS[plan]}的参保编码申请，参保项目不能修改；请另行申请",
                    plan=plan.value,
                )
            form = _form(data, plan)
            await _checked_submission(session, caller, form, plan, data, gate, cipher, now, application_id)
            for name, value in _fields(form, plan, cipher).items():
                setattr(row, name, value)
            row.status, row.submitted_at, row.updated_at = rules.ReviewStatus.PENDING.value, now, now
            row.reviewed_by = row.reviewed_at = row.reject_reason = None  # the log keeps the last word
            subject = application_subject(application_id)
            await attachments.attach(session, caller, data.attachment_ids, subject, EVIDENCE)
            log(session, subject, "重新提交", caller, now)

    await sms.counting_wrong_codes(session, run)


async def _pending_for_review(session: AsyncSession, application_id: int) -> CodeApplication:
    row = (
        await session.exec(select(CodeApplication).where(CodeApplication.id == application_id).with_for_update())
    ).first()
    if row is None:
        raise NotFound("参保编码申请")
    rules.check_reviewable(rules.ReviewStatus(row.status), "参保编码申请")
    return row


async def approve(
    session: AsyncSession, caller: Principal, application_id: int, cipher: PiiCipher, now: datetime
) -> str:
    """审核通过: the code is generated, belongs to the applying account, lists the unit; the event says so.
    A retiree application's code is the plan's unit instead (no event: see retiree/code_applications.py)."""
    async with session.begin():
        row = await _pending_for_review(session, application_id)
        if row.plan == Plan.RETIREE.value:
            return await _approve_retiree(session, caller, row, cipher, now)
        await lock_name(session, row.name_key)
        await refuse_taken(session, cipher, row.name_key, "code_application.name_has_code")
        code = rules.make_code(int((await session.exec(NEXT_CODE)).scalar_one()))  # type: ignore[call-overload]
        row.status, row.code = rules.ReviewStatus.APPROVED.value, code
        row.reviewed_by, row.reviewed_at, row.updated_at = caller.user_id, now, now
        session.add(
            EnrollmentCode(
                code=code, application_id=application_id, owner_user_id=row.owner_user_id, owner_tier=row.owner_tier,
                owner_org_id=row.owner_org_id, unit_name=row.unit_name, approved_by=caller.user_id, approved_at=now,
                updated_at=now,
            )
        )  # fmt: skip
        await session.flush()
        session.add(
            CodeUnit(
                code=code, unit_name=row.unit_name, name_key=row.name_key, uscc=row.uscc, main=True,
                added_by=caller.user_id, added_at=now,
            )
        )  # fmt: skip
        log(session, application_subject(application_id), "审核通过", caller, now, f"参保编码 {code}")
        outbox.record(
            session, SOURCE,
            EnrollmentCodeApproved(
                code=code, application_id=application_id, unit_name=row.unit_name, uscc=row.uscc,
                committee=row.committee, nature=row.nature, headcount=row.headcount, owner_user_id=row.owner_user_id,
                owner_tier=row.owner_tier, owner_org_id=row.owner_org_id, approved_by=caller.user_id, approved_at=now,
            ),
        )  # fmt: skip
    return code


async def _approve_retiree(
    session: AsyncSession, caller: Principal, row: CodeApplication, cipher: PiiCipher, now: datetime
) -> str:
    """Inside approve's transaction: the name still free in the plan, the unit created, the status set."""
    assert row.id is not None
    await retiree_codes.refuse_taken(session, cipher, row.unit_name, row.uscc)
    phone = cipher.decrypt(row.contact_phone_enc, field=CONTACT_PHONE)
    code = await retiree_codes.create_unit(session, cipher, row, phone, now)
    row.status, row.code = rules.ReviewStatus.APPROVED.value, code
    row.reviewed_by, row.reviewed_at, row.updated_at = caller.user_id, now, now
    log(session, application_subject(row.id), "审核通过", caller, now, f"参保编码 {code}")
    return code


async def reject(
    session: AsyncSession, caller: Principal, application_id: int, reason: str | None, now: datetime
) -> None:
    """审核不通过 with its reason: the unit reads it, edits and submits again."""
    text = rules.check_reason(reason)
    async with session.begin():
        row = await _pending_for_review(session, application_id)
        row.status, row.reject_reason = rules.ReviewStatus.REJECTED.value, text
        row.reviewed_by, row.reviewed_at, row.updated_at = caller.user_id, now, now
        log(session, application_subject(application_id), "审核不通过", caller, now, text)


# --- the code: whose it is, its handler -------------------------------------------------------------------


async def code_of(session: AsyncSession, caller: Principal, code: str, *, reading: bool = False) -> EnrollmentCode:
    """The code if it is the caller's (the insurer may read every one); otherwise 404, as for a code
    that does not exist ("一个参保编码只能在一个平台账号中使用")."""
    row = await session.get(EnrollmentCode, code.strip().upper())
    if row is None or not (row.owner_user_id == caller.user_id or (reading and caller.tier in REVIEWERS)):
        raise NotFound("参保编码")
    return row


async def require_handler(session: AsyncSession, caller: Principal, code: str) -> EnrollmentCode:
    """THE GATE of a unit's mutual-aid actions: the caller's code with its 经办人填报 saved, else
    `handler.incomplete` (409). Call it inside the action's transaction."""
    row = await code_of(session, caller, code)
    if await session.get(CodeHandler, row.code) is None:
        raise rules.handler_incomplete(row.code)
    return row


def union_names_required(row: EnrollmentCode) -> bool:
    """A union names the unions above it; an enterprise without a union has none."""
    return row.owner_tier != Tier.ENTERPRISE.value


async def save_handler(
    session: AsyncSession, caller: Principal, code: str, data: HandlerIn, gate: sms.SmsGate, cipher: PiiCipher,
    now: datetime,
) -> None:  # fmt: skip
    """【保存】 of 经办人填报 (with the SMS code sent to the handler's phone): complete, or refused."""

    async def run() -> None:
        async with session.begin():
            row = await code_of(session, caller, code)
            form = rules.check_handler(
                rules.HandlerForm(
                    handler_name=data.handler_name, handler_phone=data.handler_phone, handler_email=data.handler_email,
                    uscc=data.uscc, economic_type=data.economic_type, union_first=data.union_first,
                    union_second=data.union_second, address=data.address, industry=data.industry,
                    headcount=data.headcount,
                ),
                union_names_required=union_names_required(row),
            )  # fmt: skip
            await sms.use(session, gate, caller, Purpose.HANDLER, form.handler_phone, data.sms_code, now)
            handler = await session.get(CodeHandler, row.code, with_for_update=True) or CodeHandler(
                code=row.code, handler_name="", handler_phone_enc=b"", handler_phone_masked="", handler_email="",
                uscc="", economic_type="", address="", industry="", headcount=0, saved_by="",
            )  # fmt: skip
            handler.handler_name, handler.handler_email = form.handler_name, form.handler_email
            handler.handler_phone_enc = cipher.encrypt(form.handler_phone, field=HANDLER_PHONE)
            handler.handler_phone_masked = mask_phone(form.handler_phone)
            handler.uscc, handler.economic_type, handler.address = form.uscc, form.economic_type, form.address
            handler.union_first, handler.union_second = form.union_first, form.union_second
            handler.industry, handler.headcount = form.industry, form.headcount
            handler.saved_by, handler.saved_at = caller.user_id, now
            session.add(handler)

    await sms.counting_wrong_codes(session, run)


async def handler_contact(session: AsyncSession, cipher: PiiCipher, code: str) -> tuple[str, str] | None:
    """(name, phone) of a code's handler — whom another unit calls about a person its roster holds."""
    handler = await session.get(CodeHandler, code)
    if handler is None:
        return None
    return handler.handler_name, cipher.decrypt(handler.handler_phone_enc, field=HANDLER_PHONE)


# --- units under a code (集团合并办理) -----------------------------------------------------------------------


async def add_unit(session: AsyncSession, caller: Principal, code: str, data: UnitIn, cipher: PiiCipher,
                   now: datetime) -> None:  # fmt: skip
    name = rules.required("unit_name", data.unit_name, "code_unit")
    uscc = rules.uscc(data.uscc, needed=False, prefix="code_unit")
    async with session.begin():
        row = await require_handler(session, caller, code)
        key = rules.name_key(name)
        await lock_name(session, key)
        await refuse_taken(session, cipher, key, "code_unit.name_has_code")
        session.add(
            CodeUnit(code=row.code, unit_name=name, name_key=key, uscc=uscc, added_by=caller.user_id, added_at=now)
        )


async def remove_unit(session: AsyncSession, caller: Principal, code: str, unit_id: int) -> None:
    async with session.begin():
        row = await require_handler(session, caller, code)
        unit = await session.get(CodeUnit, unit_id)
        if unit is None or unit.code != row.code:
            raise NotFound("参保单位")
        if unit.main:
            raise DomainError("code_unit.main", "申请参保编码的单位不能移除；更名请办理单位名称变更")
        await session.delete(unit)


async def check_unit(session: AsyncSession, code: str, unit_name: str) -> CodeUnit:
    """The unit of a code by its name (参保编码 + 参保单位名称 of a batch), or `code.unit_mismatch`."""
    unit = (
        await session.exec(
            select(CodeUnit).where(CodeUnit.code == code, CodeUnit.name_key == rules.name_key(unit_name))
        )
    ).first()
    if unit is None:
        raise DomainError("code.unit_mismatch", "参保单位名称与参保编码不符，请核对", enrollment_code=code)
    return unit
