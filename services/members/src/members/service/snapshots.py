"""Member snapshots for the bulk paths, without ORM objects: straight from SQL rows (numbering, an
import's updates), or — for the members an import creates — as JSON text made in the row checker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from json.encoder import encode_basestring

from sqlalchemy import RowMapping

from contracts.members import MAX_CHUNK, MemberCategory, MemberSnapshot

from ..domain.membership import MemberStatus
from ..domain.rows import ValidRow

# What a RETURNING clause must give for a snapshot (prefix each with the table alias as needed).
COLUMNS = (
    "id", "org_id", "category", "member_no", "work_address", "joined_on", "e_card_activated", "status",
    "version", "name", "id_type", "id_number_masked", "gender", "birth_date", "work_unit", "id_sealed",
)  # fmt: skip


def returning(alias: str) -> str:
    return ", ".join(f"{alias}.{c}" for c in COLUMNS)


def from_row(row: RowMapping) -> MemberSnapshot:
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
        id_sealed=row["id_sealed"] or "",
    )


def chunks(snapshots: Sequence[MemberSnapshot], size: int = MAX_CHUNK) -> Iterable[list[MemberSnapshot]]:
    for start in range(0, len(snapshots), size):
        yield list(snapshots[start : start + size])


def created_fields(category: MemberCategory, joined_on: date) -> str:
    """What every member an import creates shares: version 1, no member number yet, e-card off."""
    return (
        f'"category":"{category.value}","joined_on":"{joined_on.isoformat()}","member_no":null,'
        '"e_card_activated":false,"active":true,"version":1'
    )


def created_json(row: ValidRow, member_id: str, masked: str, sealed: str, shared: str) -> str:
    """The MemberSnapshot of a member an import creates, as JSON text (MemberSnapshot's fields; a
    test holds it equal to `members.snapshot()` of the stored member). Free text goes through the
    JSON encoder; the other values come from closed sets (id type, gender, masked number, base64)."""
    birth = "null" if row.birth_date is None else f'"{row.birth_date.isoformat()}"'
    return (
        f'{{"member_id":"{member_id}","org_id":{row.org_id},{shared},"name":{encode_basestring(row.name)},'
        f'"id_type":"{row.document.id_type.value}","id_number_masked":"{masked}","gender":"{row.gender}",'
        f'"birth_date":{birth},"work_unit":{encode_basestring(row.work_unit)},'
        f'"work_address":{encode_basestring(row.work_address)},"id_sealed":"{sealed}"}}'
    )
