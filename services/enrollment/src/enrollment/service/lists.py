"""The lists behind 集中参保办理's counts (each count is clickable) as rows for the screen."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.tokens import Principal

from ..domain.standing import Standing
from ..schemas import RosterRow
from .collective import placed_roster, select_list
from .programmes import YearContext
from .roster import Placed


async def roster_rows(
    session: AsyncSession, caller: Principal, code: str, year: int, org_id: int | None, name: str | None,
    prefix: str | None,
) -> list[RosterRow]:  # fmt: skip
    ctx, org, placed = await placed_roster(session, caller, code, year, org_id)
    chosen = select_list(placed, org.org_id, name)
    if prefix:
        chosen = [p for p in chosen if p.entry.member.name.startswith(prefix.strip())]
    return [_row(ctx, p) for p in chosen]


def _row(ctx: YearContext, p: Placed) -> RosterRow:
    e, listed = p.entry, p.placement.standing is Standing.LISTED
    fact = e.fact
    return RosterRow(
        member_id=e.member.member_id, member_no=e.member.member_no, name=e.member.name, id_type=e.member.id_type,
        id_number=e.member.id_number_masked, card_number=e.card.card_number_masked if e.card else None,
        standing=p.placement.standing.value, channel=p.placement.channel, confirmed=e.confirmed,
        flagged_retiring=p.flagged, cover_start=ctx.period.start if listed else None,
        cover_end=ctx.period.end if listed else None, ss_card_held=fact.ss_card_held if fact else None,
        employed=fact.employed if fact and fact.employment_checked else None,
        checked_at=fact.checked_at if fact else None,
    )  # fmt: skip
