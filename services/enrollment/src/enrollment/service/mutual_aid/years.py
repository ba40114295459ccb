"""The mutual-aid programme-year as data: its items are the year's guarantee types (A0 … C3 with full
and half-year prices, 免责期, who may hold them), its rules (bundle discount, ±10 %, 75–100 %, ≤ 10 人)
a row beside the year, its windows the year's windows (集中参保 June, 即时参保 from July 1). The insurer
loads the suggested roster (建议清册) and the 社保在职人数 per 单位社保编码 that 清册校验 compares with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentType
from runtime.errors import InvalidInput
from runtime.identity import mask_id_number
from runtime.tokens import Principal

from ...domain.mutual_aid.items import Bundle, Catalogue, Item
from ...domain.mutual_aid.roster import Employment, RosterRules
from ...domain.windows import LABELS, WindowKind, check_open
from ...models import MutualAidRules, ProgrammeYear, SuggestedPerson, UnitHeadcount
from ...schemas import WindowOut
from ...schemas.mutual_aid import HeadcountsIn, ItemOut, RulesIn, RulesOut, SuggestedIn, YearView
from ..programmes import YearContext, load_year, types_of, year_by_id
from . import PROGRAMME
from .vault import RosterVault

KIND_WINDOW = {EnrollmentType.COLLECTIVE: WindowKind.COLLECTIVE, EnrollmentType.INSTANT: WindowKind.INSTANT}


@dataclass(frozen=True)
class YearData:
    ctx: YearContext
    catalogue: Catalogue
    rules: MutualAidRules

    @property
    def roster_rules(self) -> RosterRules:
        r = self.rules
        return RosterRules(self.ctx.ages, r.change_pct, r.ratio_min_pct, r.ratio_max_pct, r.small_unit_max)

    def window_open(self, kind: EnrollmentType, now: datetime) -> bool:
        window = self.ctx.windows.get(KIND_WINDOW[kind])
        return window is not None and window.is_open(now)

    def check_window(self, kind: EnrollmentType, now: datetime) -> None:
        check_open(self.ctx.windows, KIND_WINDOW[kind], now)


async def load(session: AsyncSession, year: int) -> YearData:
    ctx = await load_year(session, PROGRAMME, year)
    return await data_of(session, ctx)


async def data_of(session: AsyncSession, ctx: YearContext) -> YearData:
    rules = await session.get(MutualAidRules, ctx.id) or MutualAidRules(programme_year_id=ctx.id)
    items = tuple(
        Item(
            t.code, t.name, t.premium_fen, t.half_year_premium_fen or t.premium_fen // 2, t.waiting_days,
            accident_exempt=t.accident_exempt, social_security_only=t.social_security_only, sort=t.sort,
        )
        for t in await types_of(session, ctx.id)
        if t.active
    )  # fmt: skip
    bundle = Bundle(tuple(rules.bundle_codes), rules.bundle_discount_fen) if rules.bundle_codes else None
    return YearData(ctx, Catalogue(items, bundle), rules)


async def of_batch(session: AsyncSession, year_id: int) -> YearData:
    return await data_of(session, await year_by_id(session, year_id))


async def open_years(session: AsyncSession, now: datetime) -> list[tuple[int, EnrollmentType]]:
    """Which years take which enrollment now (in June a year's collective and the last one's instant)."""
    rows = await session.exec(select(ProgrammeYear.year).where(ProgrammeYear.programme_code == PROGRAMME))
    found = []
    for year in sorted(rows.all()):
        data = await load(session, year)
        found += [(year, kind) for kind in EnrollmentType if data.window_open(kind, now)]
    return found


async def year_for(session: AsyncSession, kind: EnrollmentType, year: int | None, now: datetime) -> YearData:
    """The year a new batch goes into: the one asked, or the one whose window of that kind is open."""
    if year is not None:
        return await load(session, year)
    for open_year, open_kind in reversed(await open_years(session, now)):
        if open_kind is kind:
            return await load(session, open_year)
    raise InvalidInput("mutual_aid.no_open_year", f"当前不在{kind.value}办理期间")


# --- configuration -----------------------------------------------------------------------------------------


async def put_rules(session: AsyncSession, caller: Principal, year: int, data: RulesIn) -> RulesOut:
    async with session.begin():
        ctx = await load_year(session, PROGRAMME, year)
        codes = [c.strip().upper() for c in data.bundle_codes]
        known = {t.code for t in await types_of(session, ctx.id)}
        if unknown := [c for c in codes if c not in known]:
            raise InvalidInput("rules.bundle_unknown", f"优惠组合中有未配置的保障项目：{'、'.join(unknown)}")
        if data.ratio_min_pct > data.ratio_max_pct:
            raise InvalidInput("rules.ratio_order", "参保比例下限不能高于上限")
        row = await session.get(MutualAidRules, ctx.id, with_for_update=True) or MutualAidRules(
            programme_year_id=ctx.id
        )
        for key, value in data.model_dump().items():
            setattr(row, key, value)
        row.bundle_codes, row.updated_by, row.updated_at = codes, caller.user_id, datetime.now().astimezone()
        session.add(row)
    return rules_out(row)


def rules_out(row: MutualAidRules) -> RulesOut:
    return RulesOut(**row.model_dump(exclude={"programme_year_id", "updated_by", "updated_at"}))


SUGGESTED_UPDATED = ("id_masked", "name", "unit_code", "employment")
HEADCOUNT_UPDATED = ("unit_name", "headcount")
UPSERT_CHUNK = 1000  # rows per statement: far below PostgreSQL's 32,767 parameters


def suggested_row(vault: RosterVault, name: str, id_number: str, unit_code: str, employment: str) -> dict[str, object]:
    return {
        "id_digest": vault.digest(id_number), "id_masked": mask_id_number(id_number.strip().upper()),
        "name": name.strip(), "unit_code": unit_code.strip(), "employment": Employment(employment).value,
    }  # fmt: skip


async def put_suggested(session: AsyncSession, vault: RosterVault, year: int, data: SuggestedIn) -> int:
    """建议清册 rows, upserted by ID number (a later load wins)."""
    rows = [suggested_row(vault, p.name, p.id_number, p.unit_code, p.employment) for p in data.people]
    async with session.begin():
        ctx = await load_year(session, PROGRAMME, year)
        await upsert(session, SuggestedPerson, ctx.id, rows, ("id_digest",), SUGGESTED_UPDATED)
    return len(rows)


async def put_headcounts(session: AsyncSession, year: int, data: HeadcountsIn) -> int:
    rows = [u.model_dump() for u in data.units]
    async with session.begin():
        ctx = await load_year(session, PROGRAMME, year)
        await upsert(session, UnitHeadcount, ctx.id, rows, ("unit_code",), HEADCOUNT_UPDATED)
    return len(rows)


async def upsert(
    session: AsyncSession, table: type, year_id: int, rows: Sequence[Mapping[str, object]], keys: tuple[str, ...],
    updated: tuple[str, ...],
) -> int:  # fmt: skip
    """Insert or replace the rows by their keys, `UPSERT_CHUNK` rows a statement; how many were new."""
    added = 0
    for at in range(0, len(rows), UPSERT_CHUNK):
        stmt = insert(table).values([{"programme_year_id": year_id, **r} for r in rows[at : at + UPSERT_CHUNK]])
        stmt = stmt.on_conflict_do_update(
            index_elements=["programme_year_id", *keys],
            set_={**{k: getattr(stmt.excluded, k) for k in updated}, "updated_at": sa.func.now()},
        ).returning(sa.literal_column("xmax = 0"))  # a row PostgreSQL inserted rather than updated
        added += sum(1 for (inserted,) in (await session.exec(stmt)).all() if inserted)
    return added


async def suggested_of(session: AsyncSession, year_id: int, digests: Sequence[bytes]) -> dict[bytes, SuggestedPerson]:
    if not digests:
        return {}
    rows = await session.exec(
        select(SuggestedPerson).where(
            SuggestedPerson.programme_year_id == year_id, col(SuggestedPerson.id_digest).in_(list(digests))
        )
    )
    return {r.id_digest: r for r in rows}


async def headcounts_of(session: AsyncSession, year_id: int, codes: Sequence[str]) -> dict[str, UnitHeadcount]:
    if not codes:
        return {}
    rows = await session.exec(
        select(UnitHeadcount).where(
            UnitHeadcount.programme_year_id == year_id, col(UnitHeadcount.unit_code).in_(list(codes))
        )
    )
    return {r.unit_code: r for r in rows}


async def previous_year_id(session: AsyncSession, year: int) -> int | None:
    row = (
        await session.exec(
            select(ProgrammeYear.id).where(ProgrammeYear.programme_code == PROGRAMME, ProgrammeYear.year == year - 1)
        )
    ).first()
    return row


# --- reading -----------------------------------------------------------------------------------------------


def view(data: YearData, now: datetime) -> YearView:
    ctx, row = data.ctx, data.ctx.row
    windows = sorted(ctx.windows.values(), key=lambda w: w.opens_at)
    return YearView(
        programme=PROGRAMME, programme_name=ctx.programme.name, year=row.year, insurance_start=row.insurance_start,
        insurance_end=row.insurance_end,
        windows=[WindowOut(kind=w.kind, label=LABELS.get(w.kind, w.kind), opens_at=w.opens_at,
                           closes_at=w.closes_at, open_now=w.is_open(now)) for w in windows],
        open_now=[kind for kind in EnrollmentType if data.window_open(kind, now)],
        items=[
            ItemOut(code=i.code, name=i.name, full_fen=i.full_fen, half_fen=i.half_fen, waiting_days=i.waiting_days,
                    accident_exempt=i.accident_exempt, social_security_only=i.social_security_only)
            for i in data.catalogue.items
        ],
        rules=rules_out(data.rules), voucher_days=row.instant_pay_days, retirement_age_male=row.retirement_age_male,
        retirement_age_female=row.retirement_age_female, payee_name=row.payee_name, payee_account=row.payee_account,
        payee_bank=row.payee_bank,
    )  # fmt: skip
