"""The org projection each service keeps from org.v1: the unions it scopes by, version-guarded.

An upsert applies only when newer than the row (a replay or older news changes nothing); a move carries
the descendants still on the old path (org re-announces each with a newer version, which then still
applies); a delete of an org never seen leaves a tombstone, so an older upsert still on its way cannot
bring it back. Services differ only in which snapshot fields their row keeps besides the tree's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.org import OrgSnapshot, UnionDeleted, UnionMoved, UnionUpserted

TREE_FIELDS = ("parent_id", "path", "name", "kind")


@dataclass(frozen=True)
class OrgProjection:
    """`model` has org_id, parent_id, path, name, kind, version and deleted; `fields` are the snapshot's
    further fields it keeps (e.g. union_code, district_id), `blank` what a new row's required ones start as."""

    model: type[SQLModel]
    fields: tuple[str, ...] = ()
    blank: Mapping[str, Any] = field(default_factory=dict)

    async def on_upserted(self, session: AsyncSession, event: UnionUpserted, _: Envelope) -> None:
        await self.apply(session, event.org)

    async def on_moved(self, session: AsyncSession, event: UnionMoved, _: Envelope) -> None:
        if await self.apply(session, event.org):
            await self._carry_subtree(session, event.old_path, event.new_path)

    async def on_deleted(self, session: AsyncSession, event: UnionDeleted, _: Envelope) -> None:
        row = await session.get(self.model, event.org_id, with_for_update=True)
        row = row or self._new(event.org_id, path=event.path, deleted=True)
        if row.version < event.version:  # type: ignore[attr-defined]
            row.deleted, row.version = True, event.version
        session.add(row)
        await session.flush()

    async def apply(self, session: AsyncSession, org: OrgSnapshot) -> bool:
        """Upsert when newer; False for a replay or older news."""
        row = await session.get(self.model, org.org_id, with_for_update=True)
        if row is not None and row.version >= org.version:  # type: ignore[attr-defined]
            return False
        row = row or self._new(org.org_id)
        for name in (*TREE_FIELDS, *self.fields, "version"):
            value = getattr(org, name)
            setattr(row, name, value.value if isinstance(value, Enum) else value)
        session.add(row)
        await session.flush()
        return True

    def _new(self, org_id: int, *, path: str = "", deleted: bool = False) -> SQLModel:
        return self.model(org_id=org_id, path=path, name="", kind="", version=0, deleted=deleted, **self.blank)

    async def _carry_subtree(self, session: AsyncSession, old_path: str, new_path: str) -> None:
        path = col(self.model.path)  # type: ignore[attr-defined]
        await session.exec(
            sa.update(self.model)
            .where(path.startswith(old_path + "."))
            .values(path=sa.func.concat(new_path, sa.func.substr(path, len(old_path) + 1)))
        )
