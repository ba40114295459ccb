"""The plan's units by 参保编码: the insurer loads last year's (JSON or the .xlsx), each unit with a valid
USCC is announced (enrollment.retiree_unit.registered → the gateway issues `tuixiu<code>` and binds it
back with `PUT /retiree/units/{code}/owner`); the unit keeps its info (单位信息维护) and its USCC is looked
up from its name in the org projection.

Who works a unit: its owner account, or an account of the union the unit is (org_id); the city, the
insurer and admins read every unit. Anything else is not found.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from openpyxl import load_workbook
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentRetireeUnitRegistered
from runtime import outbox
from runtime.errors import DomainError, NotFound
from runtime.identity import mask_phone
from runtime.tokens import CITY_WIDE, Principal, Tier

from ...domain.retiree.batch import EDITABLE
from ...domain.retiree.units import UnitInfo, check_info, missing_info, phone_unchanged, read_unit, union_names
from ...models import OrgRef, RetireeBatch, RetireeNameChange, RetireeUnit
from ...schemas.retiree import InvalidUnit, OwnerIn, UnitInfoIn, UnitOut, UnitsIn, UnitsLoaded, UsccOut
from .. import SOURCE
from ..mutual_aid.workbook import check_upload, text_of
from .vault import UNIT_HANDLER_PHONE, RetireeVault

UNIT_TIERS = frozenset({Tier.GRASSROOTS, Tier.ENTERPRISE})
XLSX_COLUMNS = ("参保编码", "单位名称", "统一社会信用代码")


# --- who works a unit -----------------------------------------------------------------------------------


def works(caller: Principal, owner_user_id: str | None, org_id: int | None) -> bool:
    if caller.tier is Tier.SYSTEM:
        return True
    if caller.tier not in UNIT_TIERS:
        return False
    return (owner_user_id is not None and owner_user_id == caller.user_id) or (
        caller.org_id is not None and org_id == caller.org_id
    )


def own_filter(caller: Principal, owner_column, org_column):  # type: ignore[no-untyped-def]
    terms = [col(owner_column) == caller.user_id]
    if caller.org_id is not None:
        terms.append(col(org_column) == caller.org_id)
    return or_(*terms)


async def visible(session: AsyncSession, caller: Principal, code: str, *, lock: bool = False) -> RetireeUnit:
    unit = await session.get(RetireeUnit, code.strip(), with_for_update=lock)
    if unit is None or not (caller.tier in CITY_WIDE or works(caller, unit.owner_user_id, unit.org_id)):
        raise NotFound("参保单位")
    return unit


async def worked(session: AsyncSession, caller: Principal, code: str, *, lock: bool = False) -> RetireeUnit:
    """The caller's own unit (404 for anyone else's, 403 for a reader)."""
    unit = await visible(session, caller, code, lock=lock)
    if not works(caller, unit.owner_user_id, unit.org_id):
        raise DomainError("retiree.unit_only", "退休住院计划由参保单位办理")
    return unit


# --- loading last year's units ------------------------------------------------------------------------


async def load(session: AsyncSession, data: UnitsIn, now: datetime) -> UnitsLoaded:
    rows = [(u.code, u.unit_name, u.uscc) for u in data.units]
    return await _load(session, rows, now)


def read_xlsx(file_name: str, content: bytes, max_bytes: int) -> list[tuple[str, str, str]]:
    """参保编码, 单位名称, 统一社会信用代码 — the header as the first row."""
    check_upload(file_name, content, max_bytes)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise DomainError("import.unreadable", "文件无法读取，请使用 .xlsx 文件") from None
    try:
        cells = book.worksheets[0].iter_rows(values_only=True)
        header = next(cells, None)
        if header is None or tuple(str(c or "").strip().lstrip("*") for c in header[:3]) != XLSX_COLUMNS:
            raise DomainError("import.bad_header", f"表头应为：{'、'.join(XLSX_COLUMNS)}")
        found = []
        for row in cells:
            texts = [text_of(c) for c in (*row, None, None, None)[:3]]
            if any(texts):
                found.append((texts[0], texts[1], texts[2]))
        if not found:
            raise DomainError("import.empty", "文件中没有参保单位")
        return found
    finally:
        book.close()


async def load_rows(session: AsyncSession, rows: Sequence[tuple[str, str, str]], now: datetime) -> UnitsLoaded:
    return await _load(session, rows, now)


async def _load(session: AsyncSession, rows: Sequence[tuple[str, str, str]], now: datetime) -> UnitsLoaded:
    """Upsert by code; announce each unit with a valid USCC that is new or changed (name, USCC, org)."""
    loaded = [read_unit(*r) for r in rows]
    registered = updated = unchanged = 0
    invalid: list[InvalidUnit] = []
    async with session.begin():
        for u in loaded:
            unit = await session.get(RetireeUnit, u.code, with_for_update=True)
            before = None if unit is None else (unit.unit_name, unit.uscc, unit.org_id)
            unit = unit or RetireeUnit(code=u.code, unit_name=u.unit_name, loaded_at=now)
            unit.unit_name, unit.uscc, unit.uscc_valid = u.unit_name, u.uscc, u.uscc_valid
            if unit.owner_user_id is None:  # a bound unit keeps the org its account was bound with
                org = await match_org(session, u.uscc if u.uscc_valid else None, u.unit_name)
                unit.org_id, unit.org_path = (org.org_id, org.path) if org else (None, "")
            unit.updated_at = now
            session.add(unit)
            if not u.uscc_valid:
                invalid.append(InvalidUnit(code=u.code, unit_name=u.unit_name, uscc=u.uscc, reason=u.problem))
                continue
            applied = unit.owner_user_id is not None and not unit.announced_version  # 新参保编码申请's unit
            if applied or (before == (unit.unit_name, unit.uscc, unit.org_id) and unit.announced_version):
                unchanged += 1  # an applicant's unit is never announced: tuixiu<code> would take it over
                continue
            registered, updated = (registered + 1, updated) if not unit.announced_version else (registered, updated + 1)
            announce(session, unit)
    return UnitsLoaded(received=len(loaded), registered=registered, updated=updated, unchanged=unchanged,
                       invalid=invalid)  # fmt: skip


def announce(session: AsyncSession, unit: RetireeUnit) -> None:
    unit.announced_version += 1
    session.add(unit)
    outbox.record(
        session,
        SOURCE,
        EnrollmentRetireeUnitRegistered(
            code=unit.code,
            unit_name=unit.unit_name,
            uscc=unit.uscc,
            org_id=unit.org_id,
            version=unit.announced_version,
        ),  # fmt: skip
    )


async def match_org(session: AsyncSession, uscc: str | None, unit_name: str) -> OrgRef | None:
    """The union the unit is: by its USCC, else by its name (the unit itself or `<unit>工会`)."""
    live = sa.not_(col(OrgRef.deleted))
    if uscc:
        found = (
            await session.exec(select(OrgRef).where(OrgRef.uscc == uscc, live).order_by(col(OrgRef.org_id)))
        ).first()
        if found is not None:
            return found
    names = list(union_names(unit_name))
    return (
        await session.exec(select(OrgRef).where(col(OrgRef.name).in_(names), live).order_by(col(OrgRef.org_id)))
    ).first()


async def lookup_uscc(session: AsyncSession, unit_name: str) -> UsccOut:
    """统一信用代码 "根据参保单位名称自动校验带出": the org projection's union of that name."""
    names = list(union_names(unit_name))
    found = (
        await session.exec(
            select(OrgRef)
            .where(col(OrgRef.name).in_(names), sa.not_(col(OrgRef.deleted)), col(OrgRef.uscc).is_not(None))
            .order_by(col(OrgRef.org_id))
        )
    ).first()
    return UsccOut(unit_name=unit_name.strip(), uscc=found.uscc if found else None,
                   org_id=found.org_id if found else None)  # fmt: skip


