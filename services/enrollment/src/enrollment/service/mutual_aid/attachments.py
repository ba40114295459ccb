"""上传附件 of a roster: the sealed explanation (请上传情况说明（加盖公章）) and evidence (退工单, 人员转出/转入
核定表, 劳务派遣说明, 任命书) when the ratio is out of 75–100 %, the social-insurance declaration a new unit
always uploads, the signed 人员确认承诺书. Images or PDFs (`domain.files`), kept while the roster is
editable; the insurer reads them in its review."""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.tokens import Principal

from ...domain.files import check_file
from ...domain.mutual_aid.batch import BatchStatus, check_roster_editable
from ...models import Attachment, MutualAidBatch
from ...schemas.mutual_aid import AttachmentOut
from . import batches
from .batches import Actor

MAX_PER_BATCH = 30


class AttachmentKind(StrEnum):
    EXPLANATION = "情况说明"  # 加盖公章
    DECLARATION = "社保缴费申报表"  # 《社会保险费缴费申报表》或《单位参加城镇社会保险基本情况》
    RESIGNATION = "退工单"
    TRANSFER_OUT = "人员转出核定表"
    TRANSFER_IN = "人员转入核定表"
    DISPATCH = "劳务派遣说明"
    APPOINTMENT = "任命书"
    COMMITMENT = "人员确认承诺书"


def evidence_kind(new_unit: bool) -> AttachmentKind:
    """What makes 清册提交 with attachments possible: a new unit's declaration, otherwise the explanation."""
    return AttachmentKind.DECLARATION if new_unit else AttachmentKind.EXPLANATION


async def kinds_of(session: AsyncSession, no: str) -> set[str]:
    rows = await session.exec(select(Attachment.kind).where(Attachment.batch_no == no).distinct())
    return set(rows.all())


async def upload(
    session: AsyncSession, caller: Principal, no: str, kind: str, file_name: str, content: bytes, max_bytes: int
) -> AttachmentOut:
    try:
        chosen = AttachmentKind(kind.strip())
    except ValueError:
        raise InvalidInput(
            "attachment.kind_invalid", "请选择附件类型", allowed=[k.value for k in AttachmentKind]
        ) from None
    checked = check_file(file_name, content, max_bytes, label=chosen.value)
    async with session.begin():
        batch = await _editable(session, caller, no)
        count = await session.exec(select(sa.func.count()).select_from(Attachment).where(Attachment.batch_no == no))
        if int(count.one()) >= MAX_PER_BATCH:
            raise DomainError("attachment.too_many", f"每个批次最多上传{MAX_PER_BATCH}个附件")
        row = Attachment(
            batch_no=no, kind=chosen.value, file_name=checked.name, media_type=checked.kind.value,
            size=len(checked.content), content=checked.content, uploaded_by=caller.user_id,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        batches.record(session, no, "attachment_upload", "上传附件", Actor.of(caller),
                       detail={"kind": chosen.value, "file_name": checked.name})  # fmt: skip
        batches.touch(session, batch)
    return out(row)


async def remove(session: AsyncSession, caller: Principal, no: str, attachment_id: int) -> None:
    """图片右上角【X】."""
    async with session.begin():
        batch = await _editable(session, caller, no)
        row = await session.get(Attachment, attachment_id)
        if row is None or row.batch_no != no:
            raise NotFound("附件")
        await session.delete(row)
        batches.record(session, no, "attachment_delete", "删除附件", Actor.of(caller),
                       detail={"kind": row.kind, "file_name": row.file_name})  # fmt: skip
        batches.touch(session, batch)


async def listed(session: AsyncSession, caller: Principal, no: str) -> list[AttachmentOut]:
    await batches.visible(session, caller, no)
    rows = await session.exec(
        select(Attachment).where(Attachment.batch_no == no).order_by(col(Attachment.uploaded_at), col(Attachment.id))
    )
    return [out(r) for r in rows]


async def content(session: AsyncSession, caller: Principal, no: str, attachment_id: int) -> Attachment:
    await batches.visible(session, caller, no)
    row = await session.get(Attachment, attachment_id)
    if row is None or row.batch_no != no:
        raise NotFound("附件")
    return row


async def _editable(session: AsyncSession, caller: Principal, no: str) -> MutualAidBatch:
    batch = await batches.owned(session, caller, no)
    check_roster_editable(BatchStatus(batch.status))
    return batch


def out(row: Attachment) -> AttachmentOut:
    assert row.id is not None
    return AttachmentOut(
        id=row.id, kind=row.kind, file_name=row.file_name, media_type=row.media_type, size=row.size,
        uploaded_by=row.uploaded_by, uploaded_at=row.uploaded_at,
        url=f"/mutual-aid/batches/{row.batch_no}/attachments/{row.id}/file",
    )  # fmt: skip
