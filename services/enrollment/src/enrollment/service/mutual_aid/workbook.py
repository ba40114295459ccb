"""The roster template as a file (参保名单导入模板, .xlsx): writing it, checking an upload before anything
parses it (size, name, zip magic, the archive's declared sizes — an xlsx is a zip), and reading its
rows as cell texts for `domain.mutual_aid.template`. "请保持模板表格格式不变，否则会上传失败": the header
must be the template's."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime

from openpyxl import load_workbook

from runtime.errors import DomainError, InvalidInput
from runtime.spreadsheet import workbook_bytes

from ...domain.mutual_aid.template import TemplateRow, check_size

HEADER = (
    "*姓名", "*证件类型 (身份证、非身份证)", "*证件号码", "出生日期(非身份证类型为必填) 格式例如(1990-01-01)",
    "性别 (非身份证类型为必填)", "手机号", "*是否有社保",
)  # fmt: skip
COLUMNS = ("姓名", "证件类型", "证件号码", "出生日期", "性别", "手机号", "是否有社保")
ZIP_MAGIC = b"PK\x03\x04"
MAX_PARTS, MAX_INFLATED, MAX_RATIO = 1000, 200 * 1024 * 1024, 200
_NOTE = re.compile(r"[\s(（].*$")


class UploadRefused(DomainError):
    """Rendered with its own status: 413 too large, 415 not an xlsx, 422 empty."""

    def __init__(self, status: int, code: str, title: str) -> None:
        super().__init__(code, title)
        self.status = status


def template() -> bytes:
    return workbook_bytes("参保名单", HEADER, [])


def check_upload(file_name: str, content: bytes, max_bytes: int, template: str = "参保名单导入模板") -> None:
    if not content:
        raise UploadRefused(422, "import.file_empty", "上传的文件是空的")
    if len(content) > max_bytes:
        raise UploadRefused(413, "import.file_too_large", f"文件过大，不能超过 {max_bytes / 1024 / 1024:g} MB")
    if not file_name.lower().endswith(".xlsx") or not content.startswith(ZIP_MAGIC):
        raise UploadRefused(415, "import.not_xlsx", f"仅支持 Excel 文件（.xlsx），请使用下载的{template}")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise UploadRefused(415, "import.not_xlsx", "文件已损坏，请另存为 .xlsx 后上传") from None
    inflated = sum(p.file_size for p in parts)
    too_dense = any(p.file_size > MAX_RATIO * max(p.compress_size, 1) and p.file_size > 1024 * 1024 for p in parts)
    if len(parts) > MAX_PARTS or inflated > MAX_INFLATED or too_dense:
        raise UploadRefused(413, "import.zip_bomb", "文件解压后过大，已拒绝")


def read(content: bytes, max_rows: int) -> list[TemplateRow]:
    """The data rows (blank rows skipped), numbered as Excel numbers them (the header is row 1)."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise DomainError("import.unreadable", "文件无法读取，请使用下载的参保名单导入模板") from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
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


def sheet_rows(content: bytes, columns: tuple[str, ...], template: str, max_rows: int) -> list[tuple[int, list[str]]]:
    """Any template's data rows as cell texts with their Excel row numbers (blank rows skipped); the header
    must name `columns` in order. Reading stops at `max_rows` + 1 rows: the caller refuses the size."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput("import.unreadable", f"文件无法读取，请使用下载的{template}") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or tuple(column_of(c) for c in header[: len(columns)]) != columns:
            raise InvalidInput("import.bad_header", f"模板表头应为：{'、'.join(columns)}，请保持{template}的格式不变")
        found: list[tuple[int, list[str]]] = []
        for row_no, cells in enumerate(rows, start=2):
            texts = [text_of(c) for c in (*cells, *([None] * len(columns)))[: len(columns)]]
            if any(texts):
                found.append((row_no, texts))
                if len(found) > max_rows:
                    break
        if not found:
            raise InvalidInput("import.empty", "文件中没有数据")
        return found
    finally:
        book.close()


def column_of(cell: object) -> str:
    """A header cell without its * and note."""
    return _NOTE.sub("", str(cell or "").strip().lstrip("*").strip())


def text_of(cell: object) -> str:
    """A cell as text: dates ISO, whole floats as integers."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def rows_of(people: Iterable[tuple[str, ...]]) -> bytes:
    """A filled template (tests and demo data)."""
    return workbook_bytes("参保名单", HEADER, people)