async def resolved_uscc(session: AsyncSession, unit: RetireeUnit) -> str | None:
    """The unit's USCC from its name; last year's (valid) one when the tree does not know the name."""
    found = await lookup_uscc(session, unit.unit_name)
    return found.uscc or (unit.uscc if unit.uscc_valid else None)


# --- the account and the info ---------------------------------------------------------------------------


async def bind_owner(session: AsyncSession, vault: RetireeVault, code: str, data: OwnerIn) -> UnitOut:
    """The gateway's account for the unit (system only): its pages open to that account."""
    async with session.begin():
        unit = await session.get(RetireeUnit, code.strip(), with_for_update=True)
        if unit is None:
            raise NotFound("参保单位")
        org = await session.get(OrgRef, data.org_id) if data.org_id is not None else None
        unit.owner_user_id, unit.owner_tier = data.user_id, data.tier
        unit.org_id, unit.org_path = (data.org_id, org.path if org else "") if data.org_id is not None else (
            unit.org_id, unit.org_path,
        )  # fmt: skip
        unit.updated_at = datetime.now(UTC)
        session.add(unit)
        await session.exec(
            sa.update(RetireeBatch)
            .where(col(RetireeBatch.code) == unit.code)
            .values(owner_user_id=unit.owner_user_id, org_id=unit.org_id, org_path=unit.org_path)
        )
    return await out(session, vault, unit)


