"""会员编号: assigned after joining, by a consumer of this service's own member events, from one
PostgreSQL sequence (unique city-wide); each numbered member is announced with a newer version."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.members import MembersImported, MemberSnapshot, MembersNumbered, MemberTransferred, MemberUpdated
from runtime import outbox

from ..domain.membership import member_number
from . import SOURCE, snapshots
from .vault import Vault

# The sealed ID number too, for a member stored before `id_sealed` existed (NULL otherwise).
_WITHOUT_NUMBER = sa.text(
    "SELECT id, CASE WHEN id_sealed IS NULL THEN id_number_enc END FROM member "
    "WHERE id = ANY(CAST(:ids AS uuid[])) AND member_no IS NULL AND status = '正常' ORDER BY created_at, id FOR UPDATE"
)
_NEXT = sa.text("SELECT nextval('member_no_seq') FROM generate_series(1, :n)")
_ASSIGN = sa.text(
    "UPDATE member AS m SET member_no = u.no, id_sealed = coalesce(m.id_sealed, u.sealed), version = m.version + 1, "
    "updated_at = now() FROM unnest(CAST(:ids AS uuid[]), CAST(:nos AS text[]), CAST(:sealed AS text[])) "
    f"AS u(id, no, sealed) WHERE m.id = u.id RETURNING {snapshots.returning('m')}"
)


class Numbering:
    def __init__(self, prefix: str, vault: Vault) -> None:
        self.prefix, self.vault = prefix, vault

    async def assign(self, session: AsyncSession, member_ids: Sequence[str]) -> list[MemberSnapshot]:
        """Number those still without one; replays and members numbered meanwhile are skipped."""
        wanted = _uuids(member_ids)
        if not wanted:
            return []
        connection = await session.connection()
        found = (await connection.execute(_WITHOUT_NUMBER, {"ids": wanted})).all()
        if not found:
            return []
        ids = [r[0] for r in found]
        sealed = [None if r[1] is None else self.vault.seal_for_partners(self.vault.open_id(r[1])) for r in found]
        values = [r[0] for r in (await connection.execute(_NEXT, {"n": len(ids)})).all()]
        numbers = [member_number(self.prefix, v) for v in values]
        rows = await connection.execute(_ASSIGN, {"ids": ids, "nos": numbers, "sealed": sealed})
        return [snapshots.from_row(r) for r in rows.mappings()]

    async def on_imported(self, session: AsyncSession, event: MembersImported, _: Envelope) -> None:
        numbered = await self.assign(session, [m.member_id for m in event.members if not m.member_no])
        if numbered:
            outbox.record(
                session, SOURCE, MembersNumbered(import_id=event.import_id, chunk=event.chunk, members=numbered)
            )

    async def on_member(self, session: AsyncSession, event: MemberUpdated | MemberTransferred, _: Envelope) -> None:
        if event.member.member_no or not event.member.active:
            return
        for snapshot in await self.assign(session, [event.member.member_id]):
            outbox.record(session, SOURCE, MemberUpdated(member=snapshot))


def _uuids(member_ids: Sequence[str]) -> list[uuid.UUID]:
    """Ours are UUIDs; anything else on the topic is not a member of this database."""
    out = []
    for member_id in member_ids:
        try:
            out.append(uuid.UUID(member_id))
        except ValueError:
            continue
    return out
