"""参保批次人员管理: the roster of a batch — built from an upload, last year's roster or the member
registry (形成参保名单有3种方式), listed with its filters (职退状态, 是否超龄), edited (非身份证 rows only),
removed one by one or in bulk, over-age rows kept by ticking 社保尚在缴金, and 姓名匹配异常 confirmed.

Names follow the suggested roster (建议清册) when it holds the person; when the suggested roster, the
member registry and the upload disagree, the row keeps the options until the clerk picks one.
Every change needs an editable batch ("缴费凭证上传后，参保清册不能再修改").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentType
from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.identity import InvalidIdentifier, mask_id_number, mask_phone, validate_mobile
from runtime.pii import PiiDecryptError
from runtime.tokens import Principal

from ...domain.coverage import Period, instant_cover_start
from ...domain.mutual_aid.batch import BatchStatus, check_roster_editable
from ...domain.mutual_aid.roster import Employment, choose_name
from ...domain.mutual_aid.template import IdType
from ...domain.standing import RetirementAges
from ...models import MemberRef, MutualAidBatch, RosterRow, SocialFact
from ...schemas.mutual_aid import BuildOut, RowEditIn, RowOut
from . import batches, years
from .batches import Actor
from .vault import RosterVault


class Source:
    UPLOAD = "本地导入"
    LAST_YEAR = "上年度"
    REGISTRY = "会员库"


@dataclass(frozen=True)
class Candidate:
    """A person to put on a roster, whatever the source."""

    name: str
    id_type: str
    id_number: str
    birth_date: date
    gender: str
    phone: str | None
    has_social_security: bool
    employment: str = Employment.UNKNOWN.value
    member_id: str | None = None


@dataclass(frozen=True)
class Stored:
    added: int
    updated: int


# --- putting people on a roster ----------------------------------------------------------------------------


async def put_people(
    session: AsyncSession, vault: RosterVault, batch: MutualAidBatch, people: Sequence[Candidate], source: str,
    registry_names: dict[bytes, str] | None = None,
) -> Stored:  # fmt: skip
    """Add the new people, update the ones already on the roster (same ID number): 新增加 n 人，修改 m 人."""
    digests = [vault.digest(p.id_number) for p in people]
    existing = {
        r.id_digest: r
        for r in await session.exec(
            select(RosterRow).where(RosterRow.batch_no == batch.batch_no, col(RosterRow.id_digest).in_(digests))
        )
    }
    suggested = await years.suggested_of(session, batch.programme_year_id, digests)
    registry_names = registry_names or {}
    added = updated = 0
    now = datetime.now(UTC)
    for person, digest in zip(people, digests, strict=True):
        hint = suggested.get(digest)
        registry = person.name if source == Source.REGISTRY else registry_names.get(digest)
        choice = choose_name(person.name, registry, hint.name if hint else None)
        row = existing.get(digest)
        if row is None:
            row = RosterRow(
                batch_no=batch.batch_no, programme_year_id=batch.programme_year_id, id_type=person.id_type,
                id_enc=vault.seal_id(person.id_number), id_digest=digest, id_masked=mask_id_number(person.id_number),
                birth_date=person.birth_date, gender=person.gender, name=choice.name, source=source, created_at=now,
            )  # fmt: skip
            added += 1
        else:
            updated += 1
        row.name = choice.name
        row.name_options = list(choice.options) if choice.needs_confirmation else []
        row.birth_date, row.gender = person.birth_date, person.gender
        if person.phone:
            row.phone_enc, row.phone_masked = vault.seal_phone(person.phone), mask_phone(person.phone)
        employed_by_hint = hint is not None and hint.employment == Employment.EMPLOYED
        row.has_social_security = person.has_social_security or employed_by_hint
        row.employment = hint.employment if hint else _employment(person)
        row.unit_code, row.suggested = (hint.unit_code if hint else None), hint is not None
        row.member_id = person.member_id or row.member_id
        row.problem, row.updated_at = "", now
        session.add(row)
    await session.flush()
    return Stored(added, updated)


def _employment(person: Candidate) -> str:
    """ "导入模板最后一栏：是否有社保，选择【是】即可" — a person with social security shows 在职."""
    if person.employment != Employment.UNKNOWN:
        return person.employment
    return Employment.EMPLOYED.value if person.has_social_security else Employment.UNKNOWN.value


async def registry_names(session: AsyncSession, vault: RosterVault, org_id: int | None) -> dict[bytes, str]:
    """会员库姓名 of the union's members by ID number, for the name check of an upload."""
    if org_id is None:
        return {}
    names = {}
    for member in await _members(session, org_id):
        number = _open_member(vault, member)
        if number:
            names[vault.digest(number)] = member.name
    return names


