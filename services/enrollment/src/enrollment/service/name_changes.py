"""单位名称变更: the unit applies with its evidence (企业名称变更核准通知书 …, 盖公章); the insurer's approval
renames the code's unit. One open application per code; a name another code holds is refused with
that code's contact, on applying and again on approval."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import DomainError, NotFound
from runtime.pii import PiiCipher
from runtime.tokens import Principal

from ..domain.mutual_aid import codes as rules
from ..models import CodeUnit, EnrollmentCode, NameChange
from ..schemas.codes import NameChangeIn
from . import attachments
from .codes import lock_name, log, refuse_taken, require_handler

EVIDENCE = "单位名称变更证明材料（如企业名称变更核准通知书，复印件加盖公章）"
TAKEN = "name_change.name_has_code"


def subject(change_id: int) -> str:
    return f"name_change:{change_id}"


async def apply(session: AsyncSession, caller: Principal, code: str, data: NameChangeIn, cipher: PiiCipher,
                now: datetime) -> int:  # fmt: skip
    async with session.begin():
        row = await require_handler(session, caller, code)
        name = rules.check_new_name(row.unit_name, data.new_name)
        pending = (
            await session.exec(
                select(NameChange.id).where(
                    NameChange.code == row.code, NameChange.status == rules.ReviewStatus.PENDING.value
                )
            )
        ).first()
        if pending is not None:
            raise DomainError(
                "name_change.pending_exists",
                "已有一份单位名称变更申请正在审核中，请等待审核结果",
                name_change_id=pending,
            )
        await refuse_taken(session, cipher, rules.name_key(name), TAKEN)
        change = NameChange(
            code=row.code, old_name=row.unit_name, new_name=name, note=rules.optional(data.note),
            status=rules.ReviewStatus.PENDING.value, applied_by=caller.user_id, applied_at=now,
        )  # fmt: skip
        session.add(change)
        await session.flush()
        assert change.id is not None
        await attachments.attach(session, caller, data.attachment_ids, subject(change.id), EVIDENCE)
        log(session, subject(change.id), "提交申请", caller, now, f"{row.unit_name} → {name}")
        return change.id


async def _pending(session: AsyncSession, change_id: int) -> NameChange:
    change = (await session.exec(select(NameChange).where(NameChange.id == change_id).with_for_update())).first()
    if change is None:
        raise NotFound("单位名称变更申请")
    rules.check_reviewable(rules.ReviewStatus(change.status), "单位名称变更申请")
    return change


async def approve(session: AsyncSession, caller: Principal, change_id: int, cipher: PiiCipher, now: datetime) -> None:
    """审核通过: the code's unit (and its entry in the code's unit list) carries the new name from now on."""
    async with session.begin():
        change = await _pending(session, change_id)
        key = rules.name_key(change.new_name)
        await lock_name(session, key)
        await refuse_taken(session, cipher, key, TAKEN)
        code = await session.get(EnrollmentCode, change.code, with_for_update=True)
        assert code is not None
        main = (await session.exec(select(CodeUnit).where(CodeUnit.code == change.code, CodeUnit.main))).one()
        code.unit_name, code.updated_at = change.new_name, now
        main.unit_name, main.name_key = change.new_name, key
        change.status = rules.ReviewStatus.APPROVED.value
        change.reviewed_by, change.reviewed_at = caller.user_id, now
        log(session, subject(change_id), "审核通过", caller, now, f"{change.old_name} → {change.new_name}")


async def reject(session: AsyncSession, caller: Principal, change_id: int, reason: str | None, now: datetime) -> None:
    text = rules.check_reason(reason)
    async with session.begin():
        change = await _pending(session, change_id)
        change.status, change.reject_reason = rules.ReviewStatus.REJECTED.value, text
        change.reviewed_by, change.reviewed_at = caller.user_id, now
        log(session, subject(change_id), "审核不通过", caller, now, text)
