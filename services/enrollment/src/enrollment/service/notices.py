"""Notices (告知书) as PDF: rendered with WeasyPrint (font "Noto Sans CJK SC"), stored, downloaded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import NotFound

from ..models import Notice


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and the fonts, which only rendering needs.
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


async def store(session: AsyncSession, owner: str, file_name: str, html: str) -> None:
    """Render (off the event loop) and keep the newest notice of `owner` in the caller's transaction."""
    pdf = await asyncio.to_thread(render_pdf, html)
    row = await session.get(Notice, owner, with_for_update=True)
    row = row or Notice(owner=owner, file_name=file_name, pdf=b"")
    row.file_name, row.pdf, row.created_at = file_name, pdf, datetime.now(UTC)
    session.add(row)


async def fetch(session: AsyncSession, owner: str) -> Notice:
    row = await session.get(Notice, owner)
    if row is None:
        raise NotFound("告知书")
    return row


def request_owner(request_id: str) -> str:
    return f"request:{request_id}"


def batch_owner(batch_no: str) -> str:
    return f"batch:{batch_no}"