async def _members(session: AsyncSession, org_id: int) -> list[MemberRef]:
    rows = await session.exec(select(MemberRef).where(MemberRef.org_id == org_id, col(MemberRef.active)))
    return list(rows)


def _open_member(vault: RosterVault, member: MemberRef) -> str | None:
    if not member.id_sealed:
        return None
    try:
        return vault.from_partner(member.id_sealed)
    except PiiDecryptError:
        return None


async def from_last_year(session: AsyncSession, caller: Principal, vault: RosterVault, no: str) -> BuildOut:
    """获取上年度参保名单: the people of the code's completed batches of the year before."""
    async with session.begin():
        batch = await _editable(session, caller, no)
        data = await years.of_batch(session, batch.programme_year_id)
        last_id = await years.previous_year_id(session, data.ctx.row.year)
        rows = await last_year_rows(session, last_id, batch.code) if last_id else []
        people = [
            Candidate(r.name, r.id_type, vault.open_id(r.id_enc), r.birth_date, r.gender, None,
                      r.has_social_security, r.employment, r.member_id)
            for r in rows
        ]  # fmt: skip
        if not people:
            raise DomainError("roster.no_last_year", "没有找到本参保编码上年度的参保名单")
        names = await registry_names(session, vault, batch.org_id)
        stored = await put_people(session, vault, batch, people, Source.LAST_YEAR, names)
        _log_build(session, batch, caller, "获取上年度参保名单", stored)
    return BuildOut(added=stored.added, updated=stored.updated)


async def last_year_rows(session: AsyncSession, year_id: int, code: str) -> list[RosterRow]:
    rows = await session.exec(
        select(RosterRow)
        .join(MutualAidBatch, col(MutualAidBatch.batch_no) == col(RosterRow.batch_no))
        .where(
            MutualAidBatch.programme_year_id == year_id,
            MutualAidBatch.code == code,
            MutualAidBatch.status == BatchStatus.COMPLETED,
        )
        .order_by(col(RosterRow.id))
    )
    return list(rows)


async def last_year_insured(session: AsyncSession, year: int, code: str) -> int | None:
    """上年度参保人数 of the code: None for a unit new to the programme (新参保单位)."""
    last_id = await years.previous_year_id(session, year)
    if last_id is None:
        return None
    count = await session.exec(
        select(sa.func.count())
        .select_from(RosterRow)
        .join(MutualAidBatch, col(MutualAidBatch.batch_no) == col(RosterRow.batch_no))
        .where(
            MutualAidBatch.programme_year_id == last_id,
            MutualAidBatch.code == code,
            MutualAidBatch.status == BatchStatus.COMPLETED,
        )
    )
    return int(count.one()) or None


async def from_registry(session: AsyncSession, caller: Principal, vault: RosterVault, no: str) -> BuildOut:
    """获取“会员库”本单位工会会员名单: the union's active members; 职退状态 from social security when known."""
    async with session.begin():
        batch = await _editable(session, caller, no)
        if batch.org_id is None:
            raise DomainError("roster.no_registry", "本单位没有工会会员库，请上传参保名单")
        people, skipped = [], 0
        for member in await _members(session, batch.org_id):
            number = _open_member(vault, member)
            if number is None or member.birth_date is None or member.gender not in ("男", "女"):
                skipped += 1
                continue
            fact = await session.get(SocialFact, member.member_id)
            people.append(_member_candidate(member, number, fact))
        stored = await put_people(session, vault, batch, people, Source.REGISTRY)
        _log_build(session, batch, caller, "获取会员库名单", stored, skipped=skipped)
    return BuildOut(added=stored.added, updated=stored.updated, skipped=skipped)


def _member_candidate(member: MemberRef, number: str, fact: SocialFact | None) -> Candidate:
    id_type = IdType.ID_CARD if member.id_type == IdType.ID_CARD else IdType.OTHER
    employment, has_ss = Employment.UNKNOWN.value, False  # "职退情况一栏都是“-”…是否有社保一栏都是否"
    if fact is not None and fact.retired:
        employment = Employment.RETIRED.value
    elif fact is not None and fact.employment_checked and fact.employed:
        employment, has_ss = Employment.EMPLOYED.value, True
    assert member.birth_date is not None
    return Candidate(
        member.name, id_type.value, number, member.birth_date, member.gender, None, has_ss, employment, member.member_id
    )


