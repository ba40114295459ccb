"""提交系统校验: selected rows go to social security as one request per ≤ 1,000 rows (retirement and
the name on record); the reports come back asynchronously and set 已通过 / 未通过 with the reason.

A report is applied by (request id, row id) and only to a row still 校验中 under that request, so a
report that arrives twice, or late for a row re-sent or removed meanwhile, changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.socialsec import MAX_SUBJECTS, CheckKind, CheckSubject, SocialsecCheckReported, SocialsecCheckRequested
from runtime import outbox
from runtime.errors import DomainError, NotFound
from runtime.tokens import Principal

from ..domain import pending as rules
from ..domain.states import CheckState
from ..models import CardMember, PendingCard
from ..schemas import CheckSent
from . import SOURCE, orgs

REQUESTER = "cards"
CHECKS = [CheckKind.RETIREMENT, CheckKind.NAME]

_APPLY = sa.text(
    "UPDATE pending_card AS p SET check_state = u.state, check_reason = u.reason, checked_at = now() "
    "FROM unnest(CAST(:ids AS bigint[]), CAST(:states AS text[]), CAST(:reasons AS text[])) AS u(id, state, reason) "
    "WHERE p.id = u.id AND p.check_request_id = :request_id AND p.check_state = '校验中'"
)


async def request_checks(session: AsyncSession, caller: Principal, row_ids: Sequence[int], now: datetime) -> CheckSent:
    async with session.begin():
        rows = await _selected(session, caller, row_ids)
        refused = [
            {"id": p.id, "name": m.name, "reason": reason}
            for p, m in rows
            if (reason := rules.check_refusal(p.channel, p.check_state)) and p.check_state != CheckState.PASSED
        ]
        if refused:
            raise DomainError("cards.not_checkable", "所选会员中有不需要系统校验的（特殊办卡通道）", rows=refused)
        to_check = [(p, m) for p, m in rows if p.check_state != CheckState.PASSED]
        if not to_check:
            raise DomainError("cards.nothing_to_check", "所选会员均已通过校验")
        request_ids = [_send(session, to_check[i : i + MAX_SUBJECTS]) for i in range(0, len(to_check), MAX_SUBJECTS)]
    return CheckSent(request_ids=request_ids, rows=len(to_check))


async def _selected(
    session: AsyncSession, caller: Principal, row_ids: Sequence[int]
) -> list[tuple[PendingCard, CardMember]]:
    wanted = set(row_ids)
    found = (
        await session.exec(
            select(PendingCard, CardMember)
            .join(CardMember, col(CardMember.member_id) == col(PendingCard.member_id))
            .where(col(PendingCard.id).in_(wanted))
            .order_by(col(PendingCard.id))
            .with_for_update(of=PendingCard)
        )
    ).all()
    seen = await orgs.visible_orgs(session, caller, (p.org_id for p, _ in found))
    rows = [(p, m) for p, m in found if p.org_id in seen]
    if len(rows) != len(wanted):
        raise NotFound("待办会员")
    return rows


def _send(session: AsyncSession, rows: Sequence[tuple[PendingCard, CardMember]]) -> str:
    request_id = f"cards-{uuid.uuid4().hex}"
    for p, _ in rows:
        p.check_state, p.check_reason, p.check_request_id, p.checked_at = CheckState.CHECKING, "", request_id, None
        session.add(p)
    subjects = [
        CheckSubject(subject_id=str(p.id), name=m.name, id_type=p.id_type, id_sealed=m.id_sealed) for p, m in rows
    ]
    outbox.record(
        session,
        SOURCE,
        SocialsecCheckRequested(request_id=request_id, requester=REQUESTER, checks=CHECKS, subjects=subjects),
    )
    return request_id


async def on_reported(session: AsyncSession, event: SocialsecCheckReported, _: Envelope) -> None:
    if event.requester != REQUESTER:
        return  # enrollment's answers share the topic
    ids, states, reasons = [], [], []
    for result in event.results:
        if not result.subject_id.isdigit():
            continue  # not one of our rows
        state, reason = rules.check_outcome(result)
        ids.append(int(result.subject_id))
        states.append(state.value)
        reasons.append(reason[:200])
    if ids:
        params = {"ids": ids, "states": states, "reasons": reasons, "request_id": event.request_id}
        await session.exec(_APPLY, params=params)  # type: ignore[call-overload]
