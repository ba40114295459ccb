"""The clerk's hand on the list: confirm pending members (they join and cannot be removed), exclude
listed ones (retiring before the year starts …) or take an exclusion back, and ask social security."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import DomainError, InvalidInput
from runtime.tokens import Principal

from ..domain.standing import Standing
from ..models import Confirmation, Exclusion
from ..schemas import CheckOut, ExclusionIn, MemberIds
from . import checks
from .collective import placed_roster
from .roster import Placed


def _pick(placed: list[Placed], member_ids: list[str], allowed: set[Standing], code: str, title: str) -> list[Placed]:
    by_id = {p.entry.member.member_id: p for p in placed}
    unknown = [m for m in member_ids if m not in by_id]
    if unknown:
        raise DomainError("member.not_in_union", "所选人员不是本单位会员", member_ids=unknown[:20])
    wrong = [by_id[m] for m in member_ids if by_id[m].placement.standing not in allowed]
    if wrong:
        names = "、".join(p.entry.member.name for p in wrong[:5])
        raise DomainError(code, f"{names}{title}", member_ids=[p.entry.member.member_id for p in wrong[:20]])
    return [by_id[m] for m in dict.fromkeys(member_ids)]


async def confirm(
    session: AsyncSession, caller: Principal, code: str, year: int, org_id: int | None, data: MemberIds
) -> int:
    if not data.all and not data.member_ids:
        raise InvalidInput("confirm.members_required", "请选择要确认的会员")
    async with session.begin():
        ctx, org, placed = await placed_roster(session, caller, code, year, org_id, lock=True)
        pending = [p for p in placed if p.placement.standing is Standing.PENDING]
        if data.all:
            targets = pending
        else:
            chosen = {p.entry.member.member_id for p in pending}
            refused = [m for m in data.member_ids if m not in chosen]
            if refused:
                raise DomainError("confirm.not_pending", "所选会员不在待确认名单中", member_ids=refused[:20])
            targets = [p for p in pending if p.entry.member.member_id in set(data.member_ids)]
        rows = [
            {"programme_year_id": ctx.id, "member_id": p.entry.member.member_id, "org_id": org.org_id,
             "confirmed_by": caller.user_id, "confirmed_at": datetime.now(UTC)}
            for p in targets
        ]  # fmt: skip
        if rows:
            await session.exec(insert(Confirmation).values(rows).on_conflict_do_nothing())
    return len(rows)


async def exclude(
    session: AsyncSession, caller: Principal, code: str, year: int, org_id: int | None, data: ExclusionIn
) -> int:
    async with session.begin():
        ctx, org, placed = await placed_roster(session, caller, code, year, org_id, lock=True)
        chosen = _pick(placed, data.member_ids, {Standing.LISTED, Standing.EXCLUDED}, "confirm.cannot_remove",
                       "不在参保名单中")  # fmt: skip
        confirmed = [p for p in chosen if p.entry.confirmed]
        if confirmed:
            names = "、".join(p.entry.member.name for p in confirmed[:5])
            raise DomainError("confirm.cannot_remove", f"{names}已确认加入集中参保名单，无法移除")
        rows = [
            {"programme_year_id": ctx.id, "member_id": p.entry.member.member_id, "org_id": org.org_id,
             "reason": data.reason.strip(), "excluded_by": caller.user_id, "excluded_at": datetime.now(UTC)}
            for p in chosen
        ]  # fmt: skip
        await session.exec(insert(Exclusion).values(rows).on_conflict_do_nothing())
    return len(rows)


async def include(
    session: AsyncSession, caller: Principal, code: str, year: int, org_id: int | None, member_id: str
) -> int:
    async with session.begin():
        ctx, _, placed = await placed_roster(session, caller, code, year, org_id, lock=True)
        _pick(placed, [member_id], set(Standing), "", "")
        result = await session.exec(
            sa.delete(Exclusion).where(
                col(Exclusion.programme_year_id) == ctx.id, col(Exclusion.member_id) == member_id
            )
        )
    return int(result.rowcount or 0)


async def ask_social_security(
    session: AsyncSession, caller: Principal, code: str, year: int, org_id: int | None,
    member_ids: list[str], everyone: bool, chunk: int,
) -> CheckOut:  # fmt: skip
    """获取社保卡和就业状态: the given members, else everyone not yet answered (or whose answer failed)."""
    async with session.begin():
        _, org, placed = await placed_roster(session, caller, code, year, org_id)
        if member_ids:
            chosen = [p.entry.member for p in _pick(placed, member_ids, set(Standing), "", "")]
        else:
            open_rows = [p for p in placed if p.placement.standing is not Standing.COVERED]
            chosen = [p.entry.member for p in open_rows if everyone or p.entry.fact is None or p.entry.fact.failure]
        sent = await checks.request_checks(session, caller, org.org_id, chosen, chunk)
    return CheckOut(request_ids=sent.request_ids, members=sent.members, skipped=sent.skipped)
