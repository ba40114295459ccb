"""Card issuing: a submitted batch schedules one outcome per card; the scheduler publishes them when
due; a revocation cancels what is not yet published. Replays and duplicates change nothing."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.bank import BankCardIssued, BankCardRejected
from contracts.cards import CardBatchRevoked, CardBatchSubmitted, CardRequest
from contracts.envelope import Envelope
from runtime import outbox
from runtime.clock import SHANGHAI, Clock
from runtime.logs import get_logger
from runtime.pii import PartnerSeal

from ..domain.outcomes import Applicant, IssuePolicy, Outcome, decide, due_after
from ..models import CardOutcome, OutcomeState
from . import SOURCE

log = get_logger(__name__)

# A batch is taken when new, or when a newer version of a batch not revoked arrives.
_TAKE_BATCH = sa.text(
    "INSERT INTO card_batch (batch_no, org_id, version, cards, received_at) "
    "VALUES (:batch_no, :org_id, :version, :cards, :now) "
    "ON CONFLICT (batch_no) DO UPDATE SET version = EXCLUDED.version, cards = EXCLUDED.cards "
    "WHERE card_batch.version < EXCLUDED.version AND card_batch.revoked_at IS NULL "
    "RETURNING batch_no"
)
_SCHEDULE = sa.text(
    "INSERT INTO card_outcome (batch_no, member_id, batch_version, issued, card_number_masked, reason, due_at, state) "
    "SELECT :batch_no, u.member_id, :version, u.issued, u.card, u.reason, u.due_at, 'scheduled' "
    "FROM unnest(CAST(:member_ids AS text[]), CAST(:issued AS boolean[]), CAST(:cards AS text[]), "
    "CAST(:reasons AS text[]), CAST(:due AS timestamptz[])) AS u(member_id, issued, card, reason, due_at) "
    "ON CONFLICT (batch_no, member_id) DO NOTHING"
)
# Recorded even before the submission is seen, so a late or replayed submission creates nothing.
_REVOKE_BATCH = sa.text(
    "INSERT INTO card_batch (batch_no, org_id, version, cards, received_at, revoked_at) "
    "VALUES (:batch_no, :org_id, :version, 0, :now, :now) "
    "ON CONFLICT (batch_no) DO UPDATE SET version = GREATEST(card_batch.version, EXCLUDED.version), "
    "revoked_at = COALESCE(card_batch.revoked_at, EXCLUDED.revoked_at)"
)
_CANCEL = sa.text(
    "UPDATE card_outcome SET state = 'cancelled', settled_at = :now WHERE batch_no = :batch_no AND state = 'scheduled'"
)
_SETTLE = sa.text(
    "UPDATE card_outcome AS o SET state = 'published', settled_at = :now "
    "FROM unnest(CAST(:batches AS text[]), CAST(:members AS text[])) AS u(batch_no, member_id) "
    "WHERE o.batch_no = u.batch_no AND o.member_id = u.member_id"
)


class Issuing:
    def __init__(self, policy: IssuePolicy, seal: PartnerSeal, clock: Clock, *, chunk: int) -> None:
        self.policy, self.seal, self.clock, self.chunk = policy, seal, clock, chunk

    async def on_submitted(self, session: AsyncSession, event: CardBatchSubmitted, _: Envelope) -> None:
        now = self.clock.now()
        batch = {"batch_no": event.batch_no, "org_id": event.org_id, "version": event.version, "now": now}
        taken = (await session.exec(_TAKE_BATCH, params={**batch, "cards": len(event.cards)})).first()  # type: ignore[call-overload]
        if taken is None:
            log.info("bank.batch_ignored", batch_no=event.batch_no, version=event.version)
            return
        outcomes = [self._decide(event.batch_no, card) for card in event.cards]
        due = [now + due_after(self.policy, event.batch_no, card.member_id) for card in event.cards]
        await session.exec(
            _SCHEDULE,  # type: ignore[call-overload]
            params={
                "batch_no": event.batch_no,
                "version": event.version,
                "member_ids": [card.member_id for card in event.cards],
                "issued": [o.issued for o in outcomes],
                "cards": [o.card_number_masked for o in outcomes],
                "reasons": [o.reason for o in outcomes],
                "due": due,
            },
        )
        rejected = sum(not o.issued for o in outcomes)
        log.info("bank.batch_scheduled", batch_no=event.batch_no, cards=len(outcomes), rejected=rejected)

    async def on_revoked(self, session: AsyncSession, event: CardBatchRevoked, _: Envelope) -> None:
        now = self.clock.now()
        params = {"batch_no": event.batch_no, "org_id": event.org_id, "version": event.version, "now": now}
        await session.exec(_REVOKE_BATCH, params=params)  # type: ignore[call-overload]
        cancelled = await session.exec(_CANCEL, params={"batch_no": event.batch_no, "now": now})  # type: ignore[call-overload]
        log.info("bank.batch_revoked", batch_no=event.batch_no, cancelled=cancelled.rowcount)

    async def publish_due(self, session: AsyncSession, now: datetime) -> int:
        """Publish up to one chunk of due outcomes (the scheduler's step for cards)."""
        rows = (
            await session.exec(
                select(CardOutcome)
                .where(col(CardOutcome.state) == OutcomeState.SCHEDULED, col(CardOutcome.due_at) <= now)
                .order_by(col(CardOutcome.due_at))
                .limit(self.chunk)
                .with_for_update(skip_locked=True)
            )
        ).all()
        if not rows:
            return 0
        today = now.astimezone(SHANGHAI).date()
        outbox.record(session, SOURCE, *(_answer(row, today) for row in rows))
        params = {"now": now, "batches": [r.batch_no for r in rows], "members": [r.member_id for r in rows]}
        await session.exec(_SETTLE, params=params)  # type: ignore[call-overload]
        return len(rows)

    def _decide(self, batch_no: str, card: CardRequest) -> Outcome:
        # A seal that does not open is a key mismatch, not the member's fault: the error dead-letters
        # the whole batch, to be replayed once PARTNER_SEAL_KEY is right.
        applicant = Applicant(
            batch_no=batch_no,
            member_id=card.member_id,
            id_type=card.id_type,
            id_number=self.seal.open(card.id_sealed),
            id_expiry=card.id_expiry,
            id_long_term=card.id_long_term,
        )
        return decide(self.policy, applicant, self.clock.today())


def _answer(row: CardOutcome, today: date) -> BankCardIssued | BankCardRejected:
    if row.issued:
        return BankCardIssued(
            batch_no=row.batch_no,
            member_id=row.member_id,
            card_number_masked=row.card_number_masked,
            issued_on=today,
            version=row.batch_version,
        )
    return BankCardRejected(
        batch_no=row.batch_no, member_id=row.member_id, reason=row.reason, version=row.batch_version
    )
