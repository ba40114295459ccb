"""会员比对: the complete roster a union uploads against the members the platform holds for it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Row = TypeVar("Row")


@dataclass(frozen=True)
class Comparison(Generic[Row]):
    missing_from_file: list[str]  # member ids: in the platform, not in the file (left, retired …)
    missing_from_platform: list[Row]  # file rows nobody in the platform matches (to import)


def compare(platform: Mapping[bytes, str], file_rows: Sequence[tuple[bytes, Row]]) -> Comparison[Row]:
    """Match by the ID number's blind index; a person listed twice in the file counts once."""
    in_file = {digest for digest, _ in file_rows}
    missing = [member_id for digest, member_id in platform.items() if digest not in in_file]
    seen: set[bytes] = set()
    extra = []
    for digest, row in file_rows:
        if digest not in platform and digest not in seen:
            seen.add(digest)
            extra.append(row)
    return Comparison(missing, extra)
