"""待办会员列表: the rows of each channel in the caller's scope, their progress, and the clerk's edits
(证件到期日, channel switch, 完善信息, removal)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.cards import MAX_BATCH, CardChannel
from runtime.errors import DomainError, NotFound
from runtime.tokens import Principal

from ..domain import pending as rules
from ..domain.documents import parse_id_type
from ..domain.states import CardStatus, CheckState
from ..models import CardMember, OrgRef, PendingCard
from ..schemas import ChannelProgress, InfoCompletion, PendingRow
from . import orgs


@dataclass(frozen=True)
class PendingFilter:
    channel: str
    name: str | None = None  # prefix
    member_no: str | None = None
    check_state: str | None = None  # 信息校验状态
    info_complete: bool | None = None  # 信息完善状态


def _scoped(caller: Principal) -> list:  # type: ignore[type-arg]
    scope = orgs.scope_condition(PendingCard.org_id, caller)
    return [] if scope is None else [scope]


def _conditions(caller: Principal, f: PendingFilter) -> list:  # type: ignore[type-arg]
    conditions = [*_scoped(caller), PendingCard.channel == f.channel]
    if f.name:
        conditions.append(col(CardMember.name).startswith(f.name.strip(), autoescape=True))
    if f.member_no:
        conditions.append(CardMember.member_no == f.member_no.strip())
    if f.check_state:
        conditions.append(PendingCard.check_state == f.check_state)
    if f.info_complete is not None:
        conditions.append(col(PendingCard.info_completed_at).is_not(None) == f.info_complete)
    return conditions


def _rows() -> Any:
    return (
        select(PendingCard, CardMember, OrgRef.name)
        .join(CardMember, col(CardMember.member_id) == col(PendingCard.member_id))
        .join(OrgRef, col(OrgRef.org_id) == col(PendingCard.org_id), isouter=True)
    )


async def search(
    session: AsyncSession, caller: Principal, f: PendingFilter, page: int, size: int
) -> tuple[list[PendingRow], int]:
    conditions = _conditions(caller, f)
    total = (
        await session.exec(
            select(func.count())
            .select_from(PendingCard)
            .join(CardMember, col(CardMember.member_id) == col(PendingCard.member_id))
            .where(*conditions)
        )
    ).one()
    rows = await session.exec(
        _rows().where(*conditions).order_by(col(PendingCard.id)).offset((page - 1) * size).limit(size)
    )
    return [pending_row(p, m, union) for p, m, union in rows.all()], total


def pending_row(p: PendingCard, m: CardMember, union_name: str | None) -> PendingRow:
    assert p.id is not None
    complete = p.info_completed_at is not None
    return PendingRow(
        id=p.id, member_id=p.member_id, member_no=m.member_no, name=m.name, id_type=p.id_type,
        id_number=m.id_number_masked, org_id=p.org_id, union_name=union_name or "", channel=p.channel,
        added_at=p.added_at, added_by=p.added_by, id_expiry=p.id_expiry, id_long_term=p.id_long_term,
        nationality=p.nationality, check_state=p.check_state, check_reason=p.check_reason,
        checked_at=p.checked_at, info_complete=complete, ready=rules.ready(p.channel, p.check_state, complete),
    )  # fmt: skip


async def progress(session: AsyncSession, caller: Principal) -> dict[str, ChannelProgress]:
    """Counts per channel and state: the tab labels and the line above each list."""
    complete = col(PendingCard.info_completed_at).is_not(None)
    rows = await session.exec(
        select(PendingCard.channel, PendingCard.check_state, complete, func.count())
        .where(*_scoped(caller))
        .group_by(col(PendingCard.channel), col(PendingCard.check_state), complete)
    )
    counts: dict[str, Counter[str]] = {c.value: Counter() for c in CardChannel}
    for channel, state, is_complete, n in rows.all():
        counts.setdefault(channel, Counter()).update({state: n, "complete" if is_complete else "incomplete": n})
    return {channel: _progress(channel, c) for channel, c in counts.items()}


def _progress(channel: str, c: Counter[str]) -> ChannelProgress:
    total = c["complete"] + c["incomplete"]
    ready_rows = c["complete"] if channel == CardChannel.SPECIAL else c[CheckState.PASSED]
    return ChannelProgress(
        total=total, unchecked=c[CheckState.UNCHECKED], checking=c[CheckState.CHECKING],
        passed=c[CheckState.PASSED], failed=c[CheckState.FAILED], complete=c["complete"],
        incomplete=c["incomplete"], ready=0 < total <= MAX_BATCH and ready_rows == total,
    )  # fmt: skip


async def get_row(session: AsyncSession, caller: Principal, row_id: int) -> PendingRow:
    found = (await session.exec(_rows().where(PendingCard.id == row_id))).first()
    if found is None or not await orgs.covers(session, caller, found[0].org_id):
        raise NotFound("待办会员")
    return pending_row(*found)


async def _locked(session: AsyncSession, caller: Principal, row_id: int) -> PendingCard:
    row = (await session.exec(select(PendingCard).where(PendingCard.id == row_id).with_for_update())).first()
    if row is None or not await orgs.covers(session, caller, row.org_id):
        raise NotFound("待办会员")
    return row


async def change_expiry(
    session: AsyncSession, caller: Principal, row_id: int, expiry: date | None, long_term: bool, today: date
) -> None:
    """修改证件到期日."""
    async with session.begin():
        row = await _locked(session, caller, row_id)
        row.id_expiry, row.id_long_term = rules.check_expiry(expiry, long_term, today)
        session.add(row)


async def change_channel(session: AsyncSession, caller: Principal, row_id: int, target: str) -> None:
    async with session.begin():
        row = await _locked(session, caller, row_id)
        row.channel = rules.switch_channel(row.channel, target)
        session.add(row)
        await session.exec(
            sa.update(CardMember).where(col(CardMember.member_id) == row.member_id).values(channel=row.channel)
        )


async def complete_info(
    session: AsyncSession, caller: Principal, row_id: int, data: InfoCompletion, today: date, now: datetime
) -> None:
    """完善信息 of a special-channel row: document type, expiry date or 长期, nationality."""
    async with session.begin():
        row = await _locked(session, caller, row_id)
        if row.channel != CardChannel.SPECIAL:
            raise DomainError("cards.info_special_only", "请先将该会员切换至特殊办卡通道，再完善信息")
        row.id_type = parse_id_type(data.id_type).value
        row.id_expiry, row.id_long_term = rules.check_expiry(data.expiry, data.long_term, today)
        row.nationality = rules.check_nationality(data.nationality)
        row.info_completed_at = now
        session.add(row)


async def remove(session: AsyncSession, caller: Principal, row_id: int) -> None:
    async with session.begin():
        row = await _locked(session, caller, row_id)
        await _release(session, [row.member_id])
        await session.delete(row)


async def remove_unready(session: AsyncSession, caller: Principal, channel: str) -> int:
    """移除全部校验未通过及未校验会员 (普通, 个人) / 移除全部信息未完善会员 (特殊)."""
    unready = (
        col(PendingCard.info_completed_at).is_(None)
        if channel == CardChannel.SPECIAL
        else col(PendingCard.check_state) != CheckState.PASSED
    )
    async with session.begin():
        gone = await session.exec(
            sa.delete(PendingCard)
            .where(*_scoped(caller), col(PendingCard.channel) == channel, unready)
            .returning(col(PendingCard.member_id))
        )
        member_ids = list(gone.scalars().all())
        await _release(session, member_ids)
    return len(member_ids)


async def _release(session: AsyncSession, member_ids: list[str]) -> None:
    if member_ids:
        await session.exec(
            sa.update(CardMember)
            .where(col(CardMember.member_id).in_(member_ids), col(CardMember.card_status) == CardStatus.PENDING)
            .values(card_status=CardStatus.NONE, channel=None, applied_at=None, card_note="已从待办移除")
        )