async def put_info(session: AsyncSession, caller: Principal, vault: RetireeVault, code: str,
                   data: UnitInfoIn) -> UnitOut:  # fmt: skip
    """修改并保存; the handler's phone sent back masked as shown keeps the number on file."""
    async with session.begin():
        unit = await worked(session, caller, code, lock=True)
        given = data.model_dump()
        if phone_unchanged(data.handler_phone, unit.handler_phone_masked):
            given["handler_phone"] = vault.open(unit.handler_phone_enc, UNIT_HANDLER_PHONE)
        set_info(unit, vault, check_info(UnitInfo(**given)))
        session.add(unit)
    return await out(session, vault, unit)


def set_info(unit: RetireeUnit, vault: RetireeVault, info: UnitInfo) -> None:
    unit.address, unit.postcode, unit.district = info.address, info.postcode, info.district
    unit.economic_type, unit.handler_name, unit.handler_email = (
        info.economic_type,
        info.handler_name,
        info.handler_email,
    )
    unit.handler_phone_enc = vault.seal(info.handler_phone, UNIT_HANDLER_PHONE)
    unit.handler_phone_masked = mask_phone(info.handler_phone)
    unit.updated_at = datetime.now(UTC)


def info_of(unit: RetireeUnit, vault: RetireeVault) -> UnitInfo:
    return UnitInfo(
        unit.address, unit.postcode, unit.district, unit.economic_type, unit.handler_name,
        vault.open(unit.handler_phone_enc, UNIT_HANDLER_PHONE), unit.handler_email,
    )  # fmt: skip


def info_missing(unit: RetireeUnit, vault: RetireeVault) -> list[str]:
    return missing_info(info_of(unit, vault))


# --- reading --------------------------------------------------------------------------------------------


async def get(session: AsyncSession, caller: Principal, vault: RetireeVault, code: str) -> UnitOut:
    return await out(session, vault, await visible(session, caller, code))


async def search(
    session: AsyncSession, caller: Principal, vault: RetireeVault, code: str | None, unit_name: str | None,
    bound: bool | None, page: int, size: int,
) -> tuple[list[UnitOut], int]:  # fmt: skip
    query = select(RetireeUnit)
    if caller.tier not in CITY_WIDE:
        query = query.where(own_filter(caller, RetireeUnit.owner_user_id, RetireeUnit.org_id))
    if code:
        query = query.where(col(RetireeUnit.code).startswith(code.strip()))
    if unit_name:
        query = query.where(col(RetireeUnit.unit_name).contains(unit_name.strip()))
    if bound is not None:
        query = query.where(
            col(RetireeUnit.owner_user_id).is_not(None) if bound else col(RetireeUnit.owner_user_id).is_(None)
        )
    total = (await session.exec(select(sa.func.count()).select_from(query.subquery()))).one()
    rows = await session.exec(query.order_by(col(RetireeUnit.code)).offset((page - 1) * size).limit(size))
    return [await out(session, vault, u) for u in rows.all()], int(total)


async def out(session: AsyncSession, vault: RetireeVault, unit: RetireeUnit) -> UnitOut:
    uscc = await resolved_uscc(session, unit)
    pending = (
        await session.exec(
            select(RetireeNameChange.id).where(
                RetireeNameChange.code == unit.code, RetireeNameChange.status == "申请中"
            )
        )
    ).first()
    return UnitOut(
        code=unit.code, unit_name=unit.unit_name, uscc=uscc, uscc_matched=uscc is not None, org_id=unit.org_id,
        owner_user_id=unit.owner_user_id, owner_tier=unit.owner_tier, address=unit.address, postcode=unit.postcode,
        district=unit.district, economic_type=unit.economic_type, handler_name=unit.handler_name,
        handler_phone=unit.handler_phone_masked, handler_email=unit.handler_email,
        info_complete=not info_missing(unit, vault), pending_name_change_id=pending, updated_at=unit.updated_at,
    )  # fmt: skip


async def rename_open_batches(session: AsyncSession, unit: RetireeUnit) -> None:
    """An approved name change reaches the unit's batches that can still change."""
    await session.exec(
        sa.update(RetireeBatch)
        .where(col(RetireeBatch.code) == unit.code, col(RetireeBatch.status).in_([s.value for s in EDITABLE]))
        .values(unit_name=unit.unit_name)
    )
