"""The org tree as heard on org.v1: version-guarded upserts, subtree path rewrites on moves.

Scopes are read from here: an account's principal carries its org's current path.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.org import EnterpriseRegistered, OrgSnapshot, UnionDeleted, UnionMoved, UnionUpserted

from ..models import Account, EnterpriseNode, OrgNode, Registration, RegistrationStatus


async def upsert(session: AsyncSession, org: OrgSnapshot) -> bool:
    """Insert or update one org when the snapshot is newer than what we hold; True if applied."""
    values = {
        "org_id": org.org_id,
        "parent_id": org.parent_id,
        "path": org.path,
        "name": org.name,
        "kind": org.kind.value,
        "union_code": org.union_code,
        "version": org.version,
        "deleted": False,
    }
    stmt = insert(OrgNode).values(values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["org_id"],
        set_={k: stmt.excluded[k] for k in values if k != "org_id"},
        where=col(OrgNode.version) < stmt.excluded.version,
    ).returning(col(OrgNode.org_id))
    return (await session.exec(stmt)).first() is not None


async def on_upserted(session: AsyncSession, event: UnionUpserted, _: Envelope) -> None:
    await upsert(session, event.org)


async def on_moved(session: AsyncSession, event: UnionMoved, _: Envelope) -> None:
    if not await upsert(session, event.org):
        return  # older news: a later move or upsert already placed this org
    descendants = col(OrgNode.path).startswith(event.old_path + ".")
    await session.exec(
        sa.update(OrgNode)
        .where(descendants)
        .values(path=sa.func.concat(event.new_path, sa.func.substr(OrgNode.path, len(event.old_path) + 1)))
    )


async def on_deleted(session: AsyncSession, event: UnionDeleted, _: Envelope) -> None:
    row = await session.get(OrgNode, event.org_id, with_for_update=True)
    if row is None:
        row = OrgNode(org_id=event.org_id, path=event.path, name="", kind="", union_code="", version=0)
    if row.version >= event.version:
        return
    row.version, row.deleted = event.version, True
    session.add(row)


async def on_enterprise_registered(session: AsyncSession, event: EnterpriseRegistered, _: Envelope) -> None:
    e = event.enterprise
    row = await session.get(EnterpriseNode, e.enterprise_id, with_for_update=True)
    if row is not None and row.version >= e.version:
        return
    row = row or EnterpriseNode(enterprise_id=e.enterprise_id, name=e.name, uscc=e.uscc, version=e.version)
    row.name, row.uscc, row.district_id, row.version = e.name, e.uscc, e.district_id, e.version
    session.add(row)
    await _link_account(session, e.uscc, e.enterprise_id)


async def _link_account(session: AsyncSession, uscc: str, enterprise_id: int) -> None:
    """The approval normally links the account; the event does it too if that answer was lost."""
    registration = (
        await session.exec(
            select(Registration).where(Registration.uscc == uscc, Registration.status == RegistrationStatus.APPROVED)
        )
    ).first()
    if registration is None:
        return
    account = await session.get(Account, registration.account_id, with_for_update=True)
    if account is not None and account.enterprise_id is None:
        account.enterprise_id = enterprise_id
        session.add(account)


async def live(session: AsyncSession, org_id: int | None) -> OrgNode | None:
    if org_id is None:
        return None
    row = await session.get(OrgNode, org_id)
    return row if row is not None and not row.deleted else None


async def root(session: AsyncSession) -> OrgNode | None:
    """The city federation: the one org without a parent."""
    stmt = select(OrgNode).where(col(OrgNode.parent_id).is_(None), col(OrgNode.deleted).is_(False))
    return (await session.exec(stmt.order_by(col(OrgNode.org_id)))).first()
