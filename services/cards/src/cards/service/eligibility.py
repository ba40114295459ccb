"""Eligibility from members.v1: each event upserts its members into the projection when newer
(set-based, one statement per chunk), takes members who left eligibility or their union out of the
pending list, and announces whose eligibility changed as one cards.eligibility.changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.cards import CardsEligibilityChanged, EligibilityChange
from contracts.envelope import Envelope
from contracts.members import (
    MemberDeleted,
    MembersImported,
    MemberSnapshot,
    MembersNumbered,
    MemberTransferred,
    MemberUpdated,
)
from runtime import outbox

from ..domain.eligibility import DELETED, Candidate, card_eligibility
from . import SOURCE

_LOCK = sa.text(
    "SELECT member_id, eligible, org_id FROM card_member WHERE member_id = ANY(CAST(:ids AS text[])) "
    "ORDER BY member_id FOR UPDATE"
)
_UPSERT = sa.text(
    "INSERT INTO card_member (member_id, source, org_id, category, member_no, name, id_type, id_number_masked, "
    "id_sealed, gender, birth_date, work_unit, work_address, active, eligible, listed, ineligible_reason, "
    "eligible_since, version, card_status, card_version, updated_at, phone_masked) "
    "SELECT u.member_id, '会员', u.org_id, u.category, u.member_no, u.name, u.id_type, u.id_masked, u.id_sealed, "
    "u.gender, u.birth_date, u.work_unit, u.work_address, u.active, u.eligible, u.listed, u.reason, "
    "CASE WHEN u.eligible THEN clock_timestamp() END, u.version, '未办卡', 0, now(), '' "
    "FROM unnest(CAST(:member_id AS text[]), CAST(:org_id AS int[]), CAST(:category AS text[]), "
    "CAST(:member_no AS text[]), CAST(:name AS text[]), CAST(:id_type AS text[]), CAST(:id_masked AS text[]), "
    "CAST(:id_sealed AS text[]), CAST(:gender AS text[]), CAST(:birth_date AS date[]), CAST(:work_unit AS text[]), "
    "CAST(:work_address AS text[]), CAST(:active AS bool[]), CAST(:eligible AS bool[]), CAST(:listed AS bool[]), "
    "CAST(:reason AS text[]), CAST(:version AS int[])) AS u(member_id, org_id, category, member_no, name, id_type, "
    "id_masked, id_sealed, gender, birth_date, work_unit, work_address, active, eligible, listed, reason, version) "
    "ON CONFLICT (member_id) DO UPDATE SET org_id = excluded.org_id, category = excluded.category, "
    "member_no = excluded.member_no, name = excluded.name, id_type = excluded.id_type, "
    "id_number_masked = excluded.id_number_masked, "
    "id_sealed = COALESCE(NULLIF(excluded.id_sealed, ''), card_member.id_sealed), gender = excluded.gender, "
    "birth_date = excluded.birth_date, work_unit = excluded.work_unit, work_address = excluded.work_address, "
    "active = excluded.active, eligible = excluded.eligible, listed = excluded.listed, "
    "ineligible_reason = excluded.ineligible_reason, version = excluded.version, updated_at = now(), "
    "eligible_since = CASE WHEN NOT excluded.eligible THEN NULL "
    "WHEN card_member.eligible THEN card_member.eligible_since ELSE clock_timestamp() END "
    "WHERE card_member.version < excluded.version "
    "RETURNING member_id, org_id, eligible, ineligible_reason, version"
)
_DELETE = sa.text(
    "INSERT INTO card_member (member_id, source, org_id, category, name, id_type, id_number_masked, active, "
    "eligible, listed, ineligible_reason, version, card_status, card_version, updated_at, phone_masked, gender, "
    "work_unit, work_address) VALUES (:member_id, '会员', :org_id, '', '', '', '', false, false, false, :reason, "
    ":version, '未办卡', 0, now(), '', '', '', '') "
    "ON CONFLICT (member_id) DO UPDATE SET active = false, eligible = false, listed = false, "
    "ineligible_reason = excluded.ineligible_reason, eligible_since = NULL, version = excluded.version, "
    "updated_at = now() WHERE card_member.version < excluded.version "
    "RETURNING member_id, org_id, eligible, ineligible_reason, version"
)
# Rows not yet in a batch leave the list with their member; cards already at the bank go on.
_UNLIST = sa.text(
    "WITH gone AS (DELETE FROM pending_card WHERE member_id = ANY(CAST(:ids AS text[])) RETURNING member_id) "
    "UPDATE card_member AS c SET card_status = '未办卡', channel = NULL, applied_at = NULL, card_note = :note, "
    "updated_at = now() FROM gone WHERE c.member_id = gone.member_id"
)


@dataclass(frozen=True, slots=True)
class Before:
    eligible: bool
    org_id: int | None


async def on_chunk(session: AsyncSession, event: MembersImported | MembersNumbered, _: Envelope) -> None:
    await apply_snapshots(session, event.key(), event.members)


async def on_member(session: AsyncSession, event: MemberUpdated | MemberTransferred, _: Envelope) -> None:
    await apply_snapshots(session, event.key(), [event.member])


async def on_deleted(session: AsyncSession, event: MemberDeleted, _: Envelope) -> None:
    before = await _lock(session, [event.member_id])
    params = {"member_id": event.member_id, "org_id": event.org_id, "reason": DELETED, "version": event.version}
    rows = (await session.exec(_DELETE, params=params)).mappings().all()  # type: ignore[call-overload]
    await _follow(session, event.key(), before, rows)


async def apply_snapshots(session: AsyncSession, source_key: str, snapshots: Sequence[MemberSnapshot]) -> int:
    """Upsert the newer snapshots of a chunk; returns how many members changed eligibility."""
    latest = _newest_per_member(snapshots)
    if not latest:
        return 0
    before = await _lock(session, list(latest))
    rows = (await session.exec(_UPSERT, params=_columns(latest.values()))).mappings().all()  # type: ignore[call-overload]
    return await _follow(session, source_key, before, rows)


def _newest_per_member(snapshots: Sequence[MemberSnapshot]) -> dict[str, MemberSnapshot]:
    latest: dict[str, MemberSnapshot] = {}
    for s in snapshots:  # a chunk may carry the same person twice: the newest wins
        if s.member_id not in latest or s.version > latest[s.member_id].version:
            latest[s.member_id] = s
    return latest


async def _lock(session: AsyncSession, member_ids: list[str]) -> dict[str, Before]:
    """What we knew before, locked so a concurrent event about the same members waits for this one."""
    rows = await session.exec(_LOCK, params={"ids": member_ids})  # type: ignore[call-overload]
    return {r.member_id: Before(r.eligible, r.org_id) for r in rows}


def _columns(snapshots: Iterable[MemberSnapshot]) -> dict[str, list[object]]:
    cols: dict[str, list[object]] = {k: [] for k in _UPSERT_KEYS}
    for s in snapshots:
        verdict = card_eligibility(Candidate(s.category, s.member_no, s.work_address, s.active))
        values = (
            s.member_id, s.org_id, str(s.category), s.member_no, s.name, s.id_type, s.id_number_masked, s.id_sealed,
            s.gender, s.birth_date, s.work_unit, s.work_address, s.active, verdict.eligible, verdict.listed,
            verdict.reason, s.version,
        )  # fmt: skip
        for key, value in zip(_UPSERT_KEYS, values, strict=True):
            cols[key].append(value)
    return cols


_UPSERT_KEYS = (
    "member_id", "org_id", "category", "member_no", "name", "id_type", "id_masked", "id_sealed", "gender",
    "birth_date", "work_unit", "work_address", "active", "eligible", "listed", "reason", "version",
)  # fmt: skip


async def _follow(session: AsyncSession, source_key: str, before: dict[str, Before], rows: Sequence) -> int:  # type: ignore[type-arg]
    """After the upsert: unlist who left, announce who changed."""
    changes: list[EligibilityChange] = []
    leaving: list[str] = []
    for r in rows:
        was = before.get(r["member_id"])
        was_eligible = bool(was and was.eligible)
        if was_eligible != r["eligible"]:
            changes.append(
                EligibilityChange.model_construct(
                    member_id=r["member_id"],
                    org_id=r["org_id"],
                    eligible=r["eligible"],
                    reason=r["ineligible_reason"],
                    version=r["version"],
                )  # fmt: skip
            )
        if was is not None and (not r["eligible"] or was.org_id != r["org_id"]):
            leaving.append(r["member_id"])
    if leaving:
        await session.exec(_UNLIST, params={"ids": leaving, "note": "会员信息变更（不再符合条件或已转移），已移出待办"})  # type: ignore[call-overload]
    if changes:
        outbox.record(session, SOURCE, CardsEligibilityChanged(source_key=source_key, changes=changes))
    return len(changes)
