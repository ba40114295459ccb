"""Stored documents: notice and receipt PDFs rendered with WeasyPrint (off the event loop), voucher
images and PDFs as uploaded. Kept in the database, in the caller's transaction."""

from __future__ import annotations

import asyncio
import hashlib

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import NotFound

from ..models import Document

PDF = "application/pdf"


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and the fonts, which only rendering needs.
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


async def store_pdf(session: AsyncSession, ref: str, file_name: str, html: str) -> None:
    store(session, ref, file_name, PDF, await asyncio.to_thread(render_pdf, html))


def store(session: AsyncSession, ref: str, file_name: str, media_type: str, content: bytes) -> None:
    session.add(
        Document(
            ref=ref,
            file_name=file_name,
            media_type=media_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
        )  # fmt: skip
    )


async def replace_pdf(session: AsyncSession, ref: str, file_name: str, html: str) -> None:
    pdf = await asyncio.to_thread(render_pdf, html)
    row = await session.get(Document, ref, with_for_update=True)
    if row is None:
        store(session, ref, file_name, PDF, pdf)
        return
    row.file_name, row.content, row.size, row.sha256 = file_name, pdf, len(pdf), hashlib.sha256(pdf).hexdigest()
    session.add(row)


async def fetch(session: AsyncSession, ref: str, what: str = "文件") -> Document:
    row = await session.get(Document, ref)
    if row is None:
        raise NotFound(what)
    return row


def notice_ref(batch_no: str) -> str:
    return f"notice:{batch_no}"


def receipt_ref(receipt_no: str) -> str:
    return f"receipt:{receipt_no}"


def voucher_ref(voucher_no: str, version: int, part: str = "file") -> str:
    return f"voucher:{voucher_no}:{version}:{part}"
