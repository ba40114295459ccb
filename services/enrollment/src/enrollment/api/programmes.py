"""Programme and programme-year configuration (city), and the year as every tier reads it."""

from __future__ import annotations

from fastapi import APIRouter

from runtime.db import Session
from runtime.tokens import Caller

from ..schemas import ProgrammeIn, ProgrammeOut, TypeIn, TypeOut, YearIn, YearOut
from ..service import programmes
from .deps import CITY, ClockDep

router = APIRouter(prefix="/programmes", tags=["programmes"])


@router.get("", response_model=list[ProgrammeOut])
async def list_programmes(session: Session, _: Caller) -> list[ProgrammeOut]:
    return await programmes.list_programmes(session)


@router.put("/{code}", response_model=ProgrammeOut, dependencies=[CITY])
async def put_programme(code: str, data: ProgrammeIn, session: Session) -> ProgrammeOut:
    await programmes.upsert_programme(session, code, data)
    return next(p for p in await programmes.list_programmes(session) if p.code == code)


@router.get("/{code}/years/{year}", response_model=YearOut)
async def get_year(code: str, year: int, session: Session, _: Caller, clock: ClockDep) -> YearOut:
    return await programmes.year_out(session, await programmes.load_year(session, code, year), clock.now())


@router.put("/{code}/years/{year}", response_model=YearOut, dependencies=[CITY])
async def put_year(code: str, year: int, data: YearIn, session: Session, clock: ClockDep) -> YearOut:
    await programmes.upsert_year(session, code, year, data)
    return await programmes.year_out(session, await programmes.load_year(session, code, year), clock.now())


@router.put("/{code}/years/{year}/types/{type_code}", response_model=TypeOut, dependencies=[CITY])
async def put_type(code: str, year: int, type_code: str, data: TypeIn, session: Session) -> TypeOut:
    await programmes.upsert_type(session, code, year, type_code, data)
    ctx = await programmes.load_year(session, code, year)
    return programmes.type_out(await programmes.type_by_code(session, ctx.id, type_code, active=False))
