"""清册校验 and 清册提交 with `domain.mutual_aid.roster`: retired and over-age rows, the change against
last year's insured count, the social-security ratio per 单位社保编码, the people the suggested roster did
not match — and one ID number once per insurance year across every unit's roster (a clash names the
occupying unit and its handler). The verdict is kept per row and for the batch: 【清册校验】 runs in the
background (`checks`) and ends in `conclude`.

清册提交 (with the 承诺书 accepted) checks again, then claims the roster's ID numbers for the year (a
partial unique index keeps two units from claiming one person at once) and fixes the cover: the year
for a collective batch, from the day after submission for an instant one (half-year prices when that
day is in January – June).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentType
from runtime.errors import DomainError
from runtime.identity import mask_id_number
from runtime.tokens import Principal

from ...domain.mutual_aid.batch import BatchAction, BatchStatus, check_roster_editable
from ...domain.mutual_aid.roster import (
    Clash,
    Employment,
    Insured,
    Occupant,
    Outcome,
    RosterCheck,
    check_not_occupied,
    check_roster,
    check_submission,
    clashes,
    percent_text,
)
from ...domain.mutual_aid.year import cover, priced_half_year
from ...models import MutualAidBatch, RosterRow
from ...schemas.mutual_aid import (
    ChangeOut,
    CheckOut,
    ClashOut,
    RatioOut,
    RemovalOut,
    SubmitIn,
    UnitRatioOut,
)
from . import attachments, batches, rosters, years
from .batches import Actor
from .vault import RosterVault

EMPTY = "参保清册中没有人员，请先添加参保人员"


@dataclass(frozen=True)
class Checked:
    check: RosterCheck
    clashes: list[Clash]
    people: list[Insured]
    rows: list[RosterRow]
    occupied: dict[str, Occupant]
    unit_names: dict[str, str]


async def conclude(
    session: AsyncSession, vault: RosterVault, batch: MutualAidBatch, actor: Actor, now: datetime,
    numbers: Mapping[int, str],
) -> CheckOut:  # fmt: skip
    """【清册校验】's verdict per row and for the batch (locked); rows to remove make it 清册校验不通过.
    `numbers`: the rows' ID numbers, opened beforehand."""
    check_roster_editable(BatchStatus(batch.status))
    checked = await _check(session, vault, batch, now, numbers)
    kinds = await attachments.kinds_of(session, batch.batch_no)
    result = _out(checked, batch, kinds, now)
    _mark_rows(checked)
    batch.check_summary, batch.checked_at = result.model_dump(mode="json"), now
    detail = {"outcome": result.outcome, "insured": result.insured, "removals": len(result.removals),
              "clashes": len(result.clashes)}  # fmt: skip
    if result.removals or result.clashes:
        batches.step(session, batch, BatchAction.CHECK_FAILED, actor, detail=detail)
    else:
        _passed_again(session, batch, actor, detail)
    return result


def _passed_again(session: AsyncSession, batch: MutualAidBatch, actor: Actor, detail: dict[str, int | str]) -> None:
    """A check with nothing to remove. After 清册校验不通过 the batch is back to 清册待校验 (ready for 清册提交),
    so its status no longer contradicts the result shown beside it."""
    before = BatchStatus(batch.status)
    after = BatchStatus.ROSTER_PENDING if before is BatchStatus.ROSTER_FAILED else None
    batches.record(session, batch.batch_no, "check", "清册校验", actor, before if after else None, after, detail=detail)
    if after is not None:
        batch.status = after
    batches.touch(session, batch)


async def submit(
    session: AsyncSession, caller: Principal, vault: RosterVault, no: str, data: SubmitIn, now: datetime
) -> None:
    """【清册提交】 → 清册校验通过, or 职保会待审核 with the attachments the check asked for."""
    try:
        async with session.begin():
            batch = await batches.owned(session, caller, no)
            check_roster_editable(BatchStatus(batch.status))
            await batches.check_not_checking(session, no, "提交清册")
            kind = EnrollmentType(batch.enrollment_type)
            year = await years.of_batch(session, batch.programme_year_id)
            year.check_window(kind, now)
            checked = await _check(session, vault, batch, now, {})
            check_not_occupied(checked.people, checked.occupied)
            _check_names_confirmed(checked.rows)
            kinds = await attachments.kinds_of(session, no)
            action = check_submission(
                checked.check,
                people_confirmed=data.people_confirmed or attachments.AttachmentKind.COMMITMENT in kinds,
                commitment_accepted=data.commitment_accepted,
                evidence_uploaded=attachments.evidence_kind(checked.check.new_unit) in kinds,
            )
            start, end = cover(kind, year.ctx.period, now)
            result = _out(checked, batch, kinds, now)
            _mark_rows(checked)
            batch.check_summary, batch.checked_at = result.model_dump(mode="json"), now
            batch.roster_submitted_at, batch.cover_start, batch.cover_end = now, start, end
            batch.half_year = priced_half_year(kind, start, year.ctx.period)
            await session.exec(sa.update(RosterRow).where(col(RosterRow.batch_no) == no).values(claimed=True))
            batches.step(session, batch, action, Actor.of(caller), detail={
                "insured": result.insured, "evidence": result.evidence, "people_confirmed": data.people_confirmed,
                "cover_start": start.isoformat(),
            })  # fmt: skip
    except IntegrityError:
        # another unit claimed one of these people between our check and our claim
        raise DomainError("roster.id_occupied", "清册中有人员刚被其他单位提交参保，请重新校验清册") from None


