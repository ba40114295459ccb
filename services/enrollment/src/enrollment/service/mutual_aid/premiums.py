"""保障项目选择 with `domain.mutual_aid.items`: 生成保费信息 shows the premium table split into 社保人员 and
非社保人员 (per item, the A0 B0 C0 bundle on its own line, and in total); 提交确认保费 fixes the items, each
person's premium and the batch's amount → 缴费凭证待上传, the voucher due in the year's number of days,
and `enrollment.batch.submitted` to billing (programme mutual-aid → the 在职 account; the unit bears the
whole amount; one line per person; chunks of ≤ 1,000 lines).

An instant batch of a unit that took part in this year's collective enrollment keeps its items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import (
    BatchLine,
    Channel,
    EnrollmentBatchSubmitted,
    EnrollmentType,
    GuaranteeTotal,
    PremiumSplit,
)
from runtime import outbox
from runtime.tokens import Principal

from ...domain.batches import chunks
from ...domain.mutual_aid.batch import BatchAction, BatchStatus, transition
from ...domain.mutual_aid.items import (
    Item,
    PremiumTable,
    check_everyone_has_basic,
    check_same_as_collective,
    check_selection,
    person_premium,
    premium_table,
)
from ...domain.mutual_aid.payment import voucher_due
from ...domain.mutual_aid.year import priced_half_year
from ...models import MutualAidBatch, RosterRow
from ...schemas.mutual_aid import PremiumOut, PremiumRowOut
from .. import SOURCE
from . import PROGRAMME, batches, rosters, units, years
from .batches import Actor
from .years import YearData

PREMIUM_CONFIRMED = (BatchStatus.VOUCHER_PENDING, BatchStatus.VOUCHER_REVIEW, BatchStatus.COMPLETED)
WITH_SS, WITHOUT_SS = "有社保", "无社保"  # a line's guarantee_type in billing: which half of the table it is in


@dataclass(frozen=True)
class Priced:
    selection: tuple[Item, ...]
    half_year: bool
    table: PremiumTable
    ss_persons: int
    non_ss_persons: int
    locked: list[str] | None

    def out(self) -> PremiumOut:
        t = self.table
        return PremiumOut(
            items=[i.code for i in self.selection], half_year=self.half_year,
            rows=[
                PremiumRowOut(label=r.label, standard_fen=r.standard_fen, discount_fen=r.discount_fen,
                              price_fen=r.price_fen, ss_persons=r.ss_persons, ss_fen=r.ss_fen,
                              non_ss_persons=r.non_ss_persons, non_ss_fen=r.non_ss_fen, total_fen=r.total_fen)
                for r in t.rows
            ],
            ss_persons=self.ss_persons, non_ss_persons=self.non_ss_persons, ss_fen=t.ss_fen, non_ss_fen=t.non_ss_fen,
            total_fen=t.total_fen, locked_items=self.locked,
        )  # fmt: skip


async def preview(session: AsyncSession, caller: Principal, no: str, codes: Sequence[str], today: date) -> PremiumOut:
    """【生成保费信息】 — nothing is stored."""
    batch = await batches.visible(session, caller, no)
    year = await years.of_batch(session, batch.programme_year_id)
    return (await _price(session, batch, year, codes, today)).out()


async def confirm(session: AsyncSession, caller: Principal, no: str, codes: Sequence[str], now: datetime) -> None:
    """【提交确认保费】 → 缴费凭证待上传; billing gets the payable."""
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        transition(BatchStatus(batch.status), BatchAction.CONFIRM_PREMIUM)  # refuses before any work
        year = await years.of_batch(session, batch.programme_year_id)
        priced = await _price(session, batch, year, codes, now.date())
        selection, table = priced.selection, priced.table
        await _price_rows(session, year, batch, selection, priced.half_year)
        batch.items, batch.premium = [i.code for i in selection], priced.out().model_dump(mode="json")
        batch.ss_persons, batch.non_ss_persons = priced.ss_persons, priced.non_ss_persons
        batch.persons, batch.amount_fen = priced.ss_persons + priced.non_ss_persons, table.total_fen
        batch.premium_confirmed_at = now
        batch.voucher_due = voucher_due(now, year.ctx.row.instant_pay_days)
        batch.payable_seq += 1
        batch.payable_no = no if batch.payable_seq == 1 else f"{no}-{batch.payable_seq}"
        batches.step(session, batch, BatchAction.CONFIRM_PREMIUM, Actor.of(caller), detail={
            "items": batch.items, "amount_fen": table.total_fen, "payable_no": batch.payable_no,
        })  # fmt: skip
        await _publish(session, year, batch, table, selection, now)


async def _price(
    session: AsyncSession, batch: MutualAidBatch, year: YearData, codes: Sequence[str], today: date
) -> Priced:
    selection = check_selection(year.catalogue, codes)
    locked = await collective_items(session, batch)
    check_same_as_collective(selection, locked)
    check_everyone_has_basic(selection, await _names_without_ss(session, batch.batch_no))
    ss, non_ss = await _counts(session, batch.batch_no)
    half = _half_year(batch, year, today)
    return Priced(selection, half, premium_table(year.catalogue, selection, ss, non_ss, half), ss, non_ss, locked)


def _half_year(batch: MutualAidBatch, year: YearData, today: date) -> bool:
    """Known once the roster was submitted (the cover start); before, as if submitted today."""
    if batch.cover_start is not None:
        return batch.half_year
    period = year.ctx.period
    start = rosters.as_of(batch, period.start, period.end, today)
    return priced_half_year(EnrollmentType(batch.enrollment_type), start, period)


async def collective_items(session: AsyncSession, batch: MutualAidBatch) -> list[str] | None:
    """ "即时参保保障项目和集中参保项目必须保持一致": the code's collective items this year, if any."""
    if batch.enrollment_type != EnrollmentType.INSTANT:
        return None
    found = await session.exec(
        select(MutualAidBatch.items).where(
            MutualAidBatch.programme_year_id == batch.programme_year_id,
            MutualAidBatch.code == batch.code,
            MutualAidBatch.enrollment_type == EnrollmentType.COLLECTIVE,
            col(MutualAidBatch.status).in_(PREMIUM_CONFIRMED),
        )
    )
    items = found.first()
    return list(items) if items else None


