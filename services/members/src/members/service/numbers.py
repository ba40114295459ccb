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

_WITHOUT_NUMBER = sa.text(
    "SELECT id FROM member WHERE id = ANY(CAST(:ids AS uuid[])) AND member_no IS NULL AND status = '正常' "
    "ORDER BY created_at, id FOR UPDATE"
)
_NEXT = sa.text("SELECT nextval('member_no_seq') FROM generate_series(1, :n)")
_ASSIGN = sa.text(
    "UPDATE member AS m SET member_no = u.no, version = m.version + 1, updated_at = now() "
    "FROM unnest(CAST(:ids AS uuid[]), CAST(:nos AS text[])) AS u(id, no) WHERE m.id = u.id "
    f"RETURNING {snapshots.returning('m')}"
)


class Numbering:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    async def assign(self, session: AsyncSession, member_ids: Sequence[str]) -> list[MemberSnapshot]:
        """Number those still without one; replays and members numbered meanwhile are skipped."""
        wanted = _uuids(member_ids)
        ids = [r[0] for r in (await session.exec(_WITHOUT_NUMBER, params={"ids": wanted})).all()] if wanted else []  # type: ignore[call-overload]
        if not ids:
            return []
        values = [r[0] for r in (await session.exec(_NEXT, params={"n": len(ids)})).all()]  # type: ignore[call-overload]
        numbers = [member_number(self.prefix, v) for v in values]
        rows = await session.exec(_ASSIGN, params={"ids": ids, "nos": numbers})  # type: ignore[call-overload]
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
