"""会员转移 → 会籍审核管理: a request per member; the receiving side approves (the member moves,
`member.transferred`) or rejects (the member stays, the reason is shown)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.members import MemberTransferred
from runtime import outbox
from runtime.errors import DomainError, Forbidden, NotFound
from runtime.tokens import Principal

from ..domain import membership, transfers
from ..domain.transfers import TransferState
from ..models import Member, OrgRef, TransferCreate, TransferPublic, TransferRequest
from . import SOURCE, members, orgs
from .vault import Vault


async def target_for(session: AsyncSession, caller: Principal, data: TransferCreate, member_org: OrgRef) -> OrgRef:
    """The chosen org, or by default the 临时工会 of the chosen (else the member's own) district."""
    if data.target_org_id is None:
        return await orgs.temporary_union(session, data.target_district_id or member_org.district_id)
    target = await orgs.get_ref(session, data.target_org_id)
    if target is None:
        raise NotFound("转入的工会组织")
    transfers.check_within_district(target.path, data.target_district_id)
    return target


async def request(session: AsyncSession, caller: Principal, data: TransferCreate) -> list[TransferRequest]:
    """One request per member (批量转移 is several at once), all or none."""
    async with session.begin():
        return await request_within(session, caller, data)


async def request_within(session: AsyncSession, caller: Principal, data: TransferCreate) -> list[TransferRequest]:
    transfers.check_member_ids(data.member_ids)
    reason = transfers.check_reason(data.reason)
    batch_id = f"tr-{uuid.uuid4().hex[:16]}"
    created = []
    for member_id in data.member_ids:
        member, org = await members.get_in_scope(session, caller, member_id, lock=True)
        membership.check_active(member.status)
        target = await target_for(session, caller, data, org)
        transfers.check_target(member.org_id, target.org_id)
        await _check_none_pending(session, member)
        created.append(_new_request(batch_id, member, target, reason, caller))
    session.add_all(created)
    await session.flush()
    return created


def _new_request(batch_id: str, member: Member, target: OrgRef, reason: str, caller: Principal) -> TransferRequest:
    return TransferRequest(
        batch_id=batch_id,
        member_id=member.id,
        from_org_id=member.org_id,
        to_org_id=target.org_id,
        reason=reason,
        state=TransferState.PENDING,
        requested_by=caller.user_id,
        requested_at=datetime.now(UTC),
    )


async def _check_none_pending(session: AsyncSession, member: Member) -> None:
    pending = (
        await session.exec(
            select(TransferRequest.id).where(
                TransferRequest.member_id == member.id, TransferRequest.state == TransferState.PENDING
            )
        )
    ).first()
    if pending is not None:
        raise DomainError("transfer.already_pending", f"“{member.name}”已有待审核的转移申请")


async def _reviewable(session: AsyncSession, caller: Principal, transfer_id: int) -> TransferRequest:
    """Only the receiving side reviews: the target org must be in the reviewer's scope."""
    row = await session.get(TransferRequest, transfer_id, with_for_update=True)
    target = await orgs.get_ref(session, row.to_org_id) if row else None
    if row is None:
        raise NotFound("转移申请")
    if target is None or not caller.covers(target.path):
        source = await orgs.get_ref(session, row.from_org_id)
        if source is not None and caller.covers(source.path):
            raise Forbidden("transfer.not_in_scope", "转移申请须由转入方（转入工会的上级或本级）审核")
        raise NotFound("转移申请")
    transfers.check_pending(row.state)
    return row


async def approve(
    session: AsyncSession, caller: Principal, vault: Vault, transfer_id: int, note: str | None
) -> TransferRequest:
    async with session.begin():
        row = await _reviewable(session, caller, transfer_id)
        member = await session.get(Member, row.member_id, with_for_update=True)
        assert member is not None
        membership.check_active(member.status)
        if member.org_id != row.from_org_id:
            raise DomainError("transfer.stale", "会员所在工会已变化，该申请已失效，请驳回")
        member.org_id = row.to_org_id
        members.seal_for_partners(member, vault)
        members.touch(member)
        session.add(member)
        _decide(row, caller, TransferState.APPROVED, note)
        session.add(row)
        outbox.record(session, SOURCE, MemberTransferred(member=members.snapshot(member), from_org_id=row.from_org_id))
    return row


async def reject(session: AsyncSession, caller: Principal, transfer_id: int, note: str | None) -> TransferRequest:
    reason = transfers.check_reason(note or "", code="transfer.reject_reason_required", what="驳回原因")
    async with session.begin():
        row = await _reviewable(session, caller, transfer_id)
        _decide(row, caller, TransferState.REJECTED, reason)
        session.add(row)
    return row


def _decide(row: TransferRequest, caller: Principal, state: TransferState, note: str | None) -> None:
    row.state, row.reviewed_by, row.reviewed_at, row.review_note = state, caller.user_id, datetime.now(UTC), note


# --- 会籍审核管理: the lists -------------------------------------------------------------------------


@dataclass(frozen=True)
class TransferFilter:
    direction: str = "in"  # in: to be reviewed by the caller's side; out: requested from it
    state: str | None = None
    member_name: str | None = None
    batch_id: str | None = None


async def search(
    session: AsyncSession, caller: Principal, f: TransferFilter, page: int, size: int
) -> tuple[list[TransferPublic], int]:
    conditions = _filter(caller, f)
    total = (await session.exec(select(func.count()).select_from(TransferRequest).where(*conditions))).one()
    rows = await session.exec(
        select(TransferRequest, Member)
        .join(Member, col(Member.id) == col(TransferRequest.member_id))
        .where(*conditions)
        .order_by(col(TransferRequest.requested_at).desc(), col(TransferRequest.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    pairs = list(rows.all())
    refs = await orgs.names(session, {o for t, _ in pairs for o in (t.from_org_id, t.to_org_id)})
    return [public(t, m, refs) for t, m in pairs], total


def _filter(caller: Principal, f: TransferFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    scoped = orgs.scoped_org_ids(caller)
    if scoped is not None:
        side = TransferRequest.to_org_id if f.direction == "in" else TransferRequest.from_org_id
        conditions.append(col(side).in_(scoped))
    if f.state:
        conditions.append(col(TransferRequest.state) == f.state)
    if f.batch_id:
        conditions.append(col(TransferRequest.batch_id) == f.batch_id)
    if f.member_name:
        named = select(Member.id).where(col(Member.name).startswith(f.member_name.strip(), autoescape=True))
        conditions.append(col(TransferRequest.member_id).in_(named))
    return conditions


async def get(session: AsyncSession, caller: Principal, transfer_id: int) -> TransferPublic:
    row = await session.get(TransferRequest, transfer_id)
    refs = await orgs.names(session, [row.from_org_id, row.to_org_id]) if row else {}
    if row is None or not any(caller.covers(r.path) for r in refs.values()):
        raise NotFound("转移申请")
    member = await session.get(Member, row.member_id)
    assert member is not None
    return public(row, member, refs)


def public(t: TransferRequest, m: Member, refs: dict[int, OrgRef]) -> TransferPublic:
    def name(org_id: int) -> str:
        return refs[org_id].name if org_id in refs else ""

    assert t.id is not None
    return TransferPublic(
        **t.model_dump(exclude={"id"}),
        id=t.id,
        member_name=m.name,
        id_number=m.id_number_masked,
        from_org_name=name(t.from_org_id),
        to_org_name=name(t.to_org_id),
    )
