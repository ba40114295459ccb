"""The programme model as data: programmes, their years (period, windows, deadlines, accounts) and
guarantee types with premium and default split — configured by the city federation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import DomainError, NotFound

from ..domain import programmes as rules
from ..domain.coverage import Period, check_period
from ..domain.split import Split, check_split
from ..domain.standing import RetirementAges
from ..domain.windows import LABELS, Window, check_bounds
from ..models import GuaranteeType, Programme, ProgrammeWindow, ProgrammeYear, Submission
from ..schemas import ProgrammeIn, ProgrammeOut, SplitOut, TypeIn, TypeOut, WindowOut, YearIn, YearOut


@dataclass(frozen=True)
class YearContext:
    """A programme-year as the use cases need it."""

    programme: Programme
    row: ProgrammeYear
    windows: dict[str, Window]

    @property
    def id(self) -> int:
        assert self.row.id is not None
        return self.row.id

    @property
    def period(self) -> Period:
        return Period(self.row.insurance_start, self.row.insurance_end)

    @property
    def ages(self) -> RetirementAges:
        return RetirementAges(self.row.retirement_age_male, self.row.retirement_age_female)


async def load_year(session: AsyncSession, code: str, year: int) -> YearContext:
    programme = await session.get(Programme, code)
    row = (
        await session.exec(
            select(ProgrammeYear).where(ProgrammeYear.programme_code == code, ProgrammeYear.year == year)
        )
    ).first()
    if programme is None or row is None:
        raise NotFound("保障年度")
    windows = await session.exec(select(ProgrammeWindow).where(ProgrammeWindow.programme_year_id == row.id))
    return YearContext(programme, row, {w.kind: Window(w.kind, w.opens_at, w.closes_at) for w in windows})


async def year_by_id(session: AsyncSession, year_id: int) -> YearContext:
    row = await session.get(ProgrammeYear, year_id)
    assert row is not None
    return await load_year(session, row.programme_code, row.year)


async def types_of(session: AsyncSession, year_id: int) -> list[GuaranteeType]:
    rows = await session.exec(
        select(GuaranteeType)
        .where(GuaranteeType.programme_year_id == year_id)
        .order_by(col(GuaranteeType.sort), col(GuaranteeType.code))
    )
    return list(rows)


async def type_by_code(session: AsyncSession, year_id: int, code: str, *, active: bool = True) -> GuaranteeType:
    row = (
        await session.exec(
            select(GuaranteeType).where(GuaranteeType.programme_year_id == year_id, GuaranteeType.code == code)
        )
    ).first()
    if row is None or (active and not row.active):
        raise NotFound("保障类型")
    return row


# --- configuration (city) ------------------------------------------------------------------------------


async def upsert_programme(session: AsyncSession, code: str, data: ProgrammeIn) -> Programme:
    rules.check_programme_code(code)
    async with session.begin():
        row = await session.get(Programme, code) or Programme(code=code, name=data.name)
        row.name, row.description = data.name.strip(), data.description.strip()
        session.add(row)
    return row


async def upsert_year(session: AsyncSession, code: str, year: int, data: YearIn) -> None:
    rules.check_year(year)
    check_period(data.insurance_start, data.insurance_end)
    rules.check_ages(data.retirement_age_male, data.retirement_age_female)
    windows = [check_bounds(kind, w.opens_at, w.closes_at) for kind, w in data.windows.items()]
    async with session.begin():
        if await session.get(Programme, code) is None:
            raise NotFound("保障项目")
        row = (
            await session.exec(
                select(ProgrammeYear)
                .where(ProgrammeYear.programme_code == code, ProgrammeYear.year == year)
                .with_for_update()
            )
        ).first()
        if row is not None:
            await _check_period_unchanged(session, row, data)
        row = row or ProgrammeYear.model_validate(
            {"programme_code": code, "year": year, "version": 0, **_year_fields(data)}
        )
        for key, value in _year_fields(data).items():
            setattr(row, key, value)
        row.version += 1
        session.add(row)
        await session.flush()
        await session.exec(sa.delete(ProgrammeWindow).where(col(ProgrammeWindow.programme_year_id) == row.id))
        assert row.id is not None
        session.add_all(ProgrammeWindow(programme_year_id=row.id, **vars(w)) for w in windows)


def _year_fields(data: YearIn) -> dict[str, object]:
    return data.model_dump(exclude={"windows"})


async def _check_period_unchanged(session: AsyncSession, row: ProgrammeYear, data: YearIn) -> None:
    changed = (row.insurance_start, row.insurance_end) != (data.insurance_start, data.insurance_end)
    if changed and await _year_in_use(session, row.id):
        raise DomainError("year.in_use", "本保障年度已有参保提交，不能再修改保障期间")


async def _year_in_use(session: AsyncSession, year_id: int | None) -> bool:
    used = await session.exec(select(Submission.id).where(Submission.programme_year_id == year_id).limit(1))
    return used.first() is not None


async def upsert_type(session: AsyncSession, code: str, year: int, type_code: str, data: TypeIn) -> None:
    rules.check_type_code(type_code)
    split = check_split(data.premium_fen, Split(data.city_fen, data.district_fen, data.grassroots_fen))
    async with session.begin():
        ctx = await load_year(session, code, year)
        row = (
            await session.exec(
                select(GuaranteeType)
                .where(GuaranteeType.programme_year_id == ctx.id, GuaranteeType.code == type_code)
                .with_for_update()
            )
        ).first()
        if row is not None and _price_changed(row, data, split) and await _type_in_use(session, row.id):
            raise DomainError("type.in_use", "该保障类型已有参保提交，不能再修改参保费用及分摊")
        row = row or GuaranteeType(programme_year_id=ctx.id, code=type_code, **data.model_dump())
        for key, value in data.model_dump().items():
            setattr(row, key, value)
        session.add(row)


def _price_changed(row: GuaranteeType, data: TypeIn, split: Split) -> bool:
    old = (row.premium_fen, row.city_fen, row.district_fen, row.grassroots_fen, row.half_year_premium_fen)
    return old != (
        data.premium_fen,
        split.city_fen,
        split.district_fen,
        split.grassroots_fen,
        data.half_year_premium_fen,
    )


async def _type_in_use(session: AsyncSession, type_id: int | None) -> bool:
    used = await session.exec(select(Submission.id).where(Submission.guarantee_type_id == type_id).limit(1))
    return used.first() is not None


# --- reading ---------------------------------------------------------------------------------------------


async def list_programmes(session: AsyncSession) -> list[ProgrammeOut]:
    programmes = (await session.exec(select(Programme).order_by(col(Programme.code)))).all()
    years = (await session.exec(select(ProgrammeYear.programme_code, ProgrammeYear.year))).all()
    by_code: dict[str, list[int]] = {}
    for code, year in years:
        by_code.setdefault(code, []).append(year)
    return [
        ProgrammeOut(code=p.code, name=p.name, description=p.description, years=sorted(by_code.get(p.code, [])))
        for p in programmes
    ]


async def year_out(session: AsyncSession, ctx: YearContext, now: datetime) -> YearOut:
    types = await types_of(session, ctx.id)
    windows = sorted(ctx.windows.values(), key=lambda w: w.opens_at)
    return YearOut(
        programme=ctx.programme.code,
        programme_name=ctx.programme.name,
        **ctx.row.model_dump(exclude={"id", "programme_code"}),
        windows=[
            WindowOut(
                kind=w.kind,
                label=LABELS.get(w.kind, w.kind),
                opens_at=w.opens_at,
                closes_at=w.closes_at,
                open_now=w.is_open(now),
            )
            for w in windows
        ],  # fmt: skip
        types=[type_out(t) for t in types],
    )


def type_out(t: GuaranteeType) -> TypeOut:
    return TypeOut(
        code=t.code,
        name=t.name,
        premium_fen=t.premium_fen,
        default_split=SplitOut(city_fen=t.city_fen, district_fen=t.district_fen, grassroots_fen=t.grassroots_fen),
        half_year_premium_fen=t.half_year_premium_fen,
        waiting_days=t.waiting_days,
        active=t.active,
        sort=t.sort,
        accident_exempt=t.accident_exempt,
        social_security_only=t.social_security_only,
    )
