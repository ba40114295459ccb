"""What the pages show: a batch with its step, the caller's actions, counts, validation and withholding
progress and the money; the people with their 校验结果, 代扣类型 and 代扣结果; the ratio table."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentType
from runtime.tokens import Principal, Tier

from ...domain.retiree import batch as rules
from ...domain.retiree.batch import BatchStatus
from ...domain.retiree.roster import (
    ANOMALIES,
    UNANSWERED,
    CheckResult,
    Withholdable,
    WithholdingResult,
    evidence_missing,
    is_anomaly,
)
from ...domain.retiree.year import covered_from, is_new_retiree
from ...models import ProgrammeYear, RetireeBatch, RetireeOperation, RetireePerson
from ...schemas.retiree import (
    BatchOut,
    Counts,
    MoneyOut,
    OperationOut,
    PersonOut,
    RatioLineOut,
    RatiosOut,
    ReviewLine,
    ValidationOut,
    WithholdingOut,
    WithoutSsOut,
)
from . import attachments, batches, billing, documents, notices, people, review, years
from .years import YearData


async def one(session: AsyncSession, caller: Principal, no: str) -> BatchOut:
    return await out(session, caller, await batches.visible(session, caller, no))


async def out(session: AsyncSession, caller: Principal, batch: RetireeBatch) -> BatchOut:
    year = await years.of_batch(session, batch.programme_year_id)
    status = BatchStatus(batch.status)
    mode = batches.mode_of(batch)
    counts = await _counts(session, batch)
    figures = await billing.money_of(session, batch, year)
    if batch.roster_confirmed_at is not None:  # fixed when the roster went to billing
        figures = type(figures)(batch.persons, year.rules.premium_fen, batch.withheld_persons, batch.withheld_fen)
    actions: list[str] = []
    if batches.works(caller, batch) and caller.tier is not Tier.SYSTEM:
        actions = rules.unit_actions(status, batch.unit_confirmed_at is not None, mode)
    if caller.tier in (Tier.INSURER, Tier.ADMIN):
        actions += rules.insurer_actions(status)
    step = rules.step(status, batch.unit_confirmed_at is not None, mode, counts.anomalies)
    kind = EnrollmentType(batch.enrollment_type)
    return BatchOut(
        batch_no=batch.batch_no, year=year.ctx.row.year, enrollment_type=kind, code=batch.code,
        unit_name=batch.unit_name, uscc=batch.uscc, status=status.value, step=step, step_label=rules.STEP_LABELS[step],
        actions=actions, payment_mode=mode, withholding_amount_fen=batch.withholding_amount_fen,
        entrustment_attachment_id=batch.entrustment_attachment_id, unit_confirmed_at=batch.unit_confirmed_at,
        counts=counts,
        validation=ValidationOut(
            requested=batch.validation_requested, answered=batch.validation_answered,
            percent=_percent(batch.validation_answered, batch.validation_requested),
            requested_at=batch.validation_requested_at,
        ) if batch.validation_requested_at else None,
        review_reason=batch.review_reason, review_lines=[ReviewLine(**line) for line in batch.review_lines or []],
        withholding=await _withholding(session, batch, year),
        withholding_slip_from=documents.withholding_slip_from(batch),
        money=MoneyOut(persons=figures.persons, premium_fen=figures.premium_fen, amount_fen=figures.amount_fen,
                       withheld_persons=figures.withheld_persons, withheld_fen=figures.withheld_fen,
                       unit_paid_persons=figures.unit_paid_persons, unit_owes_fen=figures.unit_owes_fen),
        cover_start=batch.cover_start, cover_end=batch.cover_end,
        covered_from=covered_from(kind, batch.cover_start, year.rules.waiting_days) if batch.cover_start else None,
        payable_no=batch.payable_no, voucher_no=batch.voucher_no, paid_amount_fen=batch.paid_amount_fen,
        completed_at=batch.completed_at, handler_name=batch.handler_name, handler_phone=batch.handler_phone_masked,
        handler_email=batch.handler_email, created_at=batch.created_at, updated_at=batch.updated_at,
        version=batch.version,
    )  # fmt: skip


def _percent(answered: int, requested: int) -> int:
    return 100 if not requested else answered * 100 // requested


async def _counts(session: AsyncSession, batch: RetireeBatch) -> Counts:
    by_result = await review.result_counts(session, batch.batch_no)
    c = Counts(persons=sum(by_result.values()))
    c.unchecked = sum(n for r, n in by_result.items() if CheckResult(r) in UNANSWERED)
    c.anomalies = sum(n for r, n in by_result.items() if CheckResult(r) in ANOMALIES)
    c.passed = sum(by_result.get(r.value, 0) for r in (CheckResult.PASSED, CheckResult.RETIREMENT_EDITED,
                                                       CheckResult.NAME_CONFIRMED))  # fmt: skip
    c.name_mismatch = by_result.get(CheckResult.NAME_MISMATCH.value, 0)
    c.deceased = by_result.get(CheckResult.DECEASED.value, 0)
    c.retirement_missing = by_result.get(CheckResult.RETIREMENT_MISSING.value, 0)
    c.not_found = by_result.get(CheckResult.NOT_FOUND.value, 0)
    c.check_failed = by_result.get(CheckResult.FAILED.value, 0)
    if batch.payment_mode:
        rows = await session.exec(select(RetireePerson).where(RetireePerson.batch_no == batch.batch_no))
        kinds = [people.withholdable(r, batch) for r in rows]
        c.withholdable = sum(1 for k in kinds if k is Withholdable.YES)
        c.not_withholdable = sum(1 for k in kinds if k is Withholdable.NO)
    return c


async def _withholding(session: AsyncSession, batch: RetireeBatch, year: YearData) -> WithholdingOut | None:
    if batch.withholding_request_no is None:
        return None
    rows = await session.exec(
        select(RetireePerson.withholding_result, sa.func.count())  # type: ignore[call-overload]
        .where(RetireePerson.batch_no == batch.batch_no, col(RetireePerson.withholding_result).is_not(None))
        .group_by(col(RetireePerson.withholding_result))
    )
    counts = {r: int(n) for r, n in rows.all()}
    return WithholdingOut(
        request_no=batch.withholding_request_no, requested=batch.withholding_requested,
        succeeded=counts.get(WithholdingResult.SUCCEEDED.value, 0),
        failed=counts.get(WithholdingResult.FAILED.value, 0),
        pending=counts.get(WithholdingResult.PENDING.value, 0), amount_fen=batch.withholding_amount_fen or 0,
        pension_day=year.rules.pension_day, requested_at=batch.withholding_requested_at, deducted_on=batch.deducted_on,
        notified_at=await notices.notified_at(session, batch.batch_no),
    )  # fmt: skip


@dataclass(frozen=True)
class BatchFilter:
    year: int | None = None
    enrollment_type: EnrollmentType | None = None
    status: str | None = None
    batch_no: str | None = None
    code: str | None = None
    unit_name: str | None = None


async def search(session: AsyncSession, caller: Principal, f: BatchFilter, page: int, size: int
                 ) -> tuple[list[BatchOut], int]:  # fmt: skip
    query = select(RetireeBatch)
    if (scope := batches.readable(caller)) is not None:
        query = query.where(scope)
    if f.year is not None:
        query = query.join(ProgrammeYear, col(ProgrammeYear.id) == col(RetireeBatch.programme_year_id)).where(
            ProgrammeYear.year == f.year
        )
    if f.enrollment_type is not None:
        query = query.where(RetireeBatch.enrollment_type == f.enrollment_type.value)
    if f.status:
        query = query.where(RetireeBatch.status == f.status)
    if f.batch_no:
        query = query.where(col(RetireeBatch.batch_no).startswith(f.batch_no.strip()))
    if f.code:
        query = query.where(RetireeBatch.code == f.code.strip())
    if f.unit_name:
        query = query.where(col(RetireeBatch.unit_name).contains(f.unit_name.strip()))
    total = (await session.exec(select(sa.func.count()).select_from(query.subquery()))).one()
    rows = await session.exec(
        query.order_by(col(RetireeBatch.updated_at).desc(), col(RetireeBatch.batch_no))
        .offset((page - 1) * size)
        .limit(size)
    )
    return [await out(session, caller, b) for b in rows.all()], int(total)


def operation_out(o: RetireeOperation) -> OperationOut:
    return OperationOut(action=o.action, label=o.label, from_status=o.from_status, to_status=o.to_status,
                        reason=o.reason, detail=o.detail, actor_id=o.actor_id, actor_tier=o.actor_tier,
                        at=o.at)  # fmt: skip


# --- people -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFilter:
    name: str | None = None
    id_digest: bytes | None = None
    check_result: str | None = None
    anomaly: bool | None = None
    withholdable: str | None = None
    withholding_result: str | None = None
    without_ss: bool | None = None


async def list_people(session: AsyncSession, caller: Principal, no: str, f: PersonFilter, page: int, size: int
                      ) -> tuple[list[PersonOut], int]:  # fmt: skip
    batch = await batches.visible(session, caller, no)
    year = await years.of_batch(session, batch.programme_year_id)
    query = select(RetireePerson).where(RetireePerson.batch_no == no)
    if f.name:
        query = query.where(col(RetireePerson.name).contains(f.name.strip()))
    if f.id_digest is not None:  # the number is sealed: found by its blind index
        query = query.where(RetireePerson.id_digest == f.id_digest)
    if f.check_result:
        query = query.where(RetireePerson.check_result == f.check_result)
    if f.anomaly is not None:
        labels = [r.value for r in ANOMALIES]
        query = query.where(col(RetireePerson.check_result).in_(labels) if f.anomaly
                            else col(RetireePerson.check_result).not_in(labels))  # fmt: skip
    if f.withholding_result:
        query = query.where(RetireePerson.withholding_result == f.withholding_result)
    if f.without_ss is not None:
        cond = RetireePerson.check_result == CheckResult.NOT_FOUND
        query = query.where(cond if f.without_ss else sa.not_(cond))
    rows = list(await session.exec(query.order_by(col(RetireePerson.id))))
    if f.withholdable:  # derived from the mode and the answer: filtered here
        rows = [r for r in rows if people.withholdable(r, batch).value == f.withholdable]
    names = await _unit_names(session, batch, rows)
    part = rows[(page - 1) * size : page * size]
    return [await person_out(session, batch, year, r, names) for r in part], len(rows)


async def _unit_names(session: AsyncSession, batch: RetireeBatch, rows: list[RetireePerson]) -> dict[str, str]:
    codes = sorted({r.ss_unit_code for r in rows if r.ss_unit_code})
    found = await years.headcounts_of(session, batch.programme_year_id, codes)
    return {c: h.unit_name for c, h in found.items()}


async def person_out(session: AsyncSession, batch: RetireeBatch, year: YearData, r: RetireePerson,
                     names: dict[str, str] | None = None) -> PersonOut:  # fmt: skip
    assert r.id is not None
    if names is None:
        names = await _unit_names(session, batch, [r])
    result = CheckResult(r.check_result)
    return PersonOut(
        id=r.id, name=r.name, ss_name=r.ss_name, id_type=r.id_type, id_number=r.id_masked, birth_date=r.birth_date,
        gender=r.gender, phone=r.phone_masked, phone_valid=r.phone_valid, source=r.source,
        check_result=result.value, anomaly=is_anomaly(result), ss_found=r.found, ss_unit_code=r.ss_unit_code,
        ss_unit_name=names.get(r.ss_unit_code or "", ""), retired=r.retired, retirement_month=r.retirement_month,
        medical_insured=r.medical_insured, withholdable=people.withholdable(r, batch).value,
        new_retiree=is_new_retiree(r.retirement_month, year.ctx.period.start), no_ss_class=r.no_ss_class,
        no_ss_remark=r.no_ss_remark, no_ss_attachment_id=r.no_ss_attachment_id,
        withholding_result=r.withholding_result, withholding_amount_fen=r.withholding_amount_fen,
        withholding_reason=r.withholding_reason, premium_fen=r.premium_fen, cover_start=batch.cover_start,
        cover_end=batch.cover_end,
    )  # fmt: skip


# --- the ratio table ----------------------------------------------------------------------------------------


async def ratios(session: AsyncSession, caller: Principal, no: str) -> RatiosOut:
    batch = await batches.visible(session, caller, no)
    year = await years.of_batch(session, batch.programme_year_id)
    found = await review.lines(session, batch, year)
    min_pct = year.rules.ratio_min_pct
    files = [f for f in await attachments.of_batch(session, no) if f.kind == review.EVIDENCE and f.unit_code]
    names = await years.headcounts_of(session, batch.programme_year_id, [line.unit_code for line in found])
    reasons = {line["unit_code"]: line["reason"] for line in batch.review_lines or []}
    without = list(
        await session.exec(
            select(RetireePerson)
            .where(RetireePerson.batch_no == no, RetireePerson.check_result == CheckResult.NOT_FOUND)
            .order_by(col(RetireePerson.id))
        )
    )
    missing = evidence_missing(found, min_pct, {f.unit_code for f in files if f.unit_code})
    open_classes = sum(1 for p in without if p.no_ss_class is None)
    editable = BatchStatus(batch.status) in (BatchStatus.VALIDATED, BatchStatus.REJECTED)
    return RatiosOut(
        min_pct=min_pct,
        lines=[
            RatioLineOut(
                unit_code=line.unit_code, unit_name=names[line.unit_code].unit_name if line.unit_code in names else "",
                headcount=line.headcount, insured=line.insured, already_insured=line.already_insured,
                percent=line.percent, below_min=line.below(min_pct), new_retirees_only=line.new_retirees_only,
                evidence_required=line.evidence_required(min_pct),
                evidence=[attachments.out(f) for f in files if f.unit_code == line.unit_code],
                review_reason=reasons.get(line.unit_code),
            )
            for line in found
        ],
        without_ss=WithoutSsOut(insured=len(without), people=[await person_out(session, batch, year, p)
                                                              for p in without]),
        evidence_missing=missing, unclassed=open_classes, ready=editable and not missing and not open_classes,
    )  # fmt: skip
