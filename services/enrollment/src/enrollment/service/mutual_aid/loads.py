"""The insurer's loads of a year as files — 建议清册 and 社保在职人数 — with their templates, lists and exports.
The headcount load serves the retiree plan's 社保人数 (退休人数) too: a `HeadcountKind` names the table, the
programme and the count's column, everything else is the same.

An upload is read and checked before anything is stored (`domain.mutual_aid.loads`): a file with a wrong
row stores nothing and the answer (422, `load.rows_invalid`) names every wrong row. A good file is
upserted in one transaction, `years.UPSERT_CHUNK` rows a statement, so tens of thousands of rows load
at once and a file cut off halfway stored nothing. The suggested roster keeps no ID number: its blind
index (the join with rosters) and the masked copy the list shows; a search by ID number needs the whole
number.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import SHANGHAI
from runtime.errors import InvalidInput
from runtime.spreadsheet import workbook_bytes

from ...domain.mutual_aid import loads
from ...domain.mutual_aid.template import RowProblem
from ...models import RetireeHeadcount, SuggestedPerson, UnitHeadcount
from ...schemas.mutual_aid import HeadcountOut, LoadOut, LoadProblemOut, SuggestedOut
from ..programmes import load_year
from . import PROGRAMME, workbook, years
from .vault import RosterVault

SUGGESTED_TEMPLATE = "建议清册导入模板"
SUGGESTED_HEADER = ("*姓名", "*证件号码", "*单位社保编码", "*职退状态 (在职、退休、-)")
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class HeadcountKind:
    """Whose headcounts: the table they are upserted into, the programme whose year they belong to, and
    the count's column (template, reasons, list and export)."""

    table: type[UnitHeadcount] | type[RetireeHeadcount]
    programme: str
    label: str  # 社保在职人数 / 退休人数

    @property
    def template(self) -> str:
        return f"{self.label}导入模板"

    @property
    def header(self) -> tuple[str, ...]:
        return ("*单位社保编码", "单位名称", f"*{self.label}")

    @property
    def columns(self) -> tuple[str, ...]:
        return ("单位社保编码", "单位名称", self.label)


IN_SERVICE = HeadcountKind(UnitHeadcount, PROGRAMME, "社保在职人数")


# --- templates -------------------------------------------------------------------------------------------


def suggested_template() -> bytes:
    return _book("建议清册", SUGGESTED_HEADER, [], text_columns=("B", "C"))


def headcount_template(kind: HeadcountKind = IN_SERVICE) -> bytes:
    return _book(kind.label, kind.header, [], text_columns=("A",))


def suggested_file(people: Sequence[Sequence[object]]) -> bytes:
    """A filled 建议清册 template, cells as given (tests and demo data)."""
    return _book("建议清册", SUGGESTED_HEADER, people, text_columns=("B", "C"))


def headcount_file(units: Sequence[Sequence[object]], kind: HeadcountKind = IN_SERVICE) -> bytes:
    return _book(kind.label, kind.header, units, text_columns=("A",))


