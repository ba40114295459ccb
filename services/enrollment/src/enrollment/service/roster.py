"""A union's members for one programme-year, each with what decides their place: card, social-security
facts, confirmation, exclusion, and any live enrollment this year."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import and_, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentType

from ..domain.coverage import LIVE
from ..domain.review import REPLACEABLE
from ..domain.standing import Candidate, Placement, collective_placement, flagged_retiring
from ..models import CardRef, Confirmation, Enrollment, Exclusion, MemberRef, OrgRef, SocialFact, Submission
from .checks import facts_of
from .programmes import YearContext


@dataclass(frozen=True)
class RosterEntry:
    member: MemberRef
    card: CardRef | None
    fact: SocialFact | None
    confirmed: bool
    excluded: bool
    live: Enrollment | None
    live_type: str | None  # 集中参保 / 即时参保 of the live enrollment
    live_org_id: int | None

    def candidate(self, org_id: int) -> Candidate:
        return Candidate(
            member_id=self.member.member_id,
            id_type=self.member.id_type,
            has_card=self.card is not None,
            facts=facts_of(self.fact),
            confirmed=self.confirmed,
            excluded=self.excluded,
            covered=self.covered_elsewhere(org_id),
        )

    def in_collective_of(self, org_id: int) -> bool:
        """Enrolled by this union's collective submission that a resubmission would replace."""
        return (
            self.live is not None
            and self.live_type == EnrollmentType.COLLECTIVE
            and self.live.state in REPLACEABLE
            and self.live_org_id == org_id
        )

    def covered_elsewhere(self, org_id: int) -> bool:
        return self.live is not None and not self.in_collective_of(org_id)


@dataclass(frozen=True)
class Placed:
    entry: RosterEntry
    placement: Placement
    flagged: bool


async def load(session: AsyncSession, ctx: YearContext, org: OrgRef) -> list[RosterEntry]:
    """Every active member of the union (its own members; branch unions enrol theirs themselves)."""
    year = ctx.id
    live = and_(
        col(Enrollment.member_id) == col(MemberRef.member_id),
        Enrollment.programme_year_id == year,
        col(Enrollment.state).in_(LIVE),
    )
    stmt = (
        select(  # type: ignore[call-overload]
            MemberRef, CardRef, SocialFact, Confirmation.member_id, Exclusion.member_id, Enrollment, Submission
        )
        .outerjoin(CardRef, col(CardRef.member_id) == col(MemberRef.member_id))
        .outerjoin(SocialFact, col(SocialFact.member_id) == col(MemberRef.member_id))
        .outerjoin(
            Confirmation,
            and_(col(Confirmation.member_id) == col(MemberRef.member_id), Confirmation.programme_year_id == year),
        )
        .outerjoin(
            Exclusion, and_(col(Exclusion.member_id) == col(MemberRef.member_id), Exclusion.programme_year_id == year)
        )
        .outerjoin(Enrollment, live)
        .outerjoin(Submission, col(Submission.id) == col(Enrollment.submission_id))
        .where(MemberRef.org_id == org.org_id, col(MemberRef.active).is_(True))
        .order_by(col(MemberRef.member_no), col(MemberRef.member_id))
    )
    rows = await session.exec(stmt)
    return [
        RosterEntry(m, card, fact, conf is not None, ex is not None, e, s.enrollment_type if s else None,
                    s.org_id if s else None)
        for m, card, fact, conf, ex, e, s in rows
    ]  # fmt: skip


def place(ctx: YearContext, org_id: int, entries: list[RosterEntry]) -> list[Placed]:
    placed = []
    for e in entries:
        c = e.candidate(org_id)
        placement = collective_placement(c, ctx.row.ss_card_channel)
        flagged = flagged_retiring(c, e.member.birth_date, e.member.gender, ctx.period.start, ctx.ages)
        placed.append(Placed(e, placement, flagged))
    return placed
