"""Social-security checks through the adapter: ask (socialsec.check.requested, requester "enrollment",
≤ 1,000 members per request) and keep the answers (socialsec.check.reported) per member.

A member's facts come from the newest request answered for them; a repeated or older answer
changes nothing. Members without a sealed ID number cannot be asked and are counted as skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.socialsec import CheckSubject, SocialsecCheckReported, SocialsecCheckRequested
from runtime import outbox
from runtime.tokens import Principal

from ..domain.social import CHECKS, facts_from
from ..domain.standing import SocialFacts
from ..models import MemberRef, SocialCheck, SocialFact
from . import SOURCE

REQUESTER = "enrollment"

UPSERT_FACT = sa.text(
    """
    INSERT INTO social_fact (member_id, request_seq, found, ss_card_held, employment_checked, employed, retired,
                             retirement_month, deceased, failure, checked_at)
    VALUES (:member_id, :seq, :found, :ss_card_held, :employment_checked, :employed, :retired,
            :retirement_month, :deceased, '', now())
    ON CONFLICT (member_id) DO UPDATE SET request_seq = EXCLUDED.request_seq, found = EXCLUDED.found,
        ss_card_held = EXCLUDED.ss_card_held, employment_checked = EXCLUDED.employment_checked,
        employed = EXCLUDED.employed, retired = EXCLUDED.retired, retirement_month = EXCLUDED.retirement_month,
        deceased = EXCLUDED.deceased, failure = '', checked_at = now()
    WHERE social_fact.request_seq <= EXCLUDED.request_seq
    """
)


@dataclass(frozen=True)
class CheckSent:
    request_ids: list[str]
    members: int
    skipped: int  # no sealed ID number to send


async def request_checks(
    session: AsyncSession, caller: Principal, org_id: int, members: Sequence[MemberRef], chunk: int
) -> CheckSent:
    """Inside the caller's transaction: one request per chunk, recorded and put in the outbox."""
    sendable = [m for m in members if m.id_sealed]
    ids = []
    for start in range(0, len(sendable), chunk):
        part = sendable[start : start + chunk]
        request_id = f"ec-{uuid.uuid4().hex[:20]}"
        session.add(
            SocialCheck(
                request_id=request_id, org_id=org_id, kinds=[k.value for k in CHECKS], subjects=len(part),
                requested_by=caller.user_id,
            )
        )  # fmt: skip
        subjects = [
            CheckSubject(subject_id=m.member_id, name=m.name, id_type=m.id_type, id_sealed=m.id_sealed) for m in part
        ]
        event = SocialsecCheckRequested(
            request_id=request_id, requester=REQUESTER, checks=list(CHECKS), subjects=subjects
        )
        outbox.record(session, SOURCE, event)
        ids.append(request_id)
    await session.flush()
    return CheckSent(ids, len(sendable), len(members) - len(sendable))


async def on_reported(session: AsyncSession, event: SocialsecCheckReported, _: Envelope) -> None:
    if event.requester != REQUESTER:
        return  # cards' answers travel on the same topic
    check = await session.get(SocialCheck, event.request_id, with_for_update=True)
    if check is None:
        return  # not ours (another deployment's database), nothing to apply it to
    assert check.seq is not None
    for result in event.results:
        facts = facts_from(result, check.kinds)
        if facts is None:
            await _note_failure(session, result.subject_id, check.seq, result.failure)
            continue
        await session.exec(UPSERT_FACT, params=_fact_params(result.subject_id, check.seq, facts))  # type: ignore[call-overload]
    answered = await session.exec(select(sa.func.count()).where(col(SocialFact.request_seq) == check.seq))
    check.answered = min(check.subjects, int(answered.one()))
    session.add(check)


async def _note_failure(session: AsyncSession, member_id: str, seq: int, failure: str) -> None:
    """A person the register could not answer for: keep older facts, show why if there are none."""
    row = await session.get(SocialFact, member_id, with_for_update=True)
    if row is None:
        return
    if row.request_seq <= seq:
        row.failure = failure[:200]
        session.add(row)


def _fact_params(member_id: str, seq: int, f: SocialFacts) -> dict[str, object]:
    return {
        "member_id": member_id,
        "seq": seq,
        "found": f.found,
        "ss_card_held": f.ss_card_held,
        "employment_checked": f.employment_checked,
        "employed": f.employed,
        "retired": f.retired,
        "retirement_month": f.retirement_month,
        "deceased": f.deceased,
    }


def facts_of(row: SocialFact | None) -> SocialFacts | None:
    if row is None:
        return None
    return SocialFacts(
        found=row.found,
        ss_card_held=row.ss_card_held,
        employment_checked=row.employment_checked,
        employed=row.employed,
        retired=row.retired,
        retirement_month=row.retirement_month,
        deceased=row.deceased,
    )
