"""Pension withholding (委托代扣): each chunk of a request decides its people's deductions when it
arrives and schedules its report for the deduction day; the scheduler publishes the report. The same
chunk and version delivered again changes nothing; a newer version is answered again with what was
decided the first time (the bank deducts once per request and person)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.retiree import BankWithholdingReported, RetireeWithholdingRequested, WithholdingOutcome
from runtime import outbox
from runtime.clock import Clock
from runtime.logs import get_logger
from runtime.pii import PartnerSeal

from ..domain.withholding import deduct, deduction_day, due_at
from ..models import WithholdingReport, WithholdingRequest, WithholdingResult
from . import SOURCE

log = get_logger(__name__)


class Withholding:
    def __init__(self, seal: PartnerSeal, clock: Clock, *, wait_for_pension_day: bool, reports_per_pass: int) -> None:
        self.seal, self.clock = seal, clock
        self.wait_for_pension_day, self.reports_per_pass = wait_for_pension_day, reports_per_pass

    async def on_requested(self, session: AsyncSession, event: RetireeWithholdingRequested, _: Envelope) -> None:
        now, today = self.clock.now(), self.clock.today()
        deducted_on = await self._take_request(session, event, now)
        chunk = {
            "request_no": event.request_no,
            "version": event.version,
            "chunk": event.chunk,
            "subject_ids": [p.subject_id for p in event.people],
            "due_at": due_at(deducted_on, now),
        }
        taken = await session.exec(
            insert(WithholdingReport).values(**chunk).on_conflict_do_nothing().returning(col(WithholdingReport.chunk))
        )
        if taken.first() is None:
            log.info("bank.withholding_repeated", request_no=event.request_no, version=event.version, chunk=event.chunk)
            return
        # A seal that does not open is a key mismatch: the error dead-letters the chunk, to be
        # replayed once PARTNER_SEAL_KEY is right.
        amount = event.amount_fen
        decided = [(p.subject_id, deduct(p.id_type, self.seal.open(p.id_sealed), amount, today)) for p in event.people]
        if decided:
            rows = [
                {"request_no": event.request_no, "subject_id": subject_id, **asdict(deduction)}
                for subject_id, deduction in decided
            ]
            # The first decision stands: a newer version re-reports it rather than deducting again.
            await session.exec(insert(WithholdingResult).values(rows).on_conflict_do_nothing())
        failed = sum(not d.success for _, d in decided)
        log.info(
            "bank.withholding_taken",
            request_no=event.request_no,
            version=event.version,
            chunk=event.chunk,
            people=len(decided),
            failed=failed,
            deducted_on=deducted_on.isoformat(),
        )

    async def publish_due(self, session: AsyncSession, now: datetime) -> int:
        """Publish the reports of due chunks (the scheduler's step for withholding)."""
        rows = (
            await session.exec(
                select(WithholdingReport)
                .where(col(WithholdingReport.answered_at).is_(None), col(WithholdingReport.due_at) <= now)
                .order_by(col(WithholdingReport.due_at))
                .limit(self.reports_per_pass)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for row in rows:
            outbox.record(session, SOURCE, await self._report(session, row))
            row.answered_at = now
            session.add(row)
        return len(rows)

    async def _take_request(self, session: AsyncSession, event: RetireeWithholdingRequested, now: datetime) -> date:
        """The request's row, created when first seen; returns its deduction day (fixed then)."""
        first = {
            "request_no": event.request_no,
            "batch_no": event.batch_no,
            "code": event.code,
            "amount_fen": event.amount_fen,
            "pension_day": event.pension_day,
            "deducted_on": deduction_day(
                event.pension_day, self.clock.today(), wait_for_pension_day=self.wait_for_pension_day
            ),
            "version": event.version,
            "received_at": now,
        }
        stmt = insert(WithholdingRequest).values(**first)
        stmt = stmt.on_conflict_do_update(
            index_elements=["request_no"],
            set_={"version": func.greatest(WithholdingRequest.version, stmt.excluded.version)},
        ).returning(col(WithholdingRequest.deducted_on))
        return (await session.exec(stmt)).one()[0]

    async def _report(self, session: AsyncSession, row: WithholdingReport) -> BankWithholdingReported:
        request = await session.get(WithholdingRequest, row.request_no)
        assert request is not None  # written in the same transaction as the report row
        results = (
            await session.exec(
                select(WithholdingResult).where(
                    col(WithholdingResult.request_no) == row.request_no,
                    col(WithholdingResult.subject_id).in_(row.subject_ids),
                )
            )
        ).all()
        by_subject = {r.subject_id: r for r in results}
        outcomes = [
            WithholdingOutcome(subject_id=s, success=r.success, amount_fen=r.amount_fen, reason=r.reason)
            for s in row.subject_ids
            if (r := by_subject.get(s)) is not None
        ]
        return BankWithholdingReported(
            request_no=row.request_no,
            batch_no=request.batch_no,
            deducted_on=request.deducted_on,
            outcomes=outcomes,
            version=row.version,
        )
