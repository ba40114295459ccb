"""Member snapshots straight from SQL rows: bulk paths (import, numbering) return thousands of rows
and build the events from them without loading ORM objects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from contracts.members import MAX_CHUNK, MemberCategory, MemberSnapshot

from ..domain.membership import MemberStatus

# What a RETURNING clause must give for a snapshot (prefix each with the table alias as needed).
COLUMNS = (
    "id", "org_id", "category", "member_no", "work_address", "joined_on", "e_card_activated", "status",
    "version", "name", "id_type", "id_number_masked", "gender", "birth_date", "work_unit",
)  # fmt: skip


def returning(alias: str) -> str:
    return ", ".join(f"{alias}.{c}" for c in COLUMNS)


def from_row(row: Mapping[str, Any]) -> MemberSnapshot:
    # Trusted values from our own table: construct without validating (this runs 100,000 times an import).
    return MemberSnapshot.model_construct(
        member_id=str(row["id"]),
        org_id=row["org_id"],
        category=MemberCategory(row["category"]),
        member_no=row["member_no"],
        work_address=row["work_address"],
        joined_on=row["joined_on"],
        e_card_activated=row["e_card_activated"],
        active=row["status"] == MemberStatus.ACTIVE,
        version=row["version"],
        name=row["name"],
        id_type=row["id_type"],
        id_number_masked=row["id_number_masked"],
        gender=row["gender"],
        birth_date=row["birth_date"],
        work_unit=row["work_unit"],
    )


def chunks(snapshots: Sequence[MemberSnapshot], size: int = MAX_CHUNK) -> Iterable[list[MemberSnapshot]]:
    for start in range(0, len(snapshots), size):
        yield list(snapshots[start : start + size])
