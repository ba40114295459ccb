"""What an upload must be before anything parses it."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from members.domain.upload import Limits, UploadRefused, check_inflated_sizes, check_upload
from members.service.roster_file import template_bytes

LIMITS = Limits(max_bytes=2_000_000, max_uncompressed=20_000_000, max_ratio=100)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(sheet: bytes = b"<sheetData/>", *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


def refused(name: str, content_type: str, content: bytes, limits: Limits = LIMITS) -> tuple[int, str]:
    with pytest.raises(UploadRefused) as caught:
        check_upload(name, content_type, content, limits)
    return caught.value.status, caught.value.code


def test_a_real_workbook_passes_both_checks() -> None:
    content = template_bytes()
    check_upload("会员导入模板.xlsx", XLSX, content, LIMITS)
    check_upload("a.XLSX", "application/octet-stream", content, LIMITS)
    check_inflated_sizes(content, LIMITS)


@pytest.mark.parametrize(
    ("name", "content_type", "content", "expected"),
    [
        ("a.xlsx", XLSX, b"", (422, "import.file_empty")),
        ("a.xls", XLSX, workbook(), (415, "import.not_xlsx")),
        ("a.csv", "text/csv", b"a,b\n", (415, "import.not_xlsx")),
        ("a.xlsx", "text/plain", workbook(), (415, "import.not_xlsx")),
        ("a.xlsx", XLSX, b"\xd0\xcf\x11\xe0 an old .xls", (415, "import.not_xlsx")),
        ("a.xlsx", XLSX, b"PK\x03\x04 but not a zip", (415, "import.not_xlsx")),
    ],
)
def test_what_is_not_an_xlsx_is_refused(
    name: str, content_type: str, content: bytes, expected: tuple[int, str]
) -> None:
    assert refused(name, content_type, content) == expected


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert refused("a.xlsx", XLSX, buf.getvalue()) == (415, "import.not_xlsx")


def test_size_is_checked_first() -> None:
    small = Limits(max_bytes=1000, max_uncompressed=LIMITS.max_uncompressed, max_ratio=100)
    assert refused("a.xlsx", XLSX, workbook(b"x" * 5000, method=zipfile.ZIP_STORED), small) == (
        413, "import.file_too_large"
    )  # fmt: skip


def test_declared_bombs_are_refused_before_inflating() -> None:
    assert refused("a.xlsx", XLSX, workbook(b"\0" * 30_000_000)) == (413, "import.zip_bomb")  # total > limit
    assert refused("a.xlsx", XLSX, workbook(b"\0" * 5_000_000)) == (413, "import.zip_bomb")  # ratio ~1000:1
    check_upload("a.xlsx", XLSX, workbook(b"<row/>" * 1000), LIMITS)  # small and ordinary


def test_an_entry_that_lies_about_its_size_is_caught_when_inflated() -> None:
    honest = workbook(b"<c>" + b"A" * 3_000_000 + b"</c>")
    liar = _declare_size(honest, "xl/worksheets/sheet1.xml", 10_000)
    check_upload("a.xlsx", XLSX, liar, LIMITS)  # the declared sizes look harmless
    with pytest.raises(UploadRefused) as caught:
        check_inflated_sizes(liar, LIMITS)
    assert caught.value.code == "import.zip_bomb"
    check_inflated_sizes(honest, Limits(2_000_000, 20_000_000, 10_000))


def _declare_size(content: bytes, name: str, size: int) -> bytes:
    """Patch the uncompressed size of one entry in its local header and the central directory."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(name)
    struct.pack_into("<L", data, info.header_offset + 22, size)
    offset = 0
    while (offset := data.find(b"PK\x01\x02", offset)) != -1:
        name_len = struct.unpack_from("<H", data, offset + 28)[0]
        if bytes(data[offset + 46 : offset + 46 + name_len]) == name.encode():
            struct.pack_into("<L", data, offset + 24, size)
        offset += 4
    return bytes(data)
