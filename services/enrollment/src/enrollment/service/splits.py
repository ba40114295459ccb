"""保障金额设置: a district union sets the split of each guarantee type for its subtree, inside the split
window; every union of the subtree then pays by it. Without a setting the type's default applies."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.tokens import Principal

from ..domain.split import Split, district_split
from ..domain.windows import WindowKind, check_open
from ..models import DistrictSplit, GuaranteeType
from ..schemas import DistrictSplitIn, DistrictSplitOut, SplitOut
from . import orgs
from .programmes import load_year, type_by_code, types_of


def default_split(t: GuaranteeType) -> Split:
    return Split(t.city_fen, t.district_fen, t.grassroots_fen)


async def effective_split(session: AsyncSession, t: GuaranteeType, district_id: int | None) -> Split:
    """What a union of `district_id`'s subtree pays per person for type `t`."""
    if district_id is None:
        return default_split(t)
    row = await session.get(DistrictSplit, (t.id, district_id))
    return Split(row.city_fen, row.district_fen, row.grassroots_fen) if row else default_split(t)


async def list_for_district(session: AsyncSession, caller: Principal, code: str, year: int) -> list[DistrictSplitOut]:
    district = await orgs.caller_district(session, caller)
    ctx = await load_year(session, code, year)
    types = [t for t in await types_of(session, ctx.id) if t.active]
    rows = await session.exec(
        select(DistrictSplit).where(
            col(DistrictSplit.guarantee_type_id).in_([t.id for t in types]),
            DistrictSplit.district_org_id == district.org_id,
        )
    )
    settings = {r.guarantee_type_id: r for r in rows}
    return [_out(t, settings.get(t.id or 0)) for t in types]


async def set_for_district(
    session: AsyncSession, caller: Principal, code: str, year: int, type_code: str, data: DistrictSplitIn, now: datetime
) -> DistrictSplitOut:
    async with session.begin():
        district = await orgs.caller_district(session, caller)
        ctx = await load_year(session, code, year)
        check_open(ctx.windows, WindowKind.SPLIT, now)
        t = await type_by_code(session, ctx.id, type_code)
        split = district_split(t.premium_fen, default_split(t), data.district_fen, data.grassroots_fen)
        assert t.id is not None
        row = await session.get(DistrictSplit, (t.id, district.org_id), with_for_update=True)
        row = row or DistrictSplit(
            guarantee_type_id=t.id, district_org_id=district.org_id, city_fen=0, district_fen=0, grassroots_fen=0,
            set_by=caller.user_id,
        )  # fmt: skip
        row.city_fen, row.district_fen, row.grassroots_fen = split.city_fen, split.district_fen, split.grassroots_fen
        row.set_by, row.set_at = caller.user_id, datetime.now(UTC)
        session.add(row)
    return _out(t, row)


def _out(t: GuaranteeType, row: DistrictSplit | None) -> DistrictSplitOut:
    default = default_split(t)
    applied = Split(row.city_fen, row.district_fen, row.grassroots_fen) if row else default
    return DistrictSplitOut(
        type_code=t.code,
        type_name=t.name,
        premium_fen=t.premium_fen,
        default_split=_split_out(default),
        split=_split_out(applied),
        set_by=row.set_by if row else None,
        set_at=row.set_at if row else None,
    )


def _split_out(s: Split) -> SplitOut:
    return SplitOut(city_fen=s.city_fen, district_fen=s.district_fen, grassroots_fen=s.grassroots_fen)
