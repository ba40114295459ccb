"""修改单位名称 (manual 003, 三(三)2): "填报单位相关信息，上传相关佐证材料" (《红头文件》或《工商变更登记表》) →
the insurer reviews within a working day → "审核通过、更新参保编码对应的单位名称，可继续参保办理". One
application at a time per unit; the approved name (and USCC) is announced again."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.identity import InvalidIdentifier, mask_phone, validate_uscc
from runtime.tokens import CITY_WIDE, Principal

from ...domain.files import check_file
from ...domain.retiree.batch import check_reason
from ...domain.retiree.units import NameChangeStatus, UnitInfo, check_info
from ...models import RetireeNameChange, RetireeUnit, RetireeUnitFile
from ...schemas.retiree import FileOut, NameChangeIn, NameChangeOut
from . import units
from .vault import NAME_CHANGE_PHONE, RetireeVault

MAX_FILES = 20


async def upload_file(session: AsyncSession, caller: Principal, code: str, file_name: str, content: bytes,
                      max_bytes: int) -> FileOut:  # fmt: skip
    checked = check_file(file_name, content, max_bytes, label="佐证材料")
    async with session.begin():
        unit = await units.worked(session, caller, code)
        loose = await session.exec(
            select(sa.func.count())
            .select_from(RetireeUnitFile)
            .where(RetireeUnitFile.code == unit.code, col(RetireeUnitFile.name_change_id).is_(None))
        )
        if int(loose.one()) >= MAX_FILES:
            raise DomainError("attachment.too_many", f"最多上传{MAX_FILES}个附件")
        row = RetireeUnitFile(code=unit.code, file_name=checked.name, media_type=checked.kind.value,
                              size=len(checked.content), content=checked.content,
                              uploaded_by=caller.user_id)  # fmt: skip
        session.add(row)
        await session.flush()
    return file_out(row)


async def apply(session: AsyncSession, caller: Principal, vault: RetireeVault, code: str,
                data: NameChangeIn) -> NameChangeOut:  # fmt: skip
    info = check_info(UnitInfo(data.address, data.postcode, data.district, data.economic_type, data.handler_name,
                               data.handler_phone, data.handler_email))  # fmt: skip
    try:
        uscc = validate_uscc(data.uscc)
    except InvalidIdentifier as bad:
        raise InvalidInput(bad.code, bad.message) from None
    if not data.attachment_ids:
        raise InvalidInput(
            "name_change.attachment_required", "请上传单位名称变更佐证材料（《红头文件》或《工商变更登记表》）"
        )
    async with session.begin():
        unit = await units.worked(session, caller, code, lock=True)
        new_name = data.new_unit_name.strip()
        if new_name == unit.unit_name:
            raise InvalidInput("name_change.same_name", "新单位名称与当前单位名称相同")
        if await _pending(session, unit.code) is not None:
            raise DomainError("name_change.pending", "已有单位名称修改申请在审核中，请等待职保会审核")
        files = list(
            await session.exec(
                select(RetireeUnitFile).where(
                    col(RetireeUnitFile.id).in_(data.attachment_ids), RetireeUnitFile.code == unit.code,
                    col(RetireeUnitFile.name_change_id).is_(None),
                )
            )
        )  # fmt: skip
        if len(files) != len(set(data.attachment_ids)):
            raise InvalidInput("name_change.attachment_required", "附件不存在或已用于其他申请，请重新上传")
        row = RetireeNameChange(
            code=unit.code, old_unit_name=unit.unit_name, new_unit_name=new_name, uscc=uscc,
            handler_name=info.handler_name, handler_phone_enc=vault.seal(info.handler_phone, NAME_CHANGE_PHONE),
            handler_phone_masked=mask_phone(info.handler_phone), handler_email=info.handler_email,
            district=info.district, economic_type=info.economic_type, address=info.address, postcode=info.postcode,
            principal=data.principal.strip(), unit_phone=data.unit_phone.strip(), status=NameChangeStatus.PENDING,
            submitted_by=caller.user_id,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        for f in files:
            f.name_change_id = row.id
            session.add(f)
    return await out(session, row)


async def approve(session: AsyncSession, caller: Principal, vault: RetireeVault, change_id: int) -> NameChangeOut:
    """The unit takes the new name, the USCC and the contact details; announced again."""
    async with session.begin():
        row = await _locked_pending(session, change_id)
        unit = await session.get(RetireeUnit, row.code, with_for_update=True)
        assert unit is not None
        unit.unit_name, unit.uscc, unit.uscc_valid = row.new_unit_name, row.uscc, True
        units.set_info(unit, vault, UnitInfo(
            row.address, row.postcode, row.district, row.economic_type, row.handler_name,
            vault.open(row.handler_phone_enc, NAME_CHANGE_PHONE), row.handler_email,
        ))  # fmt: skip
        if unit.owner_user_id is None:
            org = await units.match_org(session, unit.uscc, unit.unit_name)
            unit.org_id, unit.org_path = (org.org_id, org.path) if org else (None, "")
        units.announce(session, unit)
        await units.rename_open_batches(session, unit)
        _review(row, caller, NameChangeStatus.APPROVED, None)
        session.add(row)
    return await out(session, row)


async def reject(session: AsyncSession, caller: Principal, change_id: int, reason: str) -> NameChangeOut:
    text = check_reason(reason, "审核不通过")
    async with session.begin():
        row = await _locked_pending(session, change_id)
        _review(row, caller, NameChangeStatus.REJECTED, text)
        session.add(row)
    return await out(session, row)


def _review(row: RetireeNameChange, caller: Principal, status: NameChangeStatus, reason: str | None) -> None:
    row.status, row.reason, row.reviewed_by, row.reviewed_at = status, reason, caller.user_id, datetime.now(UTC)


async def _locked_pending(session: AsyncSession, change_id: int) -> RetireeNameChange:
    row = await session.get(RetireeNameChange, change_id, with_for_update=True)
    if row is None:
        raise NotFound("单位名称修改申请")
    if row.status != NameChangeStatus.PENDING:
        raise DomainError("name_change.not_pending", f"该申请已{row.status}，不能再审核")
    return row


async def _pending(session: AsyncSession, code: str) -> int | None:
    found = await session.exec(
        select(RetireeNameChange.id).where(
            RetireeNameChange.code == code, RetireeNameChange.status == NameChangeStatus.PENDING
        )
    )
    return found.first()


# --- reading ----------------------------------------------------------------------------------------------


async def visible(session: AsyncSession, caller: Principal, change_id: int) -> RetireeNameChange:
    row = await session.get(RetireeNameChange, change_id)
    if row is None:
        raise NotFound("单位名称修改申请")
    await units.visible(session, caller, row.code)
    return row


async def search(session: AsyncSession, caller: Principal, status: str | None, code: str | None, page: int,
                 size: int) -> tuple[list[NameChangeOut], int]:  # fmt: skip
    query = select(RetireeNameChange)
    if caller.tier not in CITY_WIDE:
        query = query.join(RetireeUnit, col(RetireeUnit.code) == col(RetireeNameChange.code)).where(
            units.own_filter(caller, RetireeUnit.owner_user_id, RetireeUnit.org_id)
        )
    if status:
        query = query.where(RetireeNameChange.status == status)
    if code:
        query = query.where(RetireeNameChange.code == code.strip())
    total = (await session.exec(select(sa.func.count()).select_from(query.subquery()))).one()
    rows = await session.exec(
        query.order_by(col(RetireeNameChange.submitted_at), col(RetireeNameChange.id))
        .offset((page - 1) * size)
        .limit(size)
    )
    return [await out(session, r) for r in rows.all()], int(total)


async def file_of(session: AsyncSession, caller: Principal, change_id: int, file_id: int) -> RetireeUnitFile:
    row = await visible(session, caller, change_id)
    found = await session.get(RetireeUnitFile, file_id)
    if found is None or found.name_change_id != row.id:
        raise NotFound("附件")
    return found


def file_out(row: RetireeUnitFile, url: str | None = None) -> FileOut:
    assert row.id is not None
    return FileOut(id=row.id, file_name=row.file_name, media_type=row.media_type, size=row.size,
                   uploaded_at=row.uploaded_at, url=url)  # fmt: skip


async def out(session: AsyncSession, row: RetireeNameChange) -> NameChangeOut:
    assert row.id is not None
    files = await session.exec(
        select(RetireeUnitFile).where(RetireeUnitFile.name_change_id == row.id).order_by(col(RetireeUnitFile.id))
    )
    return NameChangeOut(
        id=row.id, code=row.code, old_unit_name=row.old_unit_name, new_unit_name=row.new_unit_name, uscc=row.uscc,
        handler_name=row.handler_name, handler_phone=row.handler_phone_masked, handler_email=row.handler_email,
        district=row.district, economic_type=row.economic_type, address=row.address, postcode=row.postcode,
        principal=row.principal, unit_phone=row.unit_phone, status=row.status, reason=row.reason,
        attachments=[file_out(f, f"/retiree/name-changes/{row.id}/attachments/{f.id}/file") for f in files],
        submitted_by=row.submitted_by, submitted_at=row.submitted_at, reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
    )  # fmt: skip
