"""附件 of a batch: the sealed 委托代扣申请书 (payment mode), 参保比例佐证材料 per 单位社保编码 below 75 %,
无社保人员材料 (a person classed 其他 needs one), 其他. Images or PDFs (`domain.files`), uploaded while the
roster can change; the insurer reads them in its review."""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.tokens import Principal

from ...domain.files import check_file
from ...domain.retiree.batch import BatchStatus, check_roster_editable
from ...models import RetireeAttachment, RetireePerson
from ...schemas.retiree import AttachmentOut
from . import batches
from .batches import Actor

MAX_PER_BATCH = 100


class AttachmentKind(StrEnum):
    ENTRUSTMENT = "委托代扣申请书"  # 已盖章的单位委托代扣款申请书
    RATIO_EVIDENCE = "参保比例佐证材料"  # per 单位社保编码 under 75 %
    NO_SS = "无社保人员材料"
    OTHER = "其他"


async def upload(
    session: AsyncSession, caller: Principal, no: str, kind: str, unit_code: str | None, person_id: int | None,
    file_name: str, content: bytes, max_bytes: int,
) -> AttachmentOut:  # fmt: skip
    try:
        chosen = AttachmentKind(kind.strip())
    except ValueError:
        raise InvalidInput(
            "attachment.kind_invalid", "请选择附件类型", allowed=[k.value for k in AttachmentKind]
        ) from None
    code = (unit_code or "").strip() or None
    if chosen is AttachmentKind.RATIO_EVIDENCE and code is None:
        raise InvalidInput("attachment.unit_code_required", "请指明佐证材料对应的社保编码")
    checked = check_file(file_name, content, max_bytes, label=chosen.value)
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        check_roster_editable(BatchStatus(batch.status))
        if person_id is not None:
            person = await session.get(RetireePerson, person_id)
            if person is None or person.batch_no != no:
                raise NotFound("参保人员")
        total = await session.exec(
            select(sa.func.count()).select_from(RetireeAttachment).where(RetireeAttachment.batch_no == no)
        )
        if int(total.one()) >= MAX_PER_BATCH:
            raise DomainError("attachment.too_many", f"每个批次最多上传{MAX_PER_BATCH}个附件")
        row = RetireeAttachment(
            batch_no=no, kind=chosen.value, unit_code=code, person_id=person_id, file_name=checked.name,
            media_type=checked.kind.value, size=len(checked.content), content=checked.content,
            uploaded_by=caller.user_id,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        batches.record(session, no, "attachment_upload", "上传附件", Actor.of(caller),
                       detail={"kind": chosen.value, "unit_code": code, "file_name": checked.name})  # fmt: skip
        batches.touch(session, batch)
    return out(row)


async def remove(session: AsyncSession, caller: Principal, no: str, attachment_id: int) -> None:
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        check_roster_editable(BatchStatus(batch.status))
        row = await session.get(RetireeAttachment, attachment_id)
        if row is None or row.batch_no != no:
            raise NotFound("附件")
        used = await session.exec(select(RetireePerson.id).where(RetireePerson.no_ss_attachment_id == row.id))
        if batch.entrustment_attachment_id == row.id or used.first() is not None:
            raise DomainError("attachment.in_use", "该附件已被使用（委托代扣申请书或无社保人员材料），不能删除")
        await session.delete(row)
        batches.record(session, no, "attachment_delete", "删除附件", Actor.of(caller),
                       detail={"kind": row.kind, "file_name": row.file_name})  # fmt: skip
        batches.touch(session, batch)


async def of_batch(session: AsyncSession, no: str) -> list[RetireeAttachment]:
    rows = await session.exec(
        select(RetireeAttachment)
        .where(RetireeAttachment.batch_no == no)
        .order_by(col(RetireeAttachment.uploaded_at), col(RetireeAttachment.id))
    )
    return list(rows)


async def listed(session: AsyncSession, caller: Principal, no: str) -> list[AttachmentOut]:
    await batches.visible(session, caller, no)
    return [out(r) for r in await of_batch(session, no)]


async def content(session: AsyncSession, caller: Principal, no: str, attachment_id: int) -> RetireeAttachment:
    await batches.visible(session, caller, no)
    row = await session.get(RetireeAttachment, attachment_id)
    if row is None or row.batch_no != no:
        raise NotFound("附件")
    return row


def out(row: RetireeAttachment) -> AttachmentOut:
    assert row.id is not None
    return AttachmentOut(
        id=row.id, kind=row.kind, unit_code=row.unit_code, person_id=row.person_id, file_name=row.file_name,
        media_type=row.media_type, size=row.size, uploaded_by=row.uploaded_by, uploaded_at=row.uploaded_at,
        url=f"/retiree/batches/{row.batch_no}/attachments/{row.id}/file",
    )  # fmt: skip