def _log_build(
    session: AsyncSession, batch: MutualAidBatch, caller: Principal, label: str, stored: Stored, **extra: int
) -> None:
    batches.record(session, batch.batch_no, "roster_build", label, Actor.of(caller),
                   detail={"added": stored.added, "updated": stored.updated, **extra})  # fmt: skip


# --- listing ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowFilter:
    name: str | None = None
    id_number: str | None = None
    employment: str | None = None
    over_age: bool | None = None
    problem: bool | None = None


def as_of(batch: MutualAidBatch, period_start: date, period_end: date, today: date) -> date:
    """The day the age limits apply: the day cover starts (expected: tomorrow, for an instant roster)."""
    if batch.cover_start is not None:
        return batch.cover_start
    if batch.enrollment_type == EnrollmentType.COLLECTIVE:
        return period_start
    return instant_cover_start(today, Period(period_start, period_end)) or period_end


def over_age_cutoffs(ages: RetirementAges, day: date) -> tuple[date, date]:
    """Born on or before these days (men, women), a person has reached the age limit on `day`."""
    return _years_before(day, ages.male), _years_before(day, ages.female)


def _years_before(day: date, years_back: int) -> date:
    try:
        return day.replace(year=day.year - years_back)
    except ValueError:  # February 29 in a year without one: the birthday counts from March 1
        return day.replace(year=day.year - years_back, day=28)


def over_age_clause(cutoffs: tuple[date, date]):  # type: ignore[no-untyped-def]
    male, female = cutoffs
    return sa.or_(
        sa.and_(col(RosterRow.gender) == "男", col(RosterRow.birth_date) <= male),
        sa.and_(col(RosterRow.gender) != "男", col(RosterRow.birth_date) <= female),
    )


async def list_rows(
    session: AsyncSession, caller: Principal, vault: RosterVault, no: str, f: RowFilter, page: int, size: int,
    today: date,
) -> tuple[list[RowOut], int]:  # fmt: skip
    batch = await batches.visible(session, caller, no)
    data = await years.of_batch(session, batch.programme_year_id)
    cutoffs = over_age_cutoffs(data.ctx.ages, as_of(batch, data.ctx.period.start, data.ctx.period.end, today))
    where = [col(RosterRow.batch_no) == no]
    if f.name:
        where.append(col(RosterRow.name).contains(f.name.strip()))
    if f.id_number:
        where.append(col(RosterRow.id_digest) == vault.digest(f.id_number))
    if f.employment:
        where.append(col(RosterRow.employment) == f.employment)
    if f.over_age is not None:
        clause = over_age_clause(cutoffs)
        where.append(clause if f.over_age else sa.not_(clause))
    if f.problem is not None:
        where.append(col(RosterRow.problem) != "" if f.problem else col(RosterRow.problem) == "")
    total = (await session.exec(select(sa.func.count()).select_from(RosterRow).where(*where))).one()
    rows = await session.exec(
        select(RosterRow).where(*where).order_by(col(RosterRow.id)).offset((page - 1) * size).limit(size)
    )
    return [row_out(r, cutoffs) for r in rows], int(total)


def row_out(r: RosterRow, cutoffs: tuple[date, date]) -> RowOut:
    assert r.id is not None
    male, female = cutoffs
    over = r.birth_date <= (male if r.gender == "男" else female)
    return RowOut(
        id=r.id, name=r.name, name_options=r.name_options, id_type=r.id_type, id_number=r.id_masked,
        birth_date=r.birth_date, gender=r.gender, phone=r.phone_masked, has_social_security=r.has_social_security,
        employment=r.employment, unit_code=r.unit_code, suggested=r.suggested, over_age=over,
        over_age_kept=r.over_age_kept, source=r.source, checking=r.check_request_id is not None,
        check_note=r.check_note, problem=r.problem, premium_fen=r.premium_fen, editable=r.id_type == IdType.OTHER,
    )  # fmt: skip


# --- editing ---------------------------------------------------------------------------------------------


async def _editable(session: AsyncSession, caller: Principal, no: str) -> MutualAidBatch:
    batch = await batches.owned(session, caller, no)
    check_roster_editable(BatchStatus(batch.status))
    await batches.check_not_checking(session, no)
    return batch