async def _counts(session: AsyncSession, no: str) -> tuple[int, int]:
    rows = await session.exec(
        select(RosterRow.has_social_security, sa.func.count())
        .where(RosterRow.batch_no == no)
        .group_by(col(RosterRow.has_social_security))
    )
    counts = dict(rows.all())
    return int(counts.get(True, 0)), int(counts.get(False, 0))


async def _names_without_ss(session: AsyncSession, no: str) -> list[str]:
    rows = await session.exec(
        select(RosterRow.name)
        .where(RosterRow.batch_no == no, sa.not_(col(RosterRow.has_social_security)))
        .order_by(col(RosterRow.id))
    )
    return list(rows.all())


async def _price_rows(
    session: AsyncSession, year: YearData, batch: MutualAidBatch, selection: tuple[Item, ...], half: bool
) -> None:
    """保费详细: each person's premium (A0 and the bundle only with social security)."""
    for has_ss in (True, False):
        fen = person_premium(year.catalogue, selection, has_ss, half).fen
        await session.exec(
            sa.update(RosterRow)
            .where(col(RosterRow.batch_no) == batch.batch_no, col(RosterRow.has_social_security) == has_ss)
            .values(premium_fen=fen)
        )


async def _publish(
    session: AsyncSession, year: YearData, batch: MutualAidBatch, table: PremiumTable, selection: tuple[Item, ...],
    now: datetime,
) -> None:  # fmt: skip
    assert batch.payable_no is not None and batch.voucher_due is not None and batch.cover_end is not None
    rows = await session.exec(select(RosterRow).where(RosterRow.batch_no == batch.batch_no).order_by(col(RosterRow.id)))
    lines = [
        BatchLine(
            member_id=f"ma-{r.id}", org_id=batch.org_id or 0, name=r.name, id_number_masked=r.id_masked,
            channel=Channel.UNIT_ROSTER, guarantee_type=WITH_SS if r.has_social_security else WITHOUT_SS,
            premium_fen=r.premium_fen or 0,
        )
        for r in rows
    ]  # fmt: skip
    names = {i.code: i.name for i in selection}
    totals = [
        GuaranteeTotal(code=r.label, name=names.get(r.label, r.label), premium_fen=r.price_fen,
                       persons=r.ss_persons + r.non_ss_persons, amount_fen=r.total_fen)
        for r in table.rows
    ]  # fmt: skip
    account = await units.payer_account(session, batch)
    parts = list(chunks(lines))
    for i, part in enumerate(parts):
        outbox.record(
            session,
            SOURCE,
            EnrollmentBatchSubmitted(
                batch_no=batch.payable_no,
                chunk=i,
                chunks=len(parts),
                lines_total=len(lines),
                payer_org_id=batch.org_id or 0,
                payer_org_name=batch.unit_name,
                payer_account=account,
                programme=PROGRAMME,
                programme_name=year.ctx.programme.name,
                year=year.ctx.row.year,
                enrollment_type=EnrollmentType(batch.enrollment_type),
                guarantee_types=totals,
                persons_member_card=len(lines),
                persons_ss_card=0,
                split=PremiumSplit(
                    amount_fen=table.total_fen, city_fen=0, district_fen=0, grassroots_fen=table.total_fen
                ),
                pay_by=batch.voucher_due,
                coverage_start=batch.cover_start,
                coverage_end=batch.cover_end,
                handler_name=batch.handler_name,
                handler_phone_masked=batch.handler_phone_masked,
                handler_email=batch.handler_email,
                submitted_at=now,
                lines=part,
                version=1,
            ),  # fmt: skip
        )
