"""The plan's downloads as PDF (`domain.retiree.documents`, rendered off the event loop as the notices are):
the 委托代扣款申请表 样稿 (blank, or prefilled from a batch the caller reads) and a batch's 代扣受理单, from one
working day after its withholding request (`domain.retiree.acceptance`). Nothing is stored: both are
drawn from the batch each time."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.tokens import Principal

from ...domain.retiree.acceptance import acceptance_no, accepted_on, check_slip_ready, slip_from
from ...domain.retiree.documents import EntrustmentForm, WithholdingSlip, entrustment_html, slip_html
from ...models import RetireeBatch, RetireeUnit, RetireeWithholding
from ..notices import render_pdf
from . import batches, years

FORM_NAME = "委托代扣款申请表（样稿）.pdf"


def requested_at(batch: RetireeBatch) -> datetime | None:
    """When the withholding request went to the bank; None without one — or when nobody could be withheld,
    for then nothing was asked of the bank (the batch went straight to 代扣完成)."""
    return batch.withholding_requested_at if batch.withholding_requested else None


def withholding_slip_from(batch: RetireeBatch) -> datetime | None:
    asked = requested_at(batch)
    return slip_from(asked) if asked is not None else None


async def entrustment_form(session: AsyncSession, caller: Principal, no: str | None) -> tuple[str, bytes]:
    form = EntrustmentForm() if not no else await _form_of(session, await batches.visible(session, caller, no))
    name = f"委托代扣款申请书-{form.unit_name}.pdf" if form.unit_name else FORM_NAME
    return name, await asyncio.to_thread(render_pdf, entrustment_html(form))


async def _form_of(session: AsyncSession, batch: RetireeBatch) -> EntrustmentForm:
    year = await years.of_batch(session, batch.programme_year_id)
    uscc = batch.uscc
    if not uscc:  # kept on the batch at 信息确认无误; before that, the unit's own when it is valid
        unit = await session.get(RetireeUnit, batch.code)
        uscc = unit.uscc if unit is not None and unit.uscc_valid else ""
    return EntrustmentForm(
        unit_name=batch.unit_name, code=batch.code, uscc=uscc, year=year.ctx.row.year,
        amount_fen=batch.withholding_amount_fen, max_fen=min(year.rules.withholding_max_fen, year.rules.premium_fen),
        insurer=year.ctx.row.issuer_name,
    )  # fmt: skip


async def withholding_slip(session: AsyncSession, caller: Principal, no: str, now: datetime) -> tuple[str, bytes]:
    batch = await batches.visible(session, caller, no)
    asked = check_slip_ready(requested_at(batch), now)
    request = await session.get(RetireeWithholding, batch.withholding_request_no)
    assert request is not None  # recorded with the request whenever someone was requested
    year = await years.of_batch(session, batch.programme_year_id)
    slip = WithholdingSlip(
        acceptance_no=acceptance_no(no), unit_name=batch.unit_name, code=batch.code, uscc=batch.uscc, batch_no=no,
        year=year.ctx.row.year, request_no=request.request_no, amount_fen=request.amount_fen, persons=request.people,
        requested_at=asked, accepted_on=accepted_on(asked), pension_day=request.pension_day,
        insurer=year.ctx.row.issuer_name,
    )  # fmt: skip
    return f"代扣受理单-{no}.pdf", await asyncio.to_thread(render_pdf, slip_html(slip))
