"""提交职保会审核 and the insurer's review — manual 003, 三(三)4 and 职保会审核（审核不通过，反馈原因）.

The ratio table per 单位社保编码 (社保人数, 参保人数, 已参保人数, 参保比例) with its material, the people
without social security and their 情形; 【信息确认无误，提交职保会审核】 once nothing is wrong, which claims the
people's ID numbers for the year; the insurer approves or returns the batch with reasons (per code too),
each recorded in the operation log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentType
from runtime.errors import DomainError
from runtime.tokens import Principal

from ...domain.retiree.batch import BatchAction, BatchStatus, transition
from ...domain.retiree.roster import (
    ANOMALIES,
    UNANSWERED,
    CheckResult,
    Insured,
    RatioLine,
    check_ready_for_review,
    evidence_missing,
    ratio_lines,
)
from ...domain.retiree.year import check_kind_open, is_new_retiree
from ...models import RetireeAttachment, RetireeBatch, RetireePerson
from ...schemas.retiree import RejectIn, ReviewLine
from . import batches, years
from .batches import Actor
from .years import YearData

EVIDENCE = "参保比例佐证材料"


async def lines(session: AsyncSession, batch: RetireeBatch, year: YearData) -> list[RatioLine]:
    rows = (
        await session.exec(
            select(RetireePerson.ss_unit_code, RetireePerson.retirement_month).where(
                RetireePerson.batch_no == batch.batch_no, col(RetireePerson.found),
                col(RetireePerson.ss_unit_code).is_not(None),
            )
        )
    ).all()  # fmt: skip
    start = year.ctx.period.start
    people = [Insured(code, is_new_retiree(month, start)) for code, month in rows]
    codes = sorted({code for code, _ in rows if code})
    counts = await years.headcounts_of(session, batch.programme_year_id, codes)
    already = await already_insured(session, batch, codes)
    return ratio_lines(people, {c: h.headcount for c, h in counts.items()}, already)


async def occupied(session: AsyncSession, year_id: int, no: str, digests: Sequence[bytes]) -> dict[bytes, str]:
    """This year's ID numbers already claimed by another batch: digest → that batch's unit."""
    if not digests:
        return {}
    rows = await session.exec(
        select(RetireePerson.id_digest, RetireeBatch.unit_name)  # type: ignore[call-overload]
        .join(RetireeBatch, col(RetireeBatch.batch_no) == col(RetireePerson.batch_no))
        .where(
            RetireePerson.programme_year_id == year_id, col(RetireePerson.claimed), RetireePerson.batch_no != no,
            col(RetireePerson.id_digest).in_(list(digests)),
        )
    )  # fmt: skip
    return dict(rows.all())


async def already_insured(session: AsyncSession, batch: RetireeBatch, codes: list[str]) -> dict[str, int]:
    """已参保人数: people of the code claimed this year by other batches (any unit)."""
    if not codes:
        return {}
    rows = await session.exec(
        select(RetireePerson.ss_unit_code, sa.func.count())  # type: ignore[call-overload]
        .where(
            RetireePerson.programme_year_id == batch.programme_year_id, col(RetireePerson.claimed),
            RetireePerson.batch_no != batch.batch_no, col(RetireePerson.ss_unit_code).in_(codes),
        )
        .group_by(col(RetireePerson.ss_unit_code))
    )  # fmt: skip
    return {code: int(n) for code, n in rows.all()}


async def evidenced_codes(session: AsyncSession, no: str) -> set[str]:
    rows = await session.exec(
        select(RetireeAttachment.unit_code).where(RetireeAttachment.batch_no == no, RetireeAttachment.kind == EVIDENCE)
    )
    return {c for c in rows.all() if c}


async def unclassed(session: AsyncSession, no: str) -> int:
    found = await session.exec(
        select(sa.func.count()).select_from(RetireePerson).where(
            RetireePerson.batch_no == no, RetireePerson.check_result == CheckResult.NOT_FOUND,
            col(RetireePerson.no_ss_class).is_(None),
        )
    )  # fmt: skip
    return int(found.one())


async def result_counts(session: AsyncSession, no: str) -> dict[str, int]:
    rows = await session.exec(
        select(RetireePerson.check_result, sa.func.count())  # type: ignore[call-overload]
        .where(RetireePerson.batch_no == no)
        .group_by(col(RetireePerson.check_result))
    )
    return {r: int(n) for r, n in rows.all()}


# --- 提交职保会审核 ---------------------------------------------------------------------------------------------


async def submit(session: AsyncSession, caller: Principal, no: str, now: datetime) -> None:
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        transition(BatchStatus(batch.status), BatchAction.SUBMIT_REVIEW)  # refuses before any work
        year = await years.of_batch(session, batch.programme_year_id)
        check_kind_open(year.ctx.windows, EnrollmentType(batch.enrollment_type), now)
        counts = await result_counts(session, no)
        check_ready_for_review(
            persons=sum(counts.values()),
            unanswered=sum(n for r, n in counts.items() if CheckResult(r) in UNANSWERED),
            anomalies=sum(n for r, n in counts.items() if CheckResult(r) in ANOMALIES),
            missing=evidence_missing(await lines(session, batch, year), year.rules.ratio_min_pct,
                                     await evidenced_codes(session, no)),
            unclassed=await unclassed(session, no),
        )  # fmt: skip
        await claim(session, batch)
        batch.review_submitted_at, batch.review_reason, batch.review_lines = now, None, None
        batches.step(session, batch, BatchAction.SUBMIT_REVIEW, Actor.of(caller),
                     detail={"persons": sum(counts.values())})  # fmt: skip


async def claim(session: AsyncSession, batch: RetireeBatch) -> None:
    """一个证件号码一个保障年度只参保一次: the people are this batch's for the year from now on."""
    rows = list(await session.exec(select(RetireePerson).where(RetireePerson.batch_no == batch.batch_no,
                                                                sa.not_(col(RetireePerson.claimed)))))  # fmt: skip
    taken = await occupied(session, batch.programme_year_id, batch.batch_no, [r.id_digest for r in rows])
    if taken:
        clashes = [{"id_number": r.id_masked, "name": r.name, "unit_name": taken[r.id_digest]}
                   for r in rows if r.id_digest in taken]  # fmt: skip
        first = clashes[0]
        raise DomainError(
            "roster.id_occupied",
            f"{first['name']}（{first['id_number']}）本年度已在{first['unit_name']}参保，同一证件号码在一个保障年度只能参保一次",
            clashes=clashes,
        )
    try:
        async with session.begin_nested():
            await session.exec(
                sa.update(RetireePerson).where(col(RetireePerson.batch_no) == batch.batch_no).values(claimed=True)
            )
    except IntegrityError:  # claimed by another batch at the same moment
        raise DomainError("roster.id_occupied", "名单中有人员本年度已在其他单位参保，请刷新后重试") from None


