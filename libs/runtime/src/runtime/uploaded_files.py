"""What an uploaded file (a voucher, a sealed declaration, evidence) must be before it is kept: not empty,
not too large, a PNG, JPEG or PDF by its first bytes (the name and the browser's content type are only
checked against them), and a PDF without scripts. Kept files are only ever sent back as downloads.
Each service names its own errors: `code` is the prefix of theirs (`voucher.file_type` …)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath, PureWindowsPath

from .errors import DomainError


class FileKind(StrEnum):
    PNG = "image/png"
    JPEG = "image/jpeg"
    PDF = "application/pdf"


MAGIC = ((FileKind.PNG, b"\x89PNG\r\n\x1a\n"), (FileKind.JPEG, b"\xff\xd8\xff"), (FileKind.PDF, b"%PDF-"))
EXTENSIONS = {".png": FileKind.PNG, ".jpg": FileKind.JPEG, ".jpeg": FileKind.JPEG, ".pdf": FileKind.PDF}
# Names in a PDF that run something when it is opened.
ACTIVE_PDF = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\"\\/:*?<>|]")


class FileRefused(DomainError):
    """Rendered with its own status: 413 too large, 415 not an image or PDF, 422 empty."""

    def __init__(self, status: int, code: str, title: str) -> None:
        super().__init__(code, title)
        self.status = status


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: FileKind
    content: bytes


def sniff(content: bytes) -> FileKind | None:
    return next((kind for kind, magic in MAGIC if content.startswith(magic)), None)


def safe_name(name: str, fallback: str = "file") -> str:
    """The base name only, without control or path characters, at most 100 characters."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    return _UNSAFE_NAME.sub("_", base).strip()[-100:] or fallback


def too_large(max_bytes: int, label: str, code: str) -> FileRefused:
    return FileRefused(413, f"{code}.file_too_large", f"{label}文件过大，不能超过 {max_bytes / 1024 / 1024:g} MB")


def check_file(name: str, content: bytes, max_bytes: int, *, label: str, code: str, fallback: str) -> CheckedFile:
    if not content:
        raise FileRefused(422, f"{code}.file_empty", f"{label}文件是空的")
    if len(content) > max_bytes:
        raise too_large(max_bytes, label, code)
    kind = sniff(content)
    if kind is None:
        raise FileRefused(415, f"{code}.file_type", f"{label}只能是图片（PNG、JPG）或 PDF 文件")
    clean = safe_name(name, fallback)
    declared = EXTENSIONS.get(PurePosixPath(clean.lower()).suffix)
    if declared is not kind:
        raise FileRefused(415, f"{code}.file_type", f"{label}文件的扩展名与内容不符（内容为 {kind.name}）")
    if kind is FileKind.PDF and ACTIVE_PDF.search(content):
        raise FileRefused(415, f"{code}.file_active", f"{label} PDF 含有脚本或附件，请另存为普通 PDF 或图片后上传")
    return CheckedFile(clean, kind, content)
