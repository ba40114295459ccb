"""卡片信息管理: eligible members with their card status, in the caller's scope; adding selected or
all 未办卡 members to the pending list."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.cards import CardChannel
from runtime.clock import SHANGHAI
from runtime.errors import DomainError, NotFound
from runtime.tokens import Principal

from ..domain.pending import addable_refusal
from ..domain.states import CardStatus, CheckState, Source
from ..models import BatchCard, CardBatch, CardMember, OrgRef, PendingCard
from ..schemas import CardDetail, CardInfo, MemberCardHistory
from . import orgs


@dataclass(frozen=True)
class CardFilter:
    name: str | None = None  # 姓名: prefix
    member_no: str | None = None  # 会员编号: exact
    status: str | None = None  # 办理状态
    channel: str | None = None  # 申请通道
    org_id: int | None = None  # this org's subtree
    applied_from: date | None = None  # 申办时间 from (Shanghai date)
    applied_to: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, SHANGHAI)


async def _conditions(session: AsyncSession, caller: Principal, f: CardFilter) -> list:  # type: ignore[type-arg]
    conditions = [col(CardMember.listed).is_(True), CardMember.source == Source.MEMBER]
    scope = orgs.scope_condition(CardMember.org_id, caller)
    if scope is not None:
        conditions.append(scope)
    if f.org_id is not None:
        conditions.append(col(CardMember.org_id).in_(await orgs.subtree_ids(session, caller, f.org_id)))
    if f.name:
        conditions.append(col(CardMember.name).startswith(f.name.strip(), autoescape=True))
    if f.member_no:
        conditions.append(CardMember.member_no == f.member_no.strip())
    if f.status:
        conditions.append(CardMember.card_status == f.status)
    if f.channel:
        conditions.append(CardMember.channel == f.channel)
    if f.applied_from:
        conditions.append(col(CardMember.applied_at) >= _day_start(f.applied_from))
    if f.applied_to:
        conditions.append(col(CardMember.applied_at) < _day_start(f.applied_to + timedelta(days=1)))
    return conditions


def _listing(conditions: list):  # type: ignore[no-untyped-def,type-arg]
    return (
        select(CardMember, OrgRef.name)
        .join(OrgRef, col(OrgRef.org_id) == col(CardMember.org_id), isouter=True)
        .where(*conditions)
        .order_by(col(CardMember.org_id), col(CardMember.member_no).nulls_last(), col(CardMember.member_id))
    )


async def search(
    session: AsyncSession, caller: Principal, f: CardFilter, page: int, size: int
) -> tuple[list[CardInfo], int]:
    conditions = await _conditions(session, caller, f)
    total = (await session.exec(select(func.count()).select_from(CardMember).where(*conditions))).one()
    rows = await session.exec(_listing(conditions).offset((page - 1) * size).limit(size))
    return [card_info(m, union) for m, union in rows.all()], total


async def stream(session: AsyncSession, caller: Principal, f: CardFilter, limit: int) -> AsyncIterator[CardInfo]:
    conditions = await _conditions(session, caller, f)
    result = await session.stream(_listing(conditions).limit(limit).execution_options(yield_per=2000))
    async for member, union in result:
        yield card_info(member, union)


def card_info(m: CardMember, union_name: str | None) -> CardInfo:
    refusal = addable_refusal(m.eligible, m.listed, m.card_status)
    return CardInfo(
        member_id=m.member_id, member_no=m.member_no, name=m.name, id_type=m.id_type,
        id_number=m.id_number_masked, gender=m.gender, org_id=m.org_id, union_name=union_name or "",
        work_unit=m.work_unit, work_address=m.work_address, status=m.card_status,
        card_number=m.card_number_masked, applied_at=m.applied_at, channel=m.channel, batch_no=m.batch_no,
        issued_on=m.issued_on, note=m.card_note, addable=refusal is None, not_addable_reason=refusal,
    )  # fmt: skip


async def detail(session: AsyncSession, caller: Principal, member_id: str) -> CardDetail:
    member = await session.get(CardMember, member_id)
    if member is None or member.source != Source.MEMBER or not member.listed:
        raise NotFound("会员")
    if not await orgs.covers(session, caller, member.org_id):
        raise NotFound("会员")
    union = (await orgs.names(session, [member.org_id])).get(member.org_id or 0)
    history = await session.exec(
        select(BatchCard, CardBatch)
        .join(CardBatch, col(CardBatch.batch_no) == col(BatchCard.batch_no))
        .where(BatchCard.member_id == member_id)
        .order_by(col(CardBatch.submitted_at).desc())
    )
    return CardDetail(
        **card_info(member, union).model_dump(),
        history=[
            MemberCardHistory(
                batch_no=b.batch_no,
                channel=b.channel,
                submitted_at=b.submitted_at,
                outcome=c.outcome,
                card_number=c.card_number_masked,
                reason=c.reason,
            )  # fmt: skip
            for c, b in history.all()
        ],
    )


# --- adding to the pending list ------------------------------------------------------------------------


async def add_selected(session: AsyncSession, caller: Principal, member_ids: Sequence[str], now: datetime) -> int:
    """All or none: if any chosen member may not be added, nothing is, and the answer says who and why."""
    wanted = list(dict.fromkeys(member_ids))
    async with session.begin():
        rows = await session.exec(
            select(CardMember)
            .where(col(CardMember.member_id).in_(wanted), CardMember.source == Source.MEMBER)
            .order_by(col(CardMember.member_id))
            .with_for_update()
        )
        found = {m.member_id: m for m in rows.all()}
        seen = await orgs.visible_orgs(session, caller, (m.org_id for m in found.values()))
        refusals = []
        for member_id in wanted:
            m = found.get(member_id)
            visible = m is not None and m.listed and m.org_id in seen
            reason = addable_refusal(m.eligible, m.listed, m.card_status) if m and visible else "会员不存在或无权访问"
            if reason:
                refusals.append({"member_id": member_id, "name": m.name if m and visible else "", "reason": reason})
        if refusals:
            names = "、".join(r["name"] or r["member_id"] for r in refusals[:5])
            more = f"等{len(refusals)}人" if len(refusals) > 5 else ""
            raise DomainError("cards.not_addable", f"以下会员不能添加至待办：{names}{more}", members=refusals)
        return await _move_to_pending(session, [col(CardMember.member_id).in_(wanted)], caller, now)


async def add_all(session: AsyncSession, caller: Principal, org_id: int | None, now: datetime) -> int:
    async with session.begin():
        conditions: list[Any] = [col(CardMember.source) == Source.MEMBER]
        scope = orgs.scope_condition(CardMember.org_id, caller)
        if scope is not None:
            conditions.append(scope)
        if org_id is not None:
            conditions.append(col(CardMember.org_id).in_(await orgs.subtree_ids(session, caller, org_id)))
        added = await _move_to_pending(session, conditions, caller, now)
        if not added:
            raise DomainError("cards.nothing_to_add", "没有可添加的未办卡会员（会员编号生成后才能添加）")
        return added


async def _move_to_pending(session: AsyncSession, conditions: list, caller: Principal, now: datetime) -> int:  # type: ignore[type-arg]
    """One statement: the 未办卡 eligible members among `conditions` become 待办中 rows of the normal channel."""
    picked = (
        sa.update(CardMember)
        .where(*conditions, col(CardMember.eligible).is_(True), col(CardMember.card_status) == CardStatus.NONE)
        .values(
            card_status=CardStatus.PENDING, channel=CardChannel.NORMAL, applied_at=now, card_note=None, updated_at=now
        )
        .returning(col(CardMember.member_id), col(CardMember.org_id), col(CardMember.id_type))
        .cte("picked")
    )
    insert = (
        sa.insert(PendingCard)
        .from_select(
            [
                "member_id",
                "org_id",
                "channel",
                "id_type",
                "id_long_term",
                "nationality",
                "check_state",
                "check_reason",
                "added_by",
                "added_at",
            ],  # fmt: skip
            sa.select(
                picked.c.member_id,
                picked.c.org_id,
                sa.literal(CardChannel.NORMAL.value),
                picked.c.id_type,
                sa.false(),
                sa.literal("中国"),
                sa.literal(CheckState.UNCHECKED.value),
                sa.literal(""),
                sa.literal(caller.user_id),
                sa.literal(now),
            ),  # fmt: skip
        )
        .returning(col(PendingCard.id))
    )
    return len((await session.exec(insert)).all())
