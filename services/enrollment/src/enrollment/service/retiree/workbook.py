"""The retiree roster template as a file (参保名单导入模板, .xlsx): writing it and reading its rows as cell
texts for `domain.retiree.template`; the upload checks (size, zip magic, declared sizes) are the mutual-aid
roster's. "请保持模板表格格式不变，否则会上传失败": the header must be the template's."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import load_workbook

from runtime.errors import DomainError
from runtime.spreadsheet import workbook_bytes

from ...domain.mutual_aid.template import check_size
from ...domain.retiree.template import TemplateRow
from ..mutual_aid.workbook import check_upload, column_of, text_of

HEADER = (
    "*姓名", "*证件类型 (身份证、非身份证)", "*证件号码", "出生日期(非身份证类型为必填) 格式例如(1990-01-01)",
    "性别 (非身份证类型为必填)", "*手机号(有效手机号需达到50%以上)",
)  # fmt: skip
COLUMNS = ("姓名", "证件类型", "证件号码", "出生日期", "性别", "手机号")

__all__ = ["check_upload", "read", "rows_of", "template"]


def template() -> bytes:
    return workbook_bytes("参保名单", HEADER, [])


def read(content: bytes, max_rows: int) -> list[TemplateRow]:
    """The data rows (blank rows skipped), numbered as Excel numbers them (the header is row 1)."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise DomainError("import.unreadable", "文件无法读取，请使用下载的参保名单导入模板") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or tuple(column_of(c) for c in header[: len(COLUMNS)]) != COLUMNS:
            raise DomainError("import.bad_header", "模板表头不正确，请保持参保名单导入模板的格式不变")
        found = []
        for row_no, cells in enumerate(rows, start=2):
            texts = [text_of(c) for c in (*cells, *([None] * len(COLUMNS)))[: len(COLUMNS)]]
            if any(texts):
                found.append(TemplateRow(row_no, *texts))
                check_size(len(found), max_rows)
        if not found:
            raise DomainError("import.empty", "文件中没有参保人员")
        return found
    finally:
        book.close()


def rows_of(people: Iterable[tuple[str, ...]]) -> bytes:
    """A filled template (tests and demo data): 姓名, 证件类型, 证件号码, 出生日期, 性别, 手机号."""
    return workbook_bytes("参保名单", HEADER, people)
