"""Rolled-up counts: every change adds its delta to the org and all its ancestors in one statement,
so a workbench read is one row whatever the subtree's size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.org import OrgKind

from ..domain.tree import ancestors
from ..models import SubtreeJoins, SubtreeStats

KIND_COLUMN = {
    OrgKind.STANDALONE: "standalone",
    OrgKind.JOINT: "joint",
    OrgKind.BRANCH: "branch",
    OrgKind.FEDERATION: "federation",
}
STAT_COLUMNS = ("members", "e_cards", "grassroots", *KIND_COLUMN.values(), "covered_enterprises")


def org_counts(kind: OrgKind) -> dict[str, int]:
    """What one org contributes to the counts of its ancestors by being there."""
    counts = {"grassroots": 1} if kind.is_grassroots and kind is not OrgKind.TEMPORARY else {}
    if kind in KIND_COLUMN:
        counts[KIND_COLUMN[kind]] = 1
    return counts


async def add(session: AsyncSession, path: str, deltas: Mapping[str, int], sign: int = 1) -> None:
    await add_many(session, {path: Counter(deltas)}, sign)


async def add_many(session: AsyncSession, by_path: Mapping[str, Mapping[str, int]], sign: int = 1) -> None:
    per_org: dict[int, Counter[str]] = {}
    for path, deltas in by_path.items():
        for org_id in ancestors(path):
            per_org.setdefault(org_id, Counter()).update({k: v * sign for k, v in deltas.items() if v})
    await _apply_stats(session, per_org)


async def add_joins(session: AsyncSession, by_path_day: Mapping[tuple[str, date], int], sign: int = 1) -> None:
    per_key: Counter[tuple[int, date]] = Counter()
    for (path, day), n in by_path_day.items():
        for org_id in ancestors(path):
            per_key[(org_id, day)] += n * sign
    await _apply_joins(session, per_key)


async def move_subtree_counts(session: AsyncSession, org_id: int, old_path: str, new_path: str) -> None:
    """The moved subtree's totals leave its old ancestors and join its new ones; the ancestors both
    paths share keep theirs."""
    stats = await session.get(SubtreeStats, org_id)
    assert stats is not None
    totals = Counter({c: getattr(stats, c) for c in STAT_COLUMNS})
    joins = (
        await session.exec(sa.select(SubtreeJoins.day, SubtreeJoins.joined).where(SubtreeJoins.org_id == org_id))  # type: ignore[call-overload]
    ).all()
    leaving, joining = _diverging_ancestors(old_path, new_path)
    for org_ids, sign in ((leaving, -1), (joining, 1)):
        await _apply_stats(session, {o: Counter({c: n * sign for c, n in totals.items()}) for o in org_ids})
        await _apply_joins(session, Counter({(o, day): n * sign for o in org_ids for day, n in joins}))


def _diverging_ancestors(old_path: str, new_path: str) -> tuple[list[int], list[int]]:
    old, new = ancestors(old_path)[:-1], ancestors(new_path)[:-1]
    shared = 0
    while shared < min(len(old), len(new)) and old[shared] == new[shared]:
        shared += 1
    return old[shared:], new[shared:]


# Fixed-shape statements over arrays rather than N rows of parameters: one compiled plan whatever
# the size, and no limit on how many orgs or days one change touches.
_ADD_STATS = sa.text(
    "UPDATE subtree_stats s SET "
    + ", ".join(f"{c} = s.{c} + d.{c}" for c in STAT_COLUMNS)
    + " FROM unnest(CAST(:org_id AS int[]), "
    + ", ".join(f"CAST(:{c} AS int[])" for c in STAT_COLUMNS)
    + ") AS d(org_id, "
    + ", ".join(STAT_COLUMNS)
    + ") WHERE s.org_id = d.org_id"
)
_ADD_JOINS = sa.text(
    "INSERT INTO subtree_joins (org_id, day, joined) "
    "SELECT * FROM unnest(CAST(:org_id AS int[]), CAST(:day AS date[]), CAST(:joined AS int[])) "
    "ON CONFLICT (org_id, day) DO UPDATE SET joined = subtree_joins.joined + excluded.joined"
)


async def _apply_stats(session: AsyncSession, per_org: Mapping[int, Counter[str]]) -> None:
    changed = {org_id: d for org_id, d in per_org.items() if any(d.values())}
    if changed:
        params: dict[str, list[int]] = {"org_id": list(changed)}
        params |= {c: [d.get(c, 0) for d in changed.values()] for c in STAT_COLUMNS}
        await session.exec(_ADD_STATS, params=params)  # type: ignore[call-overload]


async def _apply_joins(session: AsyncSession, per_key: Mapping[tuple[int, date], int]) -> None:
    rows = [(o, d, n) for (o, d), n in per_key.items() if n]
    if rows:
        org_ids, days, joined = (list(column) for column in zip(*rows, strict=True))
        await session.exec(_ADD_JOINS, params={"org_id": org_ids, "day": days, "joined": joined})  # type: ignore[call-overload]
