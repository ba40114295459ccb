"""One member: read in scope, add, edit, delete (退休/犯罪/死亡 only); each change is an event."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.members import MemberDeleted, MemberSnapshot, MemberUpdated
from runtime import outbox
from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.identity import InvalidIdentifier, validate_mobile
from runtime.tokens import Principal

from ..domain import membership
from ..domain.documents import Document, InvalidDocument, check_document, parse_id_type
from ..domain.membership import MemberStatus
from ..domain.roster import GENDERS, split_tags
from ..domain.transfers import TransferState
from ..models import Member, MemberCreate, MemberPublic, MemberUpdate, OrgRef, TransferRequest
from . import SOURCE, orgs
from .vault import Vault


def snapshot(m: Member) -> MemberSnapshot:
    return MemberSnapshot(
        member_id=str(m.id),
        org_id=m.org_id,
        category=m.category,
        member_no=m.member_no,
        work_address=m.work_address,
        joined_on=m.joined_on,
        e_card_activated=m.e_card_activated,
        active=m.status == MemberStatus.ACTIVE,
        version=m.version,
        name=m.name,
        id_type=m.id_type,
        id_number_masked=m.id_number_masked,
        gender=m.gender,
        birth_date=m.birth_date,
        work_unit=m.work_unit,
        id_sealed=m.id_sealed or "",
    )


def seal_for_partners(m: Member, vault: Vault) -> None:
    """A member stored before `id_sealed` existed gets it before their next snapshot."""
    if m.id_sealed is None:
        m.id_sealed = vault.seal_for_partners(vault.open_id(m.id_number_enc))


def public(m: Member, org: OrgRef | None) -> MemberPublic:
    return MemberPublic(
        **m.model_dump(exclude={"id_number_enc", "id_number_bi", "phone_enc", "phone_bi", "id_sealed"}),
        id_number=m.id_number_masked,
        phone=m.phone_masked,
        union_name=org.name if org else "",
        union_code=org.union_code if org else "",
    )


def parse_member_id(member_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(member_id)
    except ValueError:
        raise NotFound("会员") from None


async def get_in_scope(
    session: AsyncSession, caller: Principal, member_id: str, *, lock: bool = False
) -> tuple[Member, OrgRef]:
    """The member and their org, or NotFound — also for a member outside the caller's scope."""
    stmt = select(Member).where(Member.id == parse_member_id(member_id))
    member = (await session.exec(stmt.with_for_update() if lock else stmt)).first()
    org = await session.get(OrgRef, member.org_id) if member else None
    if member is None or org is None or not caller.covers(org.path):
        raise NotFound("会员")
    return member, org


def touch(m: Member) -> None:
    m.version += 1
    m.updated_at = datetime.now(UTC)


async def create(session: AsyncSession, caller: Principal, vault: Vault, data: MemberCreate, today: date) -> Member:
    document = _document(data.id_type, data.id_number, today)
    phone = _phone(data.phone)
    gender = _gender(data.gender, document.sex)
    async with session.begin():
        await orgs.get_visible(session, caller, data.org_id)
        await _check_not_a_member(session, vault.id_digest(document.number))
        sealed_id, sealed_phone = vault.seal_id(document.number), vault.seal_phone(phone)
        member = Member(
            **data.model_dump(exclude={"id_number", "phone", "gender", "birth_date", "tags"}),
            gender=gender,
            birth_date=document.birth_date or data.birth_date,
            tags=list(split_tags("、".join(data.tags))),
            id_number_enc=sealed_id.sealed,
            id_number_bi=sealed_id.digest,
            id_number_masked=sealed_id.masked,
            phone_enc=sealed_phone.sealed,
            phone_bi=sealed_phone.digest,
            phone_masked=sealed_phone.masked,
            id_sealed=vault.seal_for_partners(document.number),
            joined_on=today,
        )
        session.add(member)
        await session.flush()
        outbox.record(session, SOURCE, MemberUpdated(member=snapshot(member)))
    return member


