"""The org projection from org.v1 (version-guarded, as enrollment keeps it) and the scope questions
use cases ask of it: may this caller see the payer of a row, and which payers may it see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.org import OrgSnapshot, UnionDeleted, UnionMoved, UnionUpserted
from runtime.tokens import Principal

from ..models import OrgRef

# --- consuming org.v1 -------------------------------------------------------------------------------


async def on_upserted(session: AsyncSession, event: UnionUpserted, _: Envelope) -> None:
    await _apply(session, event.org)


async def on_moved(session: AsyncSession, event: UnionMoved, _: Envelope) -> None:
    if await _apply(session, event.org):
        # Descendants still on the old path move with it (org re-announces each with a newer version).
        await session.exec(
            sa.update(OrgRef)
            .where(col(OrgRef.path).startswith(event.old_path + "."))
            .values(path=sa.func.concat(event.new_path, sa.func.substr(OrgRef.path, len(event.old_path) + 1)))
        )


async def on_deleted(session: AsyncSession, event: UnionDeleted, _: Envelope) -> None:
    row = await session.get(OrgRef, event.org_id, with_for_update=True)
    if row is None:  # a tombstone, so that an older upsert still on its way cannot bring it back
        row = OrgRef(org_id=event.org_id, path=event.path, name="", kind="", deleted=True, version=0)
    if row.version < event.version:
        row.deleted, row.version = True, event.version
    session.add(row)


async def _apply(session: AsyncSession, org: OrgSnapshot) -> bool:
    """Upsert when newer; False for a replay or older news."""
    row = await session.get(OrgRef, org.org_id, with_for_update=True)
    if row is not None and row.version >= org.version:
        return False
    row = row or OrgRef(org_id=org.org_id, version=0, path="", name="", kind="")
    row.parent_id, row.path, row.name, row.kind, row.version = (
        org.parent_id, org.path, org.name, org.kind.value, org.version,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    return True


# --- scope --------------------------------------------------------------------------------------------


def in_subtree(path: str) -> Any:
    return or_(col(OrgRef.path) == path, col(OrgRef.path).startswith(path + "."))


class Payer(Protocol):
    """A row billing scopes by its payer: a payable, a voucher, a refund, a receipt."""

    payer_org_id: int
    payer_account: str | None


def scoped(table: Any, caller: Principal) -> list[Any]:
    """The WHERE clause keeping the rows of `table` (see `Payer`) whose payer is inside the caller's scope:
    none city-wide; a union's own subtree; a unit without a union (未建会单位: no org path) only the rows
    of its own account — every enterprise pays under payer_org_id 0, so the account tells them apart."""
    prefix = caller.scope_prefix
    if prefix is None:
        return []
    if not prefix:
        return [col(table.payer_account) == caller.user_id]
    in_scope = select(OrgRef.org_id).where(in_subtree(prefix), col(OrgRef.deleted).is_(False))
    return [col(table.payer_org_id).in_(in_scope)]


async def covers(session: AsyncSession, caller: Principal, row: Payer) -> bool:
    """Whether the caller may see this row's payer (the same rule as `scoped`)."""
    prefix = caller.scope_prefix
    if prefix is None:
        return True
    if not prefix:
        return row.payer_account is not None and row.payer_account == caller.user_id
    org = await session.get(OrgRef, row.payer_org_id)
    return org is not None and not org.deleted and caller.covers(org.path)


async def names(session: AsyncSession, org_ids: Iterable[int]) -> dict[int, str]:
    ids = set(org_ids)
    if not ids:
        return {}
    rows = await session.exec(select(OrgRef.org_id, OrgRef.name).where(col(OrgRef.org_id).in_(ids)))
    return {org_id: name for org_id, name in rows}
