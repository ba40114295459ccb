"""Files units attach to a 参保编码申请 or a 单位名称变更: uploaded first (【上传文件】, one by one, shown
below the form), then named by the form that uses them. Only the uploader and the insurer read them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from fastapi import Request
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import InvalidInput, NotFound
from runtime.tokens import Principal, Tier

from ..domain import files
from ..domain.mutual_aid.codes import check_attachments
from ..models import CodeAttachment
from ..schemas.codes import AttachmentOut

# Who reads every unit's files and applications: the insurer (职保会) and the platform.
REVIEWERS = frozenset({Tier.INSURER, Tier.ADMIN, Tier.SYSTEM})
PREFIX = "/mutual-aid/attachments"


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused as soon as it grows past the limit (nothing large is held)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise files.too_large(max_bytes)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise files.too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


async def upload(session: AsyncSession, caller: Principal, name: str, content: bytes, max_bytes: int,
                 now: datetime) -> AttachmentOut:  # fmt: skip
    checked = files.check_file(name, content, max_bytes)
    row = CodeAttachment(
        id=uuid.uuid4().hex, owner_user_id=caller.user_id, file_name=checked.name, content_type=checked.kind.value,
        size=len(content), content=content, uploaded_at=now,
    )  # fmt: skip
    async with session.begin():
        session.add(row)
    return out(row)


async def attach(session: AsyncSession, caller: Principal, ids: Sequence[str], subject: str, what: str) -> None:
    """In the form's transaction: the caller's own files, not used elsewhere, become the subject's
    (and only they: files dropped from a resubmitted form are let go)."""
    wanted = list(dict.fromkeys(ids))
    check_attachments(len(wanted), what)
    rows = (
        await session.exec(
            select(CodeAttachment)
            .where(col(CodeAttachment.id).in_(wanted), CodeAttachment.owner_user_id == caller.user_id)
            .with_for_update()
        )
    ).all()
    usable = {r.id: r for r in rows if r.subject in (None, subject)}
    missing = [i for i in wanted if i not in usable]
    if missing:
        raise InvalidInput("attachment.not_found", "附件不存在或已被使用，请重新上传", attachment_ids=missing)
    await session.exec(
        sa.update(CodeAttachment)
        .where(col(CodeAttachment.subject) == subject, col(CodeAttachment.id).not_in(wanted))
        .values(subject=None)
    )
    for row in usable.values():
        row.subject = subject


async def of(session: AsyncSession, subject: str) -> list[AttachmentOut]:
    rows = await session.exec(
        select(CodeAttachment).where(CodeAttachment.subject == subject).order_by(col(CodeAttachment.uploaded_at))
    )
    return [out(r) for r in rows]


async def fetch(session: AsyncSession, caller: Principal, attachment_id: str) -> CodeAttachment:
    row = await session.get(CodeAttachment, attachment_id)
    if row is None or (caller.tier not in REVIEWERS and row.owner_user_id != caller.user_id):
        raise NotFound("附件")
    return row


def out(row: CodeAttachment) -> AttachmentOut:
    return AttachmentOut(
        id=row.id, file_name=row.file_name, content_type=row.content_type, size=row.size,
        uploaded_at=row.uploaded_at, url=f"{PREFIX}/{row.id}",
    )  # fmt: skip
