"""Voucher images and PDFs: runtime.uploaded_files' checks under the voucher's error codes."""

from __future__ import annotations

from runtime import uploaded_files
from runtime.uploaded_files import CheckedFile, FileKind, FileRefused

__all__ = ["CheckedFile", "FileKind", "FileRefused", "check_file", "safe_name"]


def safe_name(name: str) -> str:
    return uploaded_files.safe_name(name, "voucher")


def check_file(name: str, content: bytes, max_bytes: int, label: str = "缴费凭证") -> CheckedFile:
    return uploaded_files.check_file(name, content, max_bytes, label=label, code="voucher", fallback="voucher")