# --- 职保会审核 --------------------------------------------------------------------------------------------------


async def queue(session: AsyncSession, page: int, size: int) -> tuple[list[RetireeBatch], int]:
    where = RetireeBatch.status == BatchStatus.REVIEW
    total = (await session.exec(select(sa.func.count()).select_from(RetireeBatch).where(where))).one()
    rows = await session.exec(
        select(RetireeBatch)
        .where(where)
        .order_by(col(RetireeBatch.review_submitted_at), col(RetireeBatch.batch_no))
        .offset((page - 1) * size)
        .limit(size)
    )
    return list(rows), int(total)


async def approve(session: AsyncSession, caller: Principal, no: str) -> None:
    async with session.begin():
        batch = await batches.locked(session, no)
        batches.step(session, batch, BatchAction.APPROVE, Actor.of(caller))
        batch.reviewed_by, batch.reviewed_at, batch.review_reason, batch.review_lines = (
            caller.user_id, datetime.now(UTC), None, None,
        )  # fmt: skip


async def reject(session: AsyncSession, caller: Principal, no: str, data: RejectIn) -> None:
    """审核不通过 with the reason (and per code: "查看不通过原因"); the unit fixes and submits again."""
    lines_ = [ReviewLine(unit_code=line.unit_code.strip(), reason=line.reason.strip()) for line in data.lines]
    async with session.begin():
        batch = await batches.locked(session, no)
        batches.step(session, batch, BatchAction.REJECT, Actor.of(caller), data.reason,
                     detail={"lines": [line.model_dump() for line in lines_]} if lines_ else None)  # fmt: skip
        batch.review_reason, batch.review_lines = data.reason.strip(), [line.model_dump() for line in lines_]
        batch.reviewed_by, batch.reviewed_at = caller.user_id, datetime.now(UTC)
