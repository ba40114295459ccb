"""Projections of people: members (members.v1, every event type) and service-card holders (cards.v1).

Each row keeps the newest version it was told; replays and older news change nothing. A chunk of up
to 1,000 snapshots is one fixed-shape statement over arrays (asyncpg's parameter limit stays far).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.cards import CardIssued
from contracts.envelope import Envelope
from contracts.members import (
    MemberDeleted,
    MembersImported,
    MemberSnapshot,
    MembersNumbered,
    MemberTransferred,
    MemberUpdated,
)

from ..models import CardRef

UPSERT_MEMBERS = sa.text(
    """
    INSERT INTO member_ref (member_id, org_id, category, member_no, name, id_type, id_number_masked, id_sealed,
                            gender, birth_date, active, version)
    SELECT * FROM unnest(
        CAST(:member_id AS text[]), CAST(:org_id AS int[]), CAST(:category AS text[]), CAST(:member_no AS text[]),
        CAST(:name AS text[]), CAST(:id_type AS text[]), CAST(:id_number_masked AS text[]),
        CAST(:id_sealed AS text[]), CAST(:gender AS text[]), CAST(:birth_date AS date[]), CAST(:active AS bool[]),
        CAST(:version AS int[]))
    ON CONFLICT (member_id) DO UPDATE SET
        org_id = EXCLUDED.org_id, category = EXCLUDED.category, member_no = EXCLUDED.member_no,
        name = EXCLUDED.name, id_type = EXCLUDED.id_type, id_number_masked = EXCLUDED.id_number_masked,
        id_sealed = COALESCE(NULLIF(EXCLUDED.id_sealed, ''), member_ref.id_sealed),
        gender = EXCLUDED.gender, birth_date = EXCLUDED.birth_date, active = EXCLUDED.active,
        deleted_reason = CASE WHEN EXCLUDED.active THEN NULL ELSE member_ref.deleted_reason END,
        version = EXCLUDED.version
    WHERE member_ref.version < EXCLUDED.version
    """
)

DELETE_MEMBER = sa.text(
    """
    INSERT INTO member_ref (member_id, org_id, category, name, id_type, id_number_masked, id_sealed, gender, active,
                            deleted_reason, version)
    VALUES (:member_id, :org_id, '', '', '', '', '', '', false, :reason, :version)
    ON CONFLICT (member_id) DO UPDATE SET active = false, deleted_reason = EXCLUDED.deleted_reason,
        version = EXCLUDED.version
    WHERE member_ref.version < EXCLUDED.version
    """
)


async def upsert_members(session: AsyncSession, snapshots: Sequence[MemberSnapshot]) -> None:
    newest: dict[str, MemberSnapshot] = {}
    for s in snapshots:  # one row per member and statement: ON CONFLICT cannot touch a row twice
        if s.member_id not in newest or newest[s.member_id].version < s.version:
            newest[s.member_id] = s
    if not newest:
        return
    rows = list(newest.values())
    await session.exec(  # type: ignore[call-overload]
        UPSERT_MEMBERS,
        params={
            "member_id": [s.member_id for s in rows],
            "org_id": [s.org_id for s in rows],
            "category": [s.category.value for s in rows],
            "member_no": [s.member_no for s in rows],
            "name": [s.name for s in rows],
            "id_type": [s.id_type for s in rows],
            "id_number_masked": [s.id_number_masked for s in rows],
            "id_sealed": [s.id_sealed for s in rows],
            "gender": [s.gender for s in rows],
            "birth_date": [s.birth_date for s in rows],
            "active": [s.active for s in rows],
            "version": [s.version for s in rows],
        },
    )


async def on_members_chunk(session: AsyncSession, event: MembersImported | MembersNumbered, _: Envelope) -> None:
    await upsert_members(session, event.members)


async def on_member(session: AsyncSession, event: MemberUpdated | MemberTransferred, _: Envelope) -> None:
    await upsert_members(session, [event.member])


async def on_member_deleted(session: AsyncSession, event: MemberDeleted, _: Envelope) -> None:
    await session.exec(  # type: ignore[call-overload]
        DELETE_MEMBER,
        params={"member_id": event.member_id, "org_id": event.org_id, "reason": event.reason, "version": event.version},
    )


async def on_card_issued(session: AsyncSession, event: CardIssued, _: Envelope) -> None:
    """The member now holds a service card: the member-card channel is open to them."""
    row = await session.get(CardRef, event.member_id, with_for_update=True)
    if row is not None and row.version >= event.version:
        return
    row = row or CardRef(
        member_id=event.member_id, org_id=0, batch_no="", card_number_masked="", issued_on=event.issued_on, version=0
    )
    row.org_id, row.batch_no, row.card_number_masked = event.org_id, event.batch_no, event.card_number_masked
    row.issued_on, row.version = event.issued_on, event.version
    session.add(row)