def _book(title: str, header: Sequence[str], rows: Sequence[Sequence[object]], text_columns: Sequence[str]) -> bytes:
    """The number and code columns are formatted as text so Excel keeps their leading zeros."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = title
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for letter in text_columns:
        sheet.column_dimensions[letter].number_format = "@"
        sheet.column_dimensions[letter].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- uploads ---------------------------------------------------------------------------------------------


def _rejected(problems: Sequence[RowProblem]) -> InvalidInput:
    rows = sorted({p.row_no for p in problems})
    listed = [LoadProblemOut(row_no=p.row_no, column=p.column, code=p.code, reason=p.reason) for p in problems]
    return InvalidInput(
        "load.rows_invalid", f"文件中有{len(rows)}行数据有误，未导入任何数据，请修改后重新上传",
        rows=[p.model_dump() for p in sorted(listed, key=lambda p: p.row_no)], bad_rows=len(rows),
    )  # fmt: skip


def _read_suggested(content: bytes, today: date) -> loads.Loaded[loads.SuggestedEntry]:
    found = workbook.sheet_rows(content, loads.SUGGESTED_COLUMNS, SUGGESTED_TEMPLATE, loads.MAX_ROWS)
    return loads.read_suggested([loads.SuggestedLine(n, *texts) for n, texts in found], today)


def _read_headcounts(content: bytes, kind: HeadcountKind) -> loads.Loaded[loads.HeadcountEntry]:
    found = workbook.sheet_rows(content, kind.columns, kind.template, loads.MAX_ROWS)
    return loads.read_headcounts([loads.HeadcountLine(n, *texts) for n, texts in found], kind.label)


async def upload_suggested(
    session: AsyncSession, vault: RosterVault, year: int, file_name: str, content: bytes, max_bytes: int, today: date
) -> LoadOut:
    workbook.check_upload(file_name, content, max_bytes, SUGGESTED_TEMPLATE)
    read = await asyncio.to_thread(_read_suggested, content, today)
    if read.problems:
        raise _rejected(read.problems)
    rows = [years.suggested_row(vault, e.name, e.id_number, e.unit_code, e.employment) for e in read.entries]
    async with session.begin():
        ctx = await load_year(session, PROGRAMME, year)
        added = await years.upsert(session, SuggestedPerson, ctx.id, rows, ("id_digest",), years.SUGGESTED_UPDATED)
    return _loaded(len(rows), added)


async def upload_headcounts(
    session: AsyncSession, year: int, file_name: str, content: bytes, max_bytes: int, kind: HeadcountKind = IN_SERVICE
) -> LoadOut:
    workbook.check_upload(file_name, content, max_bytes, kind.template)
    read = await asyncio.to_thread(_read_headcounts, content, kind)
    if read.problems:
        raise _rejected(read.problems)
    rows = [{"unit_code": e.unit_code, "unit_name": e.unit_name, "headcount": e.headcount} for e in read.entries]
    async with session.begin():
        ctx = await load_year(session, kind.programme, year)
        added = await years.upsert(session, kind.table, ctx.id, rows, ("unit_code",), years.HEADCOUNT_UPDATED)
    return _loaded(len(rows), added)


def _loaded(rows: int, added: int) -> LoadOut:
    updated = rows - added
    summary = f"数据读取：{rows}条，成功导入：{rows}条（新增加{added}条，更新{updated}条）"
    return LoadOut(rows=rows, added=added, updated=updated, summary=summary)


# --- lists -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestedFilter:
    unit_code: str | None = None  # 单位社保编码, its beginning
    name: str | None = None  # part of the name
    id_number: str | None = None  # the whole number (only its blind index is kept)


@dataclass(frozen=True)
class HeadcountFilter:
    unit_code: str | None = None
    unit_name: str | None = None


def _suggested_where(year_id: int, vault: RosterVault, f: SuggestedFilter) -> list[sa.ColumnElement[bool]]:
    where = [col(SuggestedPerson.programme_year_id) == year_id]
    if f.unit_code and f.unit_code.strip():
        where.append(col(SuggestedPerson.unit_code).startswith(f.unit_code.strip().upper(), autoescape=True))
    if f.name and f.name.strip():
        where.append(col(SuggestedPerson.name).contains(f.name.strip(), autoescape=True))
    if f.id_number and f.id_number.strip():
        where.append(col(SuggestedPerson.id_digest) == vault.digest("".join(f.id_number.split())))
    return where


def _headcount_where(
    table: type[UnitHeadcount] | type[RetireeHeadcount], year_id: int, f: HeadcountFilter
) -> list[sa.ColumnElement[bool]]:
    where = [col(table.programme_year_id) == year_id]
    if f.unit_code and f.unit_code.strip():
        where.append(col(table.unit_code).startswith(f.unit_code.strip().upper(), autoescape=True))
    if f.unit_name and f.unit_name.strip():
        where.append(col(table.unit_name).contains(f.unit_name.strip(), autoescape=True))
    return where


def _suggested_out(r: SuggestedPerson) -> SuggestedOut:
    return SuggestedOut(
        name=r.name, id_number=r.id_masked, unit_code=r.unit_code, employment=r.employment, updated_at=r.updated_at
    )


def _headcount_out(r: UnitHeadcount | RetireeHeadcount) -> HeadcountOut:
    return HeadcountOut(unit_code=r.unit_code, unit_name=r.unit_name, headcount=r.headcount, updated_at=r.updated_at)


async def _year_id(session: AsyncSession, year: int, programme: str = PROGRAMME) -> int:
    return (await load_year(session, programme, year)).id


async def suggested(
    session: AsyncSession, vault: RosterVault, year: int, f: SuggestedFilter, page: int, size: int
) -> tuple[list[SuggestedOut], int]:
    where = _suggested_where(await _year_id(session, year), vault, f)
    total = (await session.exec(select(sa.func.count()).select_from(SuggestedPerson).where(*where))).one()
    rows = await session.exec(
        select(SuggestedPerson)
        .where(*where)
        .order_by(col(SuggestedPerson.unit_code), col(SuggestedPerson.name), col(SuggestedPerson.id_digest))
        .offset((page - 1) * size)
        .limit(size)
    )
    return [_suggested_out(r) for r in rows], int(total)


async def headcounts(
    session: AsyncSession, year: int, f: HeadcountFilter, page: int, size: int, kind: HeadcountKind = IN_SERVICE
) -> tuple[list[HeadcountOut], int]:
    table = kind.table
    where = _headcount_where(table, await _year_id(session, year, kind.programme), f)
    total = (await session.exec(select(sa.func.count()).select_from(table).where(*where))).one()
    stmt = select(table).where(*where).order_by(col(table.unit_code)).offset((page - 1) * size).limit(size)
    return [_headcount_out(r) for r in await _headcount_rows(session, stmt)], int(total)


async def _headcount_rows(session: AsyncSession, stmt: Any) -> Sequence[UnitHeadcount | RetireeHeadcount]:
    """`select()` of a table chosen at run time is typed as any table; these are one of the two."""
    return cast("Sequence[UnitHeadcount | RetireeHeadcount]", (await session.exec(stmt)).all())


def _local(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


async def export_suggested(session: AsyncSession, vault: RosterVault, year: int, f: SuggestedFilter) -> bytes:
    where = _suggested_where(await _year_id(session, year), vault, f)
    rows = await session.exec(
        select(SuggestedPerson)
        .where(*where)
        .order_by(col(SuggestedPerson.unit_code), col(SuggestedPerson.name), col(SuggestedPerson.id_digest))
        .limit(EXPORT_LIMIT)
    )
    body = ((r.name, r.id_masked, r.unit_code, r.employment, _local(r.updated_at)) for r in rows)
    return workbook_bytes(f"{year}年度建议清册", ("姓名", "证件号码", "单位社保编码", "职退状态", "导入时间"), body)


async def export_headcounts(
    session: AsyncSession, year: int, f: HeadcountFilter, kind: HeadcountKind = IN_SERVICE
) -> bytes:
    table = kind.table
    where = _headcount_where(table, await _year_id(session, year, kind.programme), f)
    rows = await _headcount_rows(
        session, select(table).where(*where).order_by(col(table.unit_code)).limit(EXPORT_LIMIT)
    )
    body = ((r.unit_code, r.unit_name, r.headcount, _local(r.updated_at)) for r in rows)
    return workbook_bytes(f"{year}年度{kind.label}", (*kind.columns, "导入时间"), body)
