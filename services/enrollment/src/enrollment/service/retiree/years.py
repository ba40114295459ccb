"""The plan's year as data: the programme-year (period, windows — 集中参保, 委托代扣通道, 委托代扣申请, 即时参保
— the payee account) and the plan's rules beside it (450 元, ≤ 450 元 withheld, 30 days, 75 %, 50 %, the
pension day). The insurer loads the 社保人数 per 单位社保编码 the ratio compares with — as JSON or as the
mutual-aid headcount file with a 退休人数 column (`HEADCOUNTS`: the same reader, rules and list)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentType
from runtime.errors import InvalidInput
from runtime.tokens import Principal

from ...domain.retiree.year import check_kind_open, kind_open
from ...domain.windows import LABELS
from ...models import ProgrammeYear, RetireeHeadcount, RetireeRules
from ...schemas import WindowOut
from ...schemas.retiree import HeadcountsIn, RulesIn, RulesOut, YearView
from ..mutual_aid import loads as headcount_loads
from ..mutual_aid.years import HEADCOUNT_UPDATED, upsert
from ..programmes import YearContext, load_year, year_by_id
from . import PROGRAMME

HEADCOUNTS = headcount_loads.HeadcountKind(RetireeHeadcount, PROGRAMME, "退休人数")


@dataclass(frozen=True)
class YearData:
    ctx: YearContext
    rules: RetireeRules

    def kind_open(self, kind: EnrollmentType, now: datetime) -> bool:
        return kind_open(self.ctx.windows, kind, now)

    def check_kind(self, kind: EnrollmentType, now: datetime) -> None:
        check_kind_open(self.ctx.windows, kind, now)


async def load(session: AsyncSession, year: int) -> YearData:
    return await data_of(session, await load_year(session, PROGRAMME, year))


async def data_of(session: AsyncSession, ctx: YearContext) -> YearData:
    rules = await session.get(RetireeRules, ctx.id) or RetireeRules(programme_year_id=ctx.id)
    return YearData(ctx, rules)


async def of_batch(session: AsyncSession, year_id: int) -> YearData:
    return await data_of(session, await year_by_id(session, year_id))


async def open_years(session: AsyncSession, now: datetime) -> list[tuple[int, EnrollmentType]]:
    rows = await session.exec(select(ProgrammeYear.year).where(ProgrammeYear.programme_code == PROGRAMME))
    found = []
    for year in sorted(rows.all()):
        data = await load(session, year)
        found += [(year, kind) for kind in EnrollmentType if data.kind_open(kind, now)]
    return found


async def year_for(session: AsyncSession, kind: EnrollmentType, year: int | None, now: datetime) -> YearData:
    """The year a new batch goes into: the one asked, or the one whose window of that kind is open."""
    if year is not None:
        return await load(session, year)
    for open_year, open_kind in reversed(await open_years(session, now)):
        if open_kind is kind:
            return await load(session, open_year)
    raise InvalidInput("retiree.no_open_year", f"当前不在退休住院计划{kind.value}办理期间")


async def put_rules(session: AsyncSession, caller: Principal, year: int, data: RulesIn) -> RulesOut:
    if data.withholding_max_fen > data.premium_fen:
        raise InvalidInput("rules.withholding_above_premium", "委托代扣金额上限不能高于保费")
    async with session.begin():
        ctx = await load_year(session, PROGRAMME, year)
        row = await session.get(RetireeRules, ctx.id, with_for_update=True) or RetireeRules(programme_year_id=ctx.id)
        for key, value in data.model_dump().items():
            setattr(row, key, value)
        row.updated_by, row.updated_at = caller.user_id, datetime.now(UTC)
        session.add(row)
    return rules_out(row)


def rules_out(row: RetireeRules) -> RulesOut:
    return RulesOut(**row.model_dump(exclude={"programme_year_id", "updated_by", "updated_at"}))


async def put_headcounts(session: AsyncSession, year: int, data: HeadcountsIn) -> int:
    rows = [{"unit_code": u.unit_code.strip(), "unit_name": u.unit_name.strip(), "headcount": u.headcount}
            for u in data.units]  # fmt: skip
    async with session.begin():
        ctx = await load_year(session, PROGRAMME, year)
        await upsert(session, RetireeHeadcount, ctx.id, rows, ("unit_code",), HEADCOUNT_UPDATED)
    return len(rows)


async def headcounts_of(session: AsyncSession, year_id: int, codes: Sequence[str]) -> dict[str, RetireeHeadcount]:
    if not codes:
        return {}
    rows = await session.exec(
        select(RetireeHeadcount).where(
            RetireeHeadcount.programme_year_id == year_id, col(RetireeHeadcount.unit_code).in_(list(codes))
        )
    )
    return {r.unit_code: r for r in rows}


def view(data: YearData, now: datetime) -> YearView:
    ctx, row = data.ctx, data.ctx.row
    windows = sorted(ctx.windows.values(), key=lambda w: w.opens_at)
    return YearView(
        programme=PROGRAMME, programme_name=ctx.programme.name, year=row.year, insurance_start=row.insurance_start,
        insurance_end=row.insurance_end,
        windows=[WindowOut(kind=w.kind, label=LABELS.get(w.kind, w.kind), opens_at=w.opens_at,
                           closes_at=w.closes_at, open_now=w.is_open(now)) for w in windows],
        open_now=[kind for kind in EnrollmentType if data.kind_open(kind, now)], rules=rules_out(data.rules),
        payee_name=row.payee_name, payee_account=row.payee_account, payee_bank=row.payee_bank,
    )  # fmt: skip
