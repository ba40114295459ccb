"""The org projection from org.v1 (version-guarded, as enrollment keeps it) and the scope questions
use cases ask of it: may this caller see the payer of a row, and which payers may it see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


def scoped(column: Any, caller: Principal) -> list[Any]:
    """The WHERE clause keeping rows whose payer `column` is inside the caller's scope (none city-wide)."""
    prefix = caller.scope_prefix
    if prefix is None:
        return []
    return [column.in_(select(OrgRef.org_id).where(in_subtree(prefix), col(OrgRef.deleted).is_(False)))]


async def covers(session: AsyncSession, caller: Principal, org_id: int) -> bool:
    if caller.scope_prefix is None:
        return True
    row = await session.get(OrgRef, org_id)
    return row is not None and not row.deleted and caller.covers(row.path)


async def names(session: AsyncSession, org_ids: Iterable[int]) -> dict[int, str]:
    ids = set(org_ids)
    if not ids:
        return {}
    rows = await session.exec(select(OrgRef.org_id, OrgRef.name).where(col(OrgRef.org_id).in_(ids)))
    return {org_id: name for org_id, name in rows}
