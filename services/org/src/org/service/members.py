"""Member counts from members.v1: each event moves a member's contribution (member, e-card, join)
from where it was to where it is now, only when the event's version is newer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.members import MemberDeleted, MembersImported, MemberSnapshot, MemberTransferred, MemberUpdated
from runtime.errors import DomainError

from ..models import Org, OrgMember
from . import rollup

TOMBSTONE_DAY = date(1900, 1, 1)


def _contribution(m: OrgMember | None) -> Counter[str]:
    if m is None or not m.active:
        return Counter()
    return Counter({"members": 1, "e_cards": int(m.e_card_activated)})


async def apply_snapshots(session: AsyncSession, snapshots: Sequence[MemberSnapshot]) -> int:
    latest = _newest_per_member(snapshots)
    known = await _known(session, list(latest))
    by_org: dict[int, Counter[str]] = {}
    joins: Counter[tuple[int, date]] = Counter()
    fresh: list[MemberSnapshot] = []
    for s in latest.values():
        old = known.get(s.member_id)
        if old is not None and old.version >= s.version:
            continue  # a replay or older news
        if old is None:
            joins[(s.org_id, s.joined_on)] += 1
        else:
            by_org.setdefault(old.org_id, Counter()).subtract(_contribution(old))
        by_org.setdefault(s.org_id, Counter()).update(_contribution(_as_row(s)))
        fresh.append(s)
    await _store(session, fresh)
    paths = await _paths(session, {*by_org, *(o for o, _ in joins)})
    await rollup.add_many(session, {paths[o]: d for o, d in by_org.items()})
    await rollup.add_joins(session, {(paths[o], day): n for (o, day), n in joins.items()})
    return len(fresh)


def _newest_per_member(snapshots: Sequence[MemberSnapshot]) -> dict[str, MemberSnapshot]:
    latest: dict[str, MemberSnapshot] = {}
    for s in snapshots:  # a chunk may carry the same person twice: the newest wins
        if s.member_id not in latest or s.version > latest[s.member_id].version:
            latest[s.member_id] = s
    return latest


def _as_row(s: MemberSnapshot) -> OrgMember:
    return OrgMember(
        member_id=s.member_id,
        org_id=s.org_id,
        active=s.active,
        e_card_activated=s.e_card_activated,
        joined_on=s.joined_on,
        version=s.version,
    )


async def _known(session: AsyncSession, member_ids: list[str]) -> dict[str, OrgMember]:
    """The members we counted before, locked so that a concurrent chunk waits for this one."""
    rows = await session.exec(
        select(OrgMember)
        .where(col(OrgMember.member_id) == sa.any_(sa.bindparam("ids", member_ids, type_=ARRAY(sa.Text))))
        .with_for_update()
    )
    return {m.member_id: m for m in rows}


_STORE = sa.text(
    "INSERT INTO org_member (member_id, org_id, active, e_card_activated, joined_on, version) "
    "SELECT * FROM unnest(CAST(:member_id AS text[]), CAST(:org_id AS int[]), CAST(:active AS bool[]), "
    "CAST(:e_card AS bool[]), CAST(:joined_on AS date[]), CAST(:version AS int[])) "
    "ON CONFLICT (member_id) DO UPDATE SET org_id = excluded.org_id, active = excluded.active, "
    "e_card_activated = excluded.e_card_activated, joined_on = excluded.joined_on, version = excluded.version"
)


async def _store(session: AsyncSession, snapshots: list[MemberSnapshot]) -> None:
    if snapshots:
        await session.exec(
            _STORE,
            params={  # type: ignore[call-overload]
                "member_id": [s.member_id for s in snapshots],
                "org_id": [s.org_id for s in snapshots],
                "active": [s.active for s in snapshots],
                "e_card": [s.e_card_activated for s in snapshots],
                "joined_on": [s.joined_on for s in snapshots],
                "version": [s.version for s in snapshots],
            },
        )


async def _paths(session: AsyncSession, org_ids: set[int]) -> dict[int, str]:
    rows = dict((await session.exec(select(Org.id, Org.path).where(col(Org.id).in_(org_ids)))).all())
    missing = org_ids - set(rows)
    if missing:
        # Org events come first in practice; retry, then the DLQ keeps it until the org exists.
        raise DomainError("org.unknown_org", f"未知组织 {sorted(missing)[:5]}")
    return rows  # type: ignore[return-value]


async def on_imported(session: AsyncSession, event: MembersImported, _: Envelope) -> None:
    await apply_snapshots(session, event.members)


async def on_updated(session: AsyncSession, event: MemberUpdated | MemberTransferred, _: Envelope) -> None:
    await apply_snapshots(session, [event.member])


async def on_deleted(session: AsyncSession, event: MemberDeleted, _: Envelope) -> None:
    row = await session.get(OrgMember, event.member_id, with_for_update=True)
    if row is None:  # deleted before we heard of them: a tombstone keeps older news out
        session.add(
            OrgMember(
                member_id=event.member_id,
                org_id=event.org_id,
                active=False,
                e_card_activated=False,
                joined_on=TOMBSTONE_DAY,
                version=event.version,
            )
        )
        return
    if row.version >= event.version:
        return
    if row.active:
        path = (await _paths(session, {row.org_id}))[row.org_id]
        await rollup.add(session, path, _contribution(row), sign=-1)
    row.active, row.version = False, event.version
    session.add(row)
