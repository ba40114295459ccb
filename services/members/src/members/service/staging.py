"""The staging table an import's batches are copied into, and its rows in PostgreSQL's binary COPY
format.

The row checker (a worker process) encodes each batch itself, so that what crosses to the service is
one bytes object, passed to the database untouched: as 100,000 Python tuples the same records cost
more to pickle, unpickle and encode (text[] especially) than the checks that made them, and binary
saves the database parsing text. Format (PostgreSQL docs, COPY "Binary Format"): a signature, then
per row the field count and each field as a 4-byte length (-1: NULL) and its bytes in the type's
binary form; a -1 field count ends it.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from datetime import date

# Per row first, then what every row of a job shares (encoded once per job: `shared_fields`).
STAGE_COLUMNS = (
    "row_no", "existing", "id", "name", "id_type", "id_number_enc", "id_number_bi", "id_number_masked", "phone_enc",
    "phone_bi", "phone_masked", "gender", "birth_date", "org_id", "work_unit", "work_address", "tags", "id_sealed",
    "snapshot", "category", "enterprise_name", "enterprise_uscc", "source", "joined_on", "import_id",
)  # fmt: skip
# `snapshot`: a new member's MemberSnapshot as JSON text (NULL for a member who may be updated).
STAGE_TABLE = (
    "CREATE TEMP TABLE member_stage (row_no int, existing bool, id uuid, name text, id_type text, id_number_enc bytea, "
    "id_number_bi bytea, id_number_masked text, phone_enc bytea, phone_bi bytea, phone_masked text, gender text, "
    "birth_date date, org_id int, work_unit text, work_address text, tags text[], id_sealed text, snapshot text, "
    "category text, enterprise_name text, enterprise_uscc text, source text, joined_on date, import_id text) "
    "ON COMMIT DROP"
)
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)  # no flags, no header extension
_END = struct.pack(">h", -1)
NULL = struct.pack(">i", -1)
_LENGTH = struct.Struct(">i").pack
# field count, row_no (int4), existing (bool), id (uuid): the fixed start of every row
_ROW_START = struct.Struct(">hiii?i16s").pack
_INT4 = struct.Struct(">ii").pack
_DATE_EPOCH = date(2000, 1, 1).toordinal()  # PostgreSQL counts days from here
_TEXT_OID = 25
_NO_TAGS = struct.pack(">iiii", 12, 0, 0, _TEXT_OID)  # a zero-dimensional text[] (length 12 first)


def row_start(row_no: int, existing: bool, member_id: bytes) -> bytes:
    return _ROW_START(len(STAGE_COLUMNS), 4, row_no, 1, existing, 16, member_id)


def text(value: str) -> bytes:
    encoded = value.encode()
    return _LENGTH(len(encoded)) + encoded


def optional_text(value: str | None) -> bytes:
    return NULL if value is None else text(value)


def binary(value: bytes) -> bytes:
    return _LENGTH(len(value)) + value


def int4(value: int) -> bytes:
    return _INT4(4, value)


def optional_date(value: date | None) -> bytes:
    return NULL if value is None else _INT4(4, value.toordinal() - _DATE_EPOCH)


def text_array(items: Iterable[str]) -> bytes:
    """A one-dimensional text[]: dimensions, no NULLs, element type, then each element."""
    elements = [value.encode() for value in items]
    if not elements:
        return _NO_TAGS
    body = b"".join(_LENGTH(len(e)) + e for e in elements)
    header = struct.pack(">iiiii", 1, 0, _TEXT_OID, len(elements), 1)
    return _LENGTH(len(header) + len(body)) + header + body


def shared_fields(
    category: str, enterprise: tuple[str | None, str | None], source: str, joined_on: date, import_id: str
) -> bytes:
    """The job's part of every row, in STAGE_COLUMNS order (encoded once per job)."""
    name, uscc = enterprise
    return b"".join(
        (text(category), optional_text(name), optional_text(uscc), text(source), optional_date(joined_on),
         text(import_id))
    )  # fmt: skip


def copy_data(rows: list[bytes]) -> bytes:
    """The rows (each complete, columns as STAGE_COLUMNS) as what COPY ... (FORMAT binary) takes."""
    return _SIGNATURE + b"".join(rows) + _END if rows else b""
