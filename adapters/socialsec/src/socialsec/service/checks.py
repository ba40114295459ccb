"""Checks: a request is answered from the register when it arrives and kept until its report is due;
the scheduler then publishes it in chunks. The same request version is answered once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.socialsec import CheckResult, CheckSubject, SocialsecCheckReported, SocialsecCheckRequested
from runtime import outbox
from runtime.clock import Clock
from runtime.logs import get_logger
from runtime.pii import PartnerSeal

from ..domain.answers import answer, failed, fails_temporarily
from ..domain.draws import draw
from ..domain.register import Register
from ..models import PendingReport
from . import SOURCE

log = get_logger(__name__)


@dataclass(frozen=True)
class Timing:
    latency_seconds: float
    jitter_seconds: float
    failure_rate: float
    report_chunk: int
    requests_per_pass: int


class Checking:
    def __init__(self, register: Register, seal: PartnerSeal, clock: Clock, timing: Timing) -> None:
        self.register, self.seal, self.clock, self.timing = register, seal, clock, timing

    async def on_requested(self, session: AsyncSession, event: SocialsecCheckRequested, _: Envelope) -> None:
        today, now = self.clock.today(), self.clock.now()
        results = [self._result(event, subject, today) for subject in event.subjects]
        row = {
            "request_id": event.request_id,
            "version": event.version,
            "requester": event.requester,
            "subjects": len(results),
            "results": [r.model_dump(mode="json") for r in results],
            "received_at": now,
            "due_at": now + self._latency(event),
        }
        stmt = insert(PendingReport).values(**row).on_conflict_do_nothing().returning(col(PendingReport.version))
        stored = await session.exec(stmt)
        if stored.first() is None:
            log.info("socialsec.request_repeated", request_id=event.request_id, version=event.version)
            return
        log.info("socialsec.request_taken", request_id=event.request_id, version=event.version, subjects=len(results))

    async def publish_due(self, session: AsyncSession, now: datetime) -> int:
        """Publish the reports of due requests (the scheduler's step), then forget their results."""
        rows = (
            await session.exec(
                select(PendingReport)
                .where(col(PendingReport.answered_at).is_(None), col(PendingReport.due_at) <= now)
                .order_by(col(PendingReport.due_at))
                .limit(self.timing.requests_per_pass)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for row in rows:
            outbox.record(session, SOURCE, *self._reports(row))
            row.answered_at, row.results = now, []
            session.add(row)
        return len(rows)

    def _result(self, event: SocialsecCheckRequested, subject: CheckSubject, today: date) -> CheckResult:
        if fails_temporarily(
            self.register.seed, self.timing.failure_rate, event.request_id, event.version, subject.subject_id
        ):
            return failed(subject.subject_id)
        # A seal that does not open is a key mismatch: the error dead-letters the request, to be
        # replayed once PARTNER_SEAL_KEY is right.
        number = self.seal.open(subject.id_sealed)
        facts = self.register.person(subject.id_type, number, subject.name, today)
        return answer(subject.subject_id, subject.name, facts, event.checks)

    def _latency(self, event: SocialsecCheckRequested) -> timedelta:
        jitter = draw(self.register.seed, "latency", event.request_id, str(event.version)) * self.timing.jitter_seconds
        return timedelta(seconds=self.timing.latency_seconds + jitter)

    def _reports(self, row: PendingReport) -> Iterator[SocialsecCheckReported]:
        for chunk in _chunks(row.results, self.timing.report_chunk):
            yield SocialsecCheckReported(
                request_id=row.request_id,
                requester=row.requester,
                results=[CheckResult.model_validate(r) for r in chunk],
                version=row.version,
            )


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """At least one chunk, so a request without subjects still gets its (empty) report."""
    yield items[:size]
    for start in range(size, len(items), size):
        yield items[start : start + size]
