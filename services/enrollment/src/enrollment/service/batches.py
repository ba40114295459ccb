"""提交列表中的参保信息: the district union sends its to-submit list to the insurer, inside its window,
with the handler (经办人) → batch CB…, the district notice, `enrollment.batch.submitted` (chunks of ≤ 1,000
lines). From then on nothing in the batch can change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

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
from runtime.errors import DomainError
from runtime.identity import mask_phone
from runtime.pii import PiiCipher
from runtime.tokens import Principal

from ..domain import batches as rules
from ..domain import notices as notice_rules
from ..domain.coverage import LineState
from ..domain.split import Amounts
from ..domain.windows import WindowKind, check_open
from ..models import Batch, Enrollment, GuaranteeType, OrgRef, Submission
from ..schemas import BatchSubmitIn
from . import SOURCE, idempotency, notices, orgs
from .programmes import YearContext, load_year

NEXT_NUMBER = sa.text(
    "INSERT INTO batch_counter (day, last) VALUES (:day, 1) "
    "ON CONFLICT (day) DO UPDATE SET last = batch_counter.last + 1 RETURNING last"
)
PHONE_FIELD = "batch.handler_phone"


async def submit(
    session: AsyncSession, caller: Principal, data: BatchSubmitIn, key: str | None, cipher: PiiCipher,
    now: datetime, today: date,
) -> str:  # fmt: skip
    """The batch number (the first one again for a retried Idempotency-Key)."""
    handler = rules.check_handler(data.handler.name, data.handler.phone, data.handler.email)
    digest = idempotency.request_hash(data.model_dump(mode="json"))
    async with session.begin():
        if key and (done := await idempotency.recall(session, caller.user_id, key, digest)):
            return done
        district = await orgs.caller_district(session, caller)
        ctx = await load_year(session, data.programme, data.year)
        kind = data.enrollment_type
        check_open(
            ctx.windows, WindowKind.DISTRICT_SUBMIT if kind is EnrollmentType.COLLECTIVE else WindowKind.INSTANT, now
        )
        subs = await _staged(session, ctx.id, kind, district)
        if not subs:
            raise DomainError("batch.empty", "待提交参保列表中没有参保信息")
        batch = await _new_batch(session, caller, ctx, kind, district, subs, handler, cipher, today)
        await _freeze(session, ctx, kind, subs, batch.batch_no)
        by_type = await _by_type(session, batch.batch_no)
        await notices.store(
            session, notices.batch_owner(batch.batch_no), f"告知书-{batch.batch_no}.pdf",
            notice_rules.district_html(_district_notice(ctx, district, batch, by_type, today)),
        )  # fmt: skip
        await _publish(session, ctx, district, batch, by_type)
        if key:
            idempotency.remember(session, caller.user_id, key, digest, batch.batch_no)
    return batch.batch_no


async def _staged(session: AsyncSession, year_id: int, kind: EnrollmentType, district: OrgRef) -> list[Submission]:
    rows = await session.exec(
        select(Submission)
        .join(OrgRef, col(OrgRef.org_id) == col(Submission.org_id))
        .where(
            Submission.programme_year_id == year_id,
            Submission.enrollment_type == kind,
            Submission.state == LineState.STAGED,
            orgs.in_subtree(district.path),
        )
        .order_by(col(Submission.id))
        .with_for_update(of=Submission)
    )
    return list(rows)


def _sum(subs: Sequence[Submission]) -> Amounts:
    total = Amounts()
    for s in subs:
        total = total + Amounts(s.amount_fen, s.city_fen, s.district_fen, s.grassroots_fen)
    return total


async def _new_batch(
    session: AsyncSession, caller: Principal, ctx: YearContext, kind: EnrollmentType, district: OrgRef,
    subs: Sequence[Submission], handler: rules.Handler, cipher: PiiCipher, today: date,
) -> Batch:  # fmt: skip
    seq = (await session.exec(NEXT_NUMBER, params={"day": today})).scalar_one()  # type: ignore[call-overload]
    total, at = _sum(subs), datetime.now(UTC)
    collective = kind is EnrollmentType.COLLECTIVE
    batch = Batch(
        batch_no=rules.batch_no(today, int(seq)), programme_year_id=ctx.id, payer_org_id=district.org_id,
        enrollment_type=kind.value, persons=sum(s.persons for s in subs),
        persons_member_card=sum(s.persons for s in subs if s.channel == Channel.MEMBER_CARD),
        persons_ss_card=sum(s.persons for s in subs if s.channel == Channel.SS_CARD),
        amount_fen=total.amount_fen, city_fen=total.city_fen, district_fen=total.district_fen,
        grassroots_fen=total.grassroots_fen,
        pay_by=rules.pay_by(kind, today, ctx.row.collective_pay_by, ctx.row.instant_pay_days),
        coverage_start=ctx.period.start if collective else None, coverage_end=ctx.period.end,
        handler_name=handler.name, handler_phone_enc=cipher.encrypt(handler.phone, field=PHONE_FIELD),
        handler_phone_masked=mask_phone(handler.phone), handler_email=handler.email,
        state=rules.BatchState.AWAITING_PAYMENT,
        submitted_by=caller.user_id, submitted_at=at, updated_at=at,
    )  # fmt: skip
    session.add(batch)
    await session.flush()
    return batch


async def _freeze(
    session: AsyncSession, ctx: YearContext, kind: EnrollmentType, subs: Sequence[Submission], no: str
) -> None:
    ids, at = [s.id for s in subs], datetime.now(UTC)
    collective = kind is EnrollmentType.COLLECTIVE
    await session.exec(
        sa.update(Submission)
        .where(col(Submission.id).in_(ids))
        .values(state=LineState.WITH_INSURER, batch_no=no, updated_at=at)
    )
    await session.exec(
        sa.update(Enrollment)
        .where(col(Enrollment.submission_id).in_(ids))
        .values(
            state=LineState.WITH_INSURER,
            batch_no=no,
            updated_at=at,
            cover_start=ctx.period.start if collective else None,
            cover_end=ctx.period.end,
        )  # fmt: skip
    )


async def _by_type(session: AsyncSession, no: str) -> list[GuaranteeTotal]:
    rows = await session.exec(
        select(GuaranteeType, sa.func.count(), sa.func.sum(Enrollment.premium_fen))
        .join(Enrollment, col(Enrollment.guarantee_type_id) == col(GuaranteeType.id))
        .where(Enrollment.batch_no == no)
        .group_by(col(GuaranteeType.id))
        .order_by(col(GuaranteeType.sort), col(GuaranteeType.code))
    )
    return [
        GuaranteeTotal(code=t.code, name=t.name, premium_fen=t.premium_fen, persons=int(n), amount_fen=int(fen))
        for t, n, fen in rows
    ]


def _district_notice(
    ctx: YearContext, district: OrgRef, batch: Batch, by_type: list[GuaranteeTotal], today: date
) -> notice_rules.DistrictNotice:
    return notice_rules.DistrictNotice(
        district_name=district.name, batch_no=batch.batch_no, programme_name=ctx.programme.name, year=ctx.row.year,
        enrollment_type=EnrollmentType(batch.enrollment_type), persons_by_type=[(t.name, t.persons) for t in by_type],
        amounts=Amounts(batch.amount_fen, batch.city_fen, batch.district_fen, batch.grassroots_fen),
        pay_by=batch.pay_by, coverage_start=batch.coverage_start, coverage_end=batch.coverage_end,
        payee_name=ctx.row.payee_name, payee_account=ctx.row.payee_account, payee_bank=ctx.row.payee_bank,
        issuer=ctx.row.issuer_name, issued_on=today,
    )  # fmt: skip


async def _publish(
    session: AsyncSession, ctx: YearContext, district: OrgRef, batch: Batch, by_type: list[GuaranteeTotal]
) -> None:
    rows = await session.exec(
        select(Enrollment, GuaranteeType.code)
        .join(GuaranteeType, col(GuaranteeType.id) == col(Enrollment.guarantee_type_id))
        .where(Enrollment.batch_no == batch.batch_no)
        .order_by(col(Enrollment.id))
    )
    lines = [
        BatchLine(member_id=e.member_id, org_id=e.org_id, name=e.name, id_number_masked=e.id_number_masked,
                  channel=Channel(e.channel), guarantee_type=code, premium_fen=e.premium_fen)
        for e, code in rows
    ]  # fmt: skip
    parts = list(rules.chunks(lines))
    split = PremiumSplit(amount_fen=batch.amount_fen, city_fen=batch.city_fen, district_fen=batch.district_fen,
                         grassroots_fen=batch.grassroots_fen)  # fmt: skip
    for i, part in enumerate(parts):
        event = EnrollmentBatchSubmitted(
            batch_no=batch.batch_no, chunk=i, chunks=len(parts), lines_total=len(lines),
            payer_org_id=district.org_id, payer_org_name=district.name, programme=ctx.programme.code,
            programme_name=ctx.programme.name, year=ctx.row.year, enrollment_type=EnrollmentType(batch.enrollment_type),
            guarantee_types=by_type, persons_member_card=batch.persons_member_card,
            persons_ss_card=batch.persons_ss_card, split=split, pay_by=batch.pay_by,
            coverage_start=batch.coverage_start, coverage_end=batch.coverage_end, handler_name=batch.handler_name,
            handler_phone_masked=batch.handler_phone_masked, handler_email=batch.handler_email,
            submitted_at=batch.submitted_at, lines=part, version=batch.version,
        )  # fmt: skip
        outbox.record(session, SOURCE, event)
