"""Rolled-up counts: every change adds its delta to the org and all its ancestors in one statement,
so a workbench read is one row whatever the subtree's size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
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
    """Apply per-org deltas to every ancestor: one UPDATE per distinct set of columns."""
    per_org: dict[int, Counter[str]] = {}
    for path, deltas in by_path.items():
        for org_id in ancestors(path):
            per_org.setdefault(org_id, Counter()).update({k: v * sign for k, v in deltas.items() if v})
    rows = [{"org_id": org_id, **{c: d.get(c, 0) for c in STAT_COLUMNS}} for org_id, d in per_org.items() if +d or -d]
    if not rows:
        return
    table = SubtreeStats.__table__
    values = sa.values(*(sa.column(c, sa.Integer) for c in ("org_id", *STAT_COLUMNS)), name="d").data(
        [tuple(r[c] for c in ("org_id", *STAT_COLUMNS)) for r in rows]
    )
    await session.exec(
        table.update()
        .where(table.c.org_id == values.c.org_id)
        .values({c: table.c[c] + values.c[c] for c in STAT_COLUMNS})
    )


async def add_joins(session: AsyncSession, by_path_day: Mapping[tuple[str, date], int], sign: int = 1) -> None:
    per_key: Counter[tuple[int, date]] = Counter()
    for (path, day), n in by_path_day.items():
        for org_id in ancestors(path):
            per_key[(org_id, day)] += n * sign
    await _upsert_joins(session, per_key.items())


async def _upsert_joins(session: AsyncSession, items: Iterable[tuple[tuple[int, date], int]]) -> None:
    rows = [{"org_id": o, "day": d, "joined": n} for (o, d), n in items if n]
    if not rows:
        return
    stmt = insert(SubtreeJoins).values(rows)
    await session.exec(
        stmt.on_conflict_do_update(
            index_elements=["org_id", "day"], set_={"joined": SubtreeJoins.joined + stmt.excluded.joined}
        )
    )


async def move_subtree_counts(session: AsyncSession, org_id: int, old_path: str, new_path: str) -> None:
    """The moved subtree's totals leave its old ancestors and join its new ones."""
    stats = await session.get(SubtreeStats, org_id)
    assert stats is not None
    totals = {c: getattr(stats, c) for c in STAT_COLUMNS}
    old_parent, new_parent = old_path.rsplit(".", 1)[0], new_path.rsplit(".", 1)[0]
    await add(session, old_parent, totals, sign=-1)
    await add(session, new_parent, totals)
    joins = (
        await session.exec(sa.select(SubtreeJoins.day, SubtreeJoins.joined).where(SubtreeJoins.org_id == org_id))
    ).all()
    await add_joins(session, {(old_parent, d): n for d, n in joins}, sign=-1)
    await add_joins(session, {(new_parent, d): n for d, n in joins})
