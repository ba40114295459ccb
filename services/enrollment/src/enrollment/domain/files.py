"""Uploaded attachments (盖章的申报表、执照复印件, 名称变更证明 …): the same checks as billing's vouchers
(runtime.uploaded_files) under the attachment's error codes."""

from __future__ import annotations

from runtime import uploaded_files
from runtime.uploaded_files import CheckedFile, FileKind, FileRefused

__all__ = ["CheckedFile", "FileKind", "FileRefused", "check_file", "safe_name", "too_large"]


def safe_name(name: str) -> str:
    return uploaded_files.safe_name(name, "attachment")


def too_large(max_bytes: int, label: str = "附件") -> FileRefused:
    return uploaded_files.too_large(max_bytes, label, "attachment")


def check_file(name: str, content: bytes, max_bytes: int, label: str = "附件") -> CheckedFile:
    return uploaded_files.check_file(name, content, max_bytes, label=label, code="attachment", fallback="attachment")