async def _row(session: AsyncSession, no: str, row_id: int) -> RosterRow:
    row = await session.get(RosterRow, row_id, with_for_update=True)
    if row is None or row.batch_no != no:
        raise NotFound("参保人员")
    return row


async def edit_row(
    session: AsyncSession, caller: Principal, vault: RosterVault, no: str, row_id: int, data: RowEditIn, today: date
) -> None:
    """【编辑】 "可编辑人员信息(仅限非身份证类型)"; the document itself never changes ("证件类型不可变更")."""
    async with session.begin():
        batch = await _editable(session, caller, no)
        row = await _row(session, no, row_id)
        if row.id_type != IdType.OTHER:
            raise DomainError("roster.row_not_editable", "身份证类型的人员信息不能编辑（可删除后重新导入）")
        changed = data.model_dump(exclude_unset=True)
        if "birth_date" in changed and (data.birth_date is None or not date(1900, 1, 1) <= data.birth_date <= today):
            raise InvalidInput("roster.birth_date_invalid", "出生日期无效")
        if data.name is not None:
            row.name, row.name_options = data.name.strip(), []
        if data.birth_date is not None:
            row.birth_date = data.birth_date
        if data.gender is not None:
            row.gender = data.gender
        if data.has_social_security is not None:
            row.has_social_security = data.has_social_security
        if data.phone is not None:
            _set_phone(row, vault, data.phone)
        row.updated_at = datetime.now(UTC)
        session.add(row)
        batches.record(session, no, "row_edit", "编辑参保人员", Actor.of(caller),
                       detail={"row_id": row_id, "fields": sorted(changed)})  # fmt: skip
        batches.touch(session, batch)


def _set_phone(row: RosterRow, vault: RosterVault, phone: str) -> None:
    if not phone.strip():
        row.phone_enc, row.phone_masked = None, ""
        return
    try:
        number = validate_mobile(phone)
    except InvalidIdentifier as bad:
        raise InvalidInput(bad.code, bad.message) from None
    row.phone_enc, row.phone_masked = vault.seal_phone(number), mask_phone(number)


async def keep_over_age(session: AsyncSession, caller: Principal, no: str, row_id: int, kept: bool) -> None:
    """勾选【社保尚在缴金】/【医保享受在职待遇】: an over-age person stays on the roster."""
    async with session.begin():
        batch = await _editable(session, caller, no)
        row = await _row(session, no, row_id)
        row.over_age_kept, row.updated_at = kept, datetime.now(UTC)
        session.add(row)
        batches.record(session, no, "row_over_age", "社保尚在缴金" if kept else "取消社保尚在缴金", Actor.of(caller),
                       detail={"row_id": row_id})  # fmt: skip
        batches.touch(session, batch)


async def choose(session: AsyncSession, caller: Principal, no: str, row_id: int, name: str) -> None:
    """姓名匹配异常，请人工确认: the clerk picks one of the names."""
    async with session.begin():
        batch = await _editable(session, caller, no)
        row = await _row(session, no, row_id)
        if name.strip() not in row.name_options:
            raise InvalidInput(
                "roster.name_not_an_option", "请从建议清册、会员库、本地导入的姓名中选择", options=row.name_options
            )
        row.name, row.name_options, row.updated_at = name.strip(), [], datetime.now(UTC)
        session.add(row)
        batches.record(session, no, "row_name", "姓名确认", Actor.of(caller), detail={"row_id": row_id})
        batches.touch(session, batch)


async def remove(session: AsyncSession, caller: Principal, no: str, row_ids: Sequence[int]) -> int:
    """【删除】 / 【批量删除】 (移除)."""
    if not row_ids:
        raise InvalidInput("roster.rows_required", "请勾选要删除的人员")
    async with session.begin():
        batch = await _editable(session, caller, no)
        gone = await session.exec(
            sa.delete(RosterRow)
            .where(col(RosterRow.batch_no) == no, col(RosterRow.id).in_(list(row_ids)))
            .returning(col(RosterRow.id))
        )
        count = len(gone.all())
        if count == 0:
            raise NotFound("参保人员")
        batches.record(session, no, "row_delete", "删除参保人员", Actor.of(caller), detail={"count": count})
        batches.touch(session, batch)
    return count


async def head_count(session: AsyncSession, no: str) -> int:
    count = await session.exec(select(sa.func.count()).select_from(RosterRow).where(RosterRow.batch_no == no))
    return int(count.one())
