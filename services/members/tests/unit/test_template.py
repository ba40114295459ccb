"""The template clerks download reads back as a roster (header, dropdown lists, blank rows skipped)."""

from __future__ import annotations

from members.domain.roster import COLUMNS, header_keys, raw_rows
from members.service.roster_file import read_rows, template_bytes


def test_the_template_reads_back_with_every_column_and_no_rows() -> None:
    rows = read_rows(template_bytes())
    keys = header_keys(rows[0])
    assert sorted(keys.values()) == sorted(key for key, _ in COLUMNS)
    assert list(keys.values())[-1] == "work_address"  # the address stays the last column
    assert raw_rows(rows[1:], keys) == []