async def _check(
    session: AsyncSession, vault: RosterVault, batch: MutualAidBatch, now: datetime, numbers: Mapping[int, str]
) -> Checked:
    rows = list(
        await session.exec(
            select(RosterRow).where(RosterRow.batch_no == batch.batch_no).order_by(col(RosterRow.id)).with_for_update()
        )
    )
    if not rows:
        raise DomainError("roster.empty", EMPTY)
    year = await years.of_batch(session, batch.programme_year_id)
    people = [_insured(r, numbers.get(_id(r)) or vault.open_id(r.id_enc)) for r in rows]
    period = year.ctx.period
    as_of = rosters.as_of(batch, period.start, period.end, now.date())
    last = await rosters.last_year_insured(session, year.ctx.row.year, batch.code)
    units = await years.headcounts_of(session, year.ctx.id, sorted({r.unit_code for r in rows if r.unit_code}))
    check = check_roster(people, year.roster_rules, as_of, last, {c: u.headcount for c, u in units.items()})
    occupied = await _occupied(session, vault, batch, rows, people)
    names = {c: u.unit_name for c, u in units.items()}
    return Checked(check, clashes(people, occupied), people, rows, occupied, names)


def _check_names_confirmed(rows: Sequence[RosterRow]) -> None:
    """【姓名匹配异常，请人工确认】 comes before 清册提交."""
    names = [r.name for r in rows if r.name_options]
    if names:
        shown = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
        raise DomainError(
            "roster.names_unconfirmed", f"{shown}{len(names)}人姓名匹配异常，请先人工确认姓名", count=len(names)
        )


def _insured(row: RosterRow, number: str) -> Insured:
    return Insured(
        row.name, number, row.gender, row.birth_date, Employment(row.employment), row.has_social_security,
        row.unit_code, row.over_age_kept,
    )  # fmt: skip


async def _occupied(
    session: AsyncSession, vault: RosterVault, batch: MutualAidBatch, rows: Sequence[RosterRow],
    people: Sequence[Insured],
) -> dict[str, Occupant]:  # fmt: skip
    """This roster's people already claimed this year by another batch (any unit), with that unit's handler."""
    number_of = {r.id_digest: p.id_number for r, p in zip(rows, people, strict=True)}
    found = await session.exec(
        select(RosterRow.id_digest, MutualAidBatch)
        .join(MutualAidBatch, col(MutualAidBatch.batch_no) == col(RosterRow.batch_no))
        .where(
            RosterRow.programme_year_id == batch.programme_year_id,
            col(RosterRow.claimed),
            RosterRow.batch_no != batch.batch_no,
            col(RosterRow.id_digest).in_(list(number_of)),
        )
    )
    return {
        number_of[digest]: Occupant(
            other.unit_name, other.handler_name, vault.open_handler_phone(other.handler_phone_enc)
        )
        for digest, other in found
    }


def _mark_rows(checked: Checked) -> None:
    """Each row's verdict: 退休 / 超龄 (remove, or tick 社保尚在缴金) or the clash; empty when fine."""
    verdict = {r.person.id_number: r.reason for r in checked.check.removals}
    verdict |= {c.id_number: c.message[:200] for c in checked.clashes}
    for row, person in zip(checked.rows, checked.people, strict=True):
        row.problem = verdict.get(person.id_number, "")


def _out(checked: Checked, batch: MutualAidBatch, kinds: set[str], now: datetime) -> CheckOut:
    check = checked.check
    row_of = {p.id_number: r for r, p in zip(checked.rows, checked.people, strict=True)}
    outcome = Outcome.FAILED if checked.clashes else check.outcome
    change = check.change
    ratio = check.ratio
    return CheckOut(
        outcome=outcome.value, insured=check.insured,
        removals=[
            RemovalOut(row_id=_id(row_of[r.person.id_number]), name=r.person.name,
                       id_number=mask_id_number(r.person.id_number), id_type=row_of[r.person.id_number].id_type,
                       gender=r.person.gender, reason=r.reason)
            for r in check.removals
        ],
        clashes=[
            ClashOut(row_id=_id(row_of[c.id_number]), name=c.name, id_number=mask_id_number(c.id_number),
                     unit_name=c.occupant.unit_name, handler_name=c.occupant.handler_name,
                     handler_phone=c.occupant.handler_phone, message=c.message)
            for c in checked.clashes
        ],
        change=None if change is None else ChangeOut(
            last=change.last, this=change.this, percent=_signed(change.ratio), within=check.change_within
        ),
        ratio=None if ratio is None else RatioOut(
            units=[_unit(u.unit_code, checked.unit_names, u.insured, u.headcount, u.percent) for u in ratio.units],
            overall=_unit("", {}, ratio.overall.insured, ratio.overall.headcount, ratio.overall.percent),
            required_min_pct=ratio.required_min_pct, max_pct=ratio.max_pct, within=ratio.within,
        ),
        new_unit=check.new_unit, unmatched=check.unmatched, evidence=check.evidence,
        evidence_uploaded=attachments.evidence_kind(check.new_unit) in kinds, checked_at=now,
    )  # fmt: skip


def _signed(ratio: Fraction) -> str:
    """(last − this) / last as the screen shows it: a roster that grew is negative."""
    return ("-" if ratio < 0 else "") + percent_text(abs(ratio))


def _unit(code: str, names: dict[str, str], insured: int, headcount: int, percent: str) -> UnitRatioOut:
    return UnitRatioOut(unit_code=code, unit_name=names.get(code, ""), insured=insured, headcount=headcount,
                        percent=percent)  # fmt: skip


def _id(row: RosterRow) -> int:
    assert row.id is not None
    return row.id
