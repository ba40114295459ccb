"""The org projection from org.v1 (version-guarded, as enrollment keeps it) and the scope questions
use cases ask of it: may this caller see the payer of a row, and which payers may it see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.org_projection import OrgProjection
from runtime.tokens import Principal

from ..models import OrgRef

# --- consuming org.v1 -------------------------------------------------------------------------------

PROJECTION = OrgProjection(OrgRef)
on_upserted, on_moved, on_deleted = PROJECTION.on_upserted, PROJECTION.on_moved, PROJECTION.on_deleted


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