async def _check_not_a_member(session: AsyncSession, digest: bytes) -> None:
    existing = (
        await session.exec(
            select(OrgRef.name)
            .join(Member, col(Member.org_id) == col(OrgRef.org_id))
            .where(Member.id_number_bi == digest, Member.status == MemberStatus.ACTIVE)
        )
    ).first()
    if existing is not None:
        raise DomainError("member.already_member", f"该人员已是“{existing}”会员，请通过会员转移办理")


async def update(session: AsyncSession, caller: Principal, vault: Vault, member_id: str, data: MemberUpdate) -> Member:
    changes = data.model_dump(exclude_unset=True)
    async with session.begin():
        member, _ = await get_in_scope(session, caller, member_id, lock=True)
        membership.check_active(member.status)
        _apply_changes(member, changes, vault)
        seal_for_partners(member, vault)
        touch(member)
        session.add(member)
        outbox.record(session, SOURCE, MemberUpdated(member=snapshot(member)))
    return member


def _apply_changes(member: Member, changes: dict[str, object], vault: Vault) -> None:
    if "phone" in changes:
        sealed = vault.seal_phone(_phone(str(changes.pop("phone"))))
        member.phone_enc, member.phone_bi, member.phone_masked = sealed.sealed, sealed.digest, sealed.masked
    if "gender" in changes:
        changes["gender"] = _gender(str(changes["gender"]), None)
    if "birth_date" in changes and member.id_type == "身份证":
        raise InvalidInput("member.birth_date_from_id", "身份证会员的出生日期取自证件号码，不能修改")
    if "tags" in changes:
        tags = changes["tags"]
        assert tags is None or isinstance(tags, list)  # MemberUpdate.tags: list[str] | None
        changes["tags"] = list(split_tags("、".join(tags or [])))
    for key, value in changes.items():
        setattr(member, key, value)


async def delete(session: AsyncSession, caller: Principal, member_id: str, reason: str) -> Member:
    async with session.begin():
        return await delete_within(session, caller, member_id, reason)


async def delete_within(session: AsyncSession, caller: Principal, member_id: str, reason: str) -> Member:
    """The deletion inside the caller's open transaction (会员比对 records its handling beside it)."""
    allowed = membership.check_deletion_reason(reason)
    member, _ = await get_in_scope(session, caller, member_id, lock=True)
    membership.check_active(member.status)
    await _check_no_pending_transfer(session, member.id)
    member.status, member.deleted_reason = MemberStatus.DELETED, allowed
    member.deleted_by, member.deleted_at = caller.user_id, datetime.now(UTC)
    touch(member)
    session.add(member)
    outbox.record(
        session,
        SOURCE,
        MemberDeleted(member_id=str(member.id), org_id=member.org_id, reason=allowed, version=member.version),
    )
    return member


async def _check_no_pending_transfer(session: AsyncSession, member_id: uuid.UUID) -> None:
    pending = (
        await session.exec(
            select(TransferRequest.id).where(
                TransferRequest.member_id == member_id, TransferRequest.state == TransferState.PENDING
            )
        )
    ).first()
    if pending is not None:
        raise DomainError("member.transfer_pending", "该会员有待审核的转移申请，请先处理")


def _document(id_type: str, number: str, today: date) -> Document:
    try:
        return check_document(parse_id_type(id_type), number, today)
    except InvalidDocument as exc:
        raise InvalidInput(exc.code, exc.message, field="id_number") from None


def _phone(phone: str) -> str:
    try:
        return validate_mobile(phone)
    except InvalidIdentifier as exc:
        raise InvalidInput(exc.code, "手机号码格式不正确，应为11位手机号", field="phone") from None


def _gender(gender: str, from_document: str | None) -> str:
    if gender not in GENDERS:
        raise InvalidInput("member.gender_invalid", "性别应为“男”或“女”", field="gender")
    if from_document is not None and from_document != gender:
        raise InvalidInput("member.gender_mismatch", f"性别与证件号码不符（证件号码显示为{from_document}）")
    return gender
