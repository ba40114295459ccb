"""What an uploaded roster file must be before anything parses it: small enough, an xlsx, no zip bomb.

An xlsx is a zip archive. Its central directory declares every entry's sizes, which a crafted file
can lie about, so there are two checks: the declared sizes at upload (cheap, refuses the obvious at
once) and, before parsing, each entry inflated for real with a ceiling (refuses the liars).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from runtime.errors import DomainError

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED_MIMES = frozenset({XLSX_MIME, "application/octet-stream", ""})
ZIP_MAGIC = b"PK\x03\x04"
REQUIRED_ENTRIES = ("[Content_Types].xml", "xl/workbook.xml")
MAX_ENTRIES = 10_000
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # the fixed 30 bytes before each entry's name
_STORED, _DEFLATED = 0, 8
_PIECE = 64 * 1024


class UploadRefused(DomainError):
    """Rendered as problem+json with its own status (413 too large, 415 not an xlsx, 422 empty)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code, message)
        self.status, self.message = status, message

    def __reduce__(self) -> tuple[type[UploadRefused], tuple[int, str, str]]:
        return UploadRefused, (self.status, self.code, self.message)  # it crosses from the row checker


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed: int
    max_ratio: int


def too_large(size: int, limits: Limits) -> UploadRefused:
    mib = limits.max_bytes // (1024 * 1024)
    return UploadRefused(413, "import.file_too_large", f"文件过大（{size / 1024 / 1024:.1f} MB），不能超过 {mib} MB")


def not_xlsx(detail: str = "") -> UploadRefused:
    return UploadRefused(415, "import.not_xlsx", "仅支持 Excel 文件（.xlsx）" + (f"：{detail}" if detail else ""))


def zip_bomb(detail: str) -> UploadRefused:
    return UploadRefused(413, "import.zip_bomb", f"文件解压后过大，已拒绝：{detail}")


def check_upload(file_name: str, content_type: str, content: bytes, limits: Limits) -> None:
    """Size, name, type, magic and the declared zip sizes; raises UploadRefused."""
    if len(content) > limits.max_bytes:
        raise too_large(len(content), limits)
    if not content:
        raise UploadRefused(422, "import.file_empty", "上传的文件是空的")
    if not file_name.lower().endswith(".xlsx"):
        raise not_xlsx("文件扩展名不是 .xlsx")
    if content_type.split(";")[0].strip().lower() not in ACCEPTED_MIMES:
        raise not_xlsx(f"文件类型为 {content_type}")
    if not content.startswith(ZIP_MAGIC):
        raise not_xlsx("文件内容不是 xlsx 格式（旧版 .xls 或加密文件请另存为 .xlsx）")
    check_declared_sizes(entries(content), limits)


def entries(content: bytes) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise not_xlsx("文件已损坏") from None
    names = {i.filename for i in infos}
    if any(required not in names for required in REQUIRED_ENTRIES):
        raise not_xlsx("文件不是 Excel 工作簿")
    return infos


def check_declared_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > MAX_ENTRIES:
        raise zip_bomb(f"包含 {len(infos)} 个部件")
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed:
        raise zip_bomb(f"解压后 {total // (1024 * 1024)} MB")
    for info in infos:
        if info.flag_bits & 0x1:
            raise not_xlsx("文件已加密")
        if info.file_size > limits.max_ratio * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
            raise zip_bomb(f"“{info.filename}”压缩比 {info.file_size // max(info.compress_size, 1)}:1")


def check_inflated_sizes(content: bytes, limits: Limits) -> None:
    """Inflate every entry with a ceiling: none may grow past what it declared, nor all past the limit."""
    budget = limits.max_uncompressed
    for info in entries(content):
        budget -= _inflated_size(content, info, min(info.file_size, budget))
        if budget < 0:
            raise zip_bomb("解压后超过上限")


def _inflated_size(content: bytes, info: zipfile.ZipInfo, ceiling: int) -> int:
    start = _data_offset(content, info)
    raw = memoryview(content)[start : start + info.compress_size]
    if info.compress_type == _STORED:
        size = len(raw)
    elif info.compress_type == _DEFLATED:
        size = _inflate_counting(raw, ceiling)
    else:
        raise not_xlsx("不支持的压缩方式")
    if size > ceiling:
        raise zip_bomb(f"“{info.filename}”实际解压大小超过声明")
    return size


def _data_offset(content: bytes, info: zipfile.ZipInfo) -> int:
    header = content[info.header_offset : info.header_offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or not header.startswith(ZIP_MAGIC):
        raise not_xlsx("文件已损坏")
    fields = _LOCAL_HEADER.unpack(header)
    name_len, extra_len = int(fields[-2]), int(fields[-1])
    return info.header_offset + _LOCAL_HEADER.size + name_len + extra_len


def _inflate_counting(raw: memoryview, ceiling: int) -> int:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    try:
        for offset in range(0, len(raw), _PIECE):
            pending = bytes(raw[offset : offset + _PIECE])
            while pending:
                size += len(inflater.decompress(pending, _PIECE))
                if size > ceiling:
                    return size  # stop inflating: the caller refuses it
                pending = inflater.unconsumed_tail
        return size + len(inflater.flush())
    except zlib.error:
        raise not_xlsx("文件已损坏") from None
