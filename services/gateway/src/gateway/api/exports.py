"""xlsx exports of the gateway's own lists (runtime.spreadsheet keeps formulas out)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from fastapi import Response

from runtime.clock import SHANGHAI
from runtime.spreadsheet import workbook_bytes, xlsx_response

EXPORT_LIMIT = 100_000


def shown(value: Any) -> Any:
    """Times as clerks read them (Shanghai, to the second); everything else as it is."""
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    return value


def xlsx(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    title = filename.removesuffix(".xlsx")
    return xlsx_response(filename, workbook_bytes(title, header, ([shown(v) for v in row] for row in rows)))
